import type { Actor } from '../components/orders/order-api.ts';
import type { I18n } from '../i18n/i18n.tsx';

/** How a subject is named in a sentence: a member's name, else what kind of actor it is. */
export function actorLabel(actor: Actor, t: I18n['t']): string {
  switch (actor.kind) {
    case 'member':
      return actor.name;
    case 'apiKey':
      return t('history.byApiKey');
    case 'sampleData':
      return t('history.bySampleData');
    case 'formerMember':
      return t('history.byFormerMember');
    case 'pending':
      return t('live.someone');
  }
}

/** Up to two letters: the first of the first and last words of a name. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words.slice(0, 1);
  return letters.map((word) => [...word][0]!.toUpperCase()).join('') || '?';
}
