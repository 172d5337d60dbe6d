import { defineError } from '@keel/kernel';

export class RealtimeRoomForbiddenError extends defineError({
  code: 'REALTIME_ROOM_FORBIDDEN',
  status: 403,
  description: 'A socket may join only the rooms of its own tenant: a store or an order of the tenant (an unknown one and another tenant\'s get the same answer).',
}) {}
