import type { liveEn } from './live.en.ts';

/** Palabras en español de las partes en vivo de las páginas de pedidos. */
export const liveEs: Record<keyof typeof liveEn, string> = {
  'live.reconnecting': 'Reconectando… Los cambios de otras personas volverán a verse cuando vuelva la conexión.',
  'live.alsoHere': 'También aquí',
  'live.editing': 'editando…',
  'live.memberEditing': '{name}, editando',
  'live.editingNotes': 'Editando las notas ahora: {names}',
  'live.notesChangedBy': '{name} cambió las notas mientras editabas. Tu texto se conserva.',
  'live.theirNotes': 'Las notas ahora',
  'live.keepMine': 'Conservar las mías',
  'live.takeTheirs': 'Usar las suyas',
  'live.keepMineHint': 'Conservar las mías: al guardar, tu texto reemplaza las notas de arriba.',
  'live.movedBy': '{name} movió el pedido n.º {number} a {status}.',
  'live.someone': 'Alguien',
};
