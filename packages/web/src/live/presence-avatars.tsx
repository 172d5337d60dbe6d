import { useActors } from '../components/orders/order-api.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { actorLabel, initials } from './actor-label.ts';
import type { PresenceMember } from './live-connection.ts';

/** The others in the room, as initials (their name on hover and for screen readers); who edits is marked. */
export function PresenceAvatars({ others }: { others: readonly PresenceMember[] }) {
  const { t } = useI18n();
  const actorOf = useActors();
  if (others.length === 0) return null;
  return (
    <div className="flex items-center gap-2">
      <span className="text-xs text-slate-600">{t('live.alsoHere')}</span>
      <ul className="flex -space-x-1" aria-label={t('live.alsoHere')} data-testid="presence">
        {others.map((member) => {
          const name = actorLabel(actorOf(member.subject), t);
          const label = member.activity === 'editing' ? t('live.memberEditing', { name }) : name;
          return (
            <li key={member.subject} title={label} aria-label={label} data-activity={member.activity} className="relative">
              <span
                aria-hidden="true"
                className={`flex h-8 w-8 items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-900 ring-2 ${member.activity === 'editing' ? 'ring-amber-500' : 'ring-white'}`}
              >
                {initials(name)}
              </span>
              {member.activity === 'editing' && (
                <span aria-hidden="true" className="absolute -bottom-1 -right-1 rounded-full bg-amber-500 px-1 text-[0.6rem] font-bold leading-4 text-white">
                  ✎
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
