import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { ApiError } from '../../api/api-error.ts';
import type { OrderDetail } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useTenantApi } from '../../session/organization.tsx';
import { Button, FOCUS_RING } from '../button.tsx';
import { FormError } from '../card.tsx';
import { saveNotes, useOrderKeys } from './order-api.ts';

/** specs/orders.md ORD-021. */
const MAX_NOTES = 2_000;

/** The text being edited and the order's notes and version it was started from. */
interface Draft {
  text: string;
  baseNotes: string;
  baseVersion: number;
}

type Conflict = { kind: 'stale'; error: ApiError } | { kind: 'reloaded'; theirs: string };

interface NotesEditorProps {
  order: OrderDetail;
  /** Fetches the order as it is now. */
  reload(): Promise<OrderDetail | undefined>;
  /** Live: the names of the others editing these notes now. */
  editors?: readonly string[];
  /** Live: the last notes change seen (its version, and who made it). */
  lastChange?: { version: number; name: string } | undefined;
  /** Live: whether this person has unsaved text (announced to the others as `editing`). */
  onEditingChange?(editing: boolean): void;
}

/**
 * The order's notes, editable. What a person types is theirs until they save or discard it:
 * a refetch of the order never replaces it, and a save carries the version the text was started
 * from, so another person's save meanwhile is refused (409 VERSION_CONFLICT) rather than silently
 * overwritten. The conflict keeps the text; "reload" shows the other person's notes next to it.
 */
export function NotesEditor({ order, reload, editors = [], lastChange, onEditingChange }: NotesEditorProps) {
  const { t, errorMessage, number } = useI18n();
  const api = useTenantApi();
  const keys = useOrderKeys();
  const queryClient = useQueryClient();
  const headingId = useId();
  const hintId = useId();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [saved, setSaved] = useState(false);
  const [reloading, setReloading] = useState(false);

  const save = useMutation({
    mutationFn: (edit: Draft) =>
      // The notes the text was started from are still the order's: only other fields (the status)
      // moved the version on, so the current version loses nobody's words. Otherwise the version
      // the text was started from, which the server refuses.
      saveNotes(api, order.id, edit.text, edit.baseNotes === order.notes ? order.version : edit.baseVersion),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.detail(updated.id), updated);
      setDraft(null);
      setConflict(null);
      setSaved(true);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') setConflict({ kind: 'stale', error });
    },
  });

  const text = draft?.text ?? order.notes;
  const editing = draft !== null;
  // Someone else's notes arrived (live, or by a refetch) while this person edits: their text stays, and they choose.
  const changedMeanwhile = draft !== null && conflict === null && order.notes !== draft.baseNotes;
  const changedBy = lastChange !== undefined && draft !== null && lastChange.version > draft.baseVersion ? lastChange.name : undefined;

  useEffect(() => {
    onEditingChange?.(editing);
  }, [editing, onEditingChange]);
  useEffect(() => () => onEditingChange?.(false), [onEditingChange]);

  async function reloadTheirs() {
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh === undefined) return;
      // The text stays; it now counts as started from the notes just shown.
      setDraft((current) => (current === null ? null : { ...current, baseNotes: fresh.notes, baseVersion: fresh.version }));
      setConflict({ kind: 'reloaded', theirs: fresh.notes });
      save.reset();
    } finally {
      setReloading(false);
    }
  }

  const otherError = save.error !== null && !(save.error instanceof ApiError && save.error.code === 'VERSION_CONFLICT') ? errorMessage(save.error) : null;

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} className="text-base font-semibold text-slate-900">
        {t('order.notes')}
      </h2>
      {editors.length > 0 && (
        <p data-testid="notes-editors" className="mt-1 text-xs font-medium text-amber-800">
          ✎ {t('live.editingNotes', { names: editors.join(', ') })}
        </p>
      )}
      {changedMeanwhile && (
        <div role="alert" data-testid="notes-changed" className="mt-3 rounded-md border border-sky-300 bg-sky-50 p-3 text-sm text-sky-950">
          <p className="font-medium">{t('live.notesChangedBy', { name: changedBy ?? t('live.someone') })}</p>
          <p className="mt-2 text-xs font-medium">{t('live.theirNotes')}</p>
          <blockquote className="mt-1 whitespace-pre-wrap border-l-4 border-sky-300 bg-white px-3 py-2 text-slate-900">{order.notes === '' ? t('order.noNotes') : order.notes}</blockquote>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => setDraft((current) => (current === null ? null : { ...current, baseNotes: order.notes, baseVersion: order.version }))}>
              {t('live.keepMine')}
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                setDraft(null);
                save.reset();
              }}
            >
              {t('live.takeTheirs')}
            </Button>
          </div>
          <p className="mt-2 text-xs">{t('live.keepMineHint')}</p>
        </div>
      )}
      {conflict?.kind === 'stale' && (
        <div role="alert" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p className="font-medium">{errorMessage(conflict.error)}</p>
          <p className="mt-1">{t('notes.conflictKept')}</p>
          <Button variant="secondary" className="mt-3" busy={reloading} busyLabel={t('state.loading')} onClick={() => void reloadTheirs()}>
            {t('notes.reload')}
          </Button>
        </div>
      )}
      {conflict?.kind === 'reloaded' && (
        <div role="status" className="mt-3 rounded-md border border-sky-300 bg-sky-50 p-3 text-sm text-sky-950">
          <p className="font-medium">{t('notes.theirs')}</p>
          <blockquote className="mt-2 whitespace-pre-wrap border-l-4 border-sky-300 bg-white px-3 py-2 text-slate-900">{conflict.theirs === '' ? t('order.noNotes') : conflict.theirs}</blockquote>
          <p className="mt-2">{t('notes.theirsHint')}</p>
          <Button
            variant="secondary"
            className="mt-3"
            onClick={() => {
              setDraft(null);
              setConflict(null);
            }}
          >
            {t('notes.useTheirs')}
          </Button>
        </div>
      )}
      <form
        className="mt-3 space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (draft !== null) save.mutate(draft);
        }}
      >
        <textarea
          aria-labelledby={headingId}
          aria-describedby={hintId}
          value={text}
          maxLength={MAX_NOTES}
          rows={5}
          placeholder={t('notes.placeholder')}
          onChange={(event) => {
            const typed = event.target.value;
            setSaved(false);
            setDraft((current) => (current === null ? { text: typed, baseNotes: order.notes, baseVersion: order.version } : { ...current, text: typed }));
          }}
          className={`block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 ${FOCUS_RING}`}
        />
        <p id={hintId} className="text-xs text-slate-600">
          {t('notes.hint', { used: number(text.length), max: number(MAX_NOTES) })}
        </p>
        <FormError message={otherError} />
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" disabled={!editing} busy={save.isPending} busyLabel={t('notes.saving')}>
            {t('notes.save')}
          </Button>
          {editing && (
            <Button
              variant="secondary"
              disabled={save.isPending}
              onClick={() => {
                setDraft(null);
                setConflict(null);
                save.reset();
                // After a conflict the notes shown may be stale: show the order's as they are now.
                if (conflict !== null) void reload();
              }}
            >
              {t('notes.discard')}
            </Button>
          )}
          <span role="status" className="text-sm text-emerald-800">
            {saved && !editing ? t('notes.saved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
