/** English words of the live parts of the orders pages: presence, editing, reconnecting (merged into messages.en.ts). */
export const liveEn = {
  'live.reconnecting': 'Reconnecting… Changes by others will show again once the connection is back.',
  'live.alsoHere': 'Also here',
  'live.editing': 'editing…',
  'live.memberEditing': '{name}, editing',
  'live.editingNotes': 'Editing the notes now: {names}',
  'live.notesChangedBy': '{name} changed the notes while you were editing. Your text is kept.',
  'live.theirNotes': 'The notes now',
  'live.keepMine': 'Keep mine',
  'live.takeTheirs': 'Take theirs',
  'live.keepMineHint': 'Keep mine: saving replaces the notes above with your text.',
  'live.movedBy': '{name} moved order #{number} to {status}.',
  'live.someone': 'Someone',
};
