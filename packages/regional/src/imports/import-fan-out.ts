import { defineConsumer, type ConsumerDefinition } from '@keel/kernel';
import { REALTIME_QUEUE, type Realtime } from '../realtime/realtime-server.ts';
import { adminsRoom } from '../realtime/rooms.ts';
import { IMPORT_EVENT_TYPES, importProgressedPayload } from './import-events.ts';

/** What a socket of the tenant receives as `import`; clients keep the highest `version` they saw. */
export interface ImportUpdate {
  importId: string;
  state: string;
  progress: number;
  rowsImported: number;
  rowsRejected: number;
  failureCode: string | null;
  version: number;
}

/** Import progress to the sockets of the tenant's admins and owners, once its batch committed (the relay publishes only committed events). */
export function importFanOut(realtime: Pick<Realtime, 'broadcast'>): ConsumerDefinition<never> {
  return defineConsumer({
    name: 'realtime-import-progress',
    queue: REALTIME_QUEUE,
    eventTypes: [IMPORT_EVENT_TYPES.progressed],
    payload: importProgressedPayload,
    async handle({ tenantId, payload }) {
      const update: ImportUpdate = payload;
      // Imports are read by admins and owners only (UPL-021), so only their sockets hear of them.
      realtime.broadcast([adminsRoom(tenantId)], 'import', update);
    },
  }) as ConsumerDefinition<never>;
}
