import type { HttpApp } from '@keel/kernel';
import type { CentralDeps } from '../central-deps.ts';

// Being written (issue 4): replace this placeholder.
export function memberRoutes(_app: HttpApp, _deps: CentralDeps): void {}
