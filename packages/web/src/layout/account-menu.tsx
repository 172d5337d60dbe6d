import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState } from 'react';
import { keel } from '../api/keel.ts';
import { FOCUS_RING } from '../components/button.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { sessionQuery } from '../session/queries.ts';

const ITEM = `block w-full rounded px-3 py-2 text-left text-sm text-slate-900 hover:bg-slate-100 ${FOCUS_RING}`;

/** The signed-in account: a disclosure menu with the account page, a new organization, and sign out. Escape closes it. */
export function AccountMenu() {
  const { t, errorMessage } = useI18n();
  const session = useQuery(sessionQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  async function signOut() {
    try {
      await keel.auth.signOut();
      queryClient.clear();
      await navigate({ to: '/sign-in' });
    } catch (error) {
      setFailure(error);
    }
  }

  const email = session.data?.user.email ?? '';
  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((value) => !value)}
        className={`flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-white hover:bg-slate-800 ${FOCUS_RING} focus-visible:outline-white`}
      >
        <span className="sr-only">{t('header.accountMenu')}</span>
        <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-full bg-indigo-500 font-semibold uppercase">
          {email.slice(0, 1)}
        </span>
        <span className="hidden max-w-48 truncate sm:inline">{email}</span>
      </button>
      {open && (
        <div id={menuId} className="absolute right-0 z-20 mt-2 w-56 rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200">
          <Link to="/account" className={ITEM} onClick={() => setOpen(false)}>
            {t('nav.account')}
          </Link>
          <Link to="/organizations/new" className={ITEM} onClick={() => setOpen(false)}>
            {t('nav.newOrganization')}
          </Link>
          <button type="button" className={ITEM} onClick={() => void signOut()}>
            {t('action.signOut')}
          </button>
          {failure !== null && (
            <p role="alert" className="px-3 py-2 text-sm text-red-700">
              {errorMessage(failure)}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
