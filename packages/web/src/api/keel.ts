import { createKeelClient } from './client.ts';

/** The app's one client: same origin as the page (the edge), the browser's fetch and clock. */
export const keel = createKeelClient();
