import type { AuditEntry } from '../../api/types.ts';
import type { I18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages.en.ts';
import { describeUserAgent } from './user-agent.ts';

/**
 * The audit log in people's words: each action Keel records (central's `recordAudit` and the
 * subscription changes) has a sentence in both languages, and its details a short summary. An
 * action this app does not know yet reads "Another change", never its raw name.
 */
const ACTIONS = {
  'user.signed_in': 'audit.action.userSignedIn',
  'user.password_changed': 'audit.action.userPasswordChanged',
  'user.password_reset': 'audit.action.userPasswordReset',
  'organization.created': 'audit.action.organizationCreated',
  'organization.renamed': 'audit.action.organizationRenamed',
  'invitation.created': 'audit.action.invitationCreated',
  'invitation.revoked': 'audit.action.invitationRevoked',
  'invitation.accepted': 'audit.action.invitationAccepted',
  'member.role_changed': 'audit.action.memberRoleChanged',
  'member.removed': 'audit.action.memberRemoved',
  'member.left': 'audit.action.memberLeft',
  'api_key.created': 'audit.action.apiKeyCreated',
  'api_key.revoked': 'audit.action.apiKeyRevoked',
  'subscription.upgraded': 'audit.action.subscriptionUpgraded',
  'subscription.downgrade_scheduled': 'audit.action.subscriptionDowngradeScheduled',
  'subscription.downgraded': 'audit.action.subscriptionDowngraded',
  'subscription.cancelled': 'audit.action.subscriptionCancelled',
  'subscription.resumed': 'audit.action.subscriptionResumed',
  'subscription.renewed': 'audit.action.subscriptionRenewed',
  'subscription.fell_back_to_free': 'audit.action.subscriptionFellBackToFree',
} as const satisfies Record<string, MessageKey>;

export type AuditAction = keyof typeof ACTIONS;
export const AUDIT_ACTIONS = Object.keys(ACTIONS) as AuditAction[];

function isKnown(action: string): action is AuditAction {
  return Object.hasOwn(ACTIONS, action);
}

export function actionWords(i18n: Pick<I18n, 't'>, action: string): string {
  return isKnown(action) ? i18n.t(ACTIONS[action]) : i18n.t('audit.action.other');
}

/** Plans are product names, the same in every language. */
const PLAN_NAMES: Record<string, string> = { free: 'Free', pro: 'Pro', platinum: 'Platinum' };

export interface AuditContext {
  /** The organization's time zone: dates in details are shown in it. */
  timeZone: string;
  /** A user id's name, when that user is a member now. */
  personName(userId: string): string | undefined;
}

/** A short summary of an entry's details, in the current language ('' when there is nothing to add). */
export function detailsWords(i18n: Pick<I18n, 't' | 'dateTime' | 'money'>, entry: AuditEntry, context: AuditContext): string {
  const { t } = i18n;
  const text = (name: string) => {
    const value = entry.details[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  };
  const role = (name: string) => {
    const value = text(name);
    return value === 'owner' || value === 'admin' || value === 'member' ? t(`role.${value}`) : value;
  };
  const plan = (name: string) => PLAN_NAMES[text(name)] ?? text(name);
  const date = (name: string) => (text(name) === '' ? '' : i18n.dateTime(text(name), context.timeZone, 'date'));
  const person = (name: string) => context.personName(text(name)) ?? t('audit.formerMember');

  switch (entry.action) {
    case 'user.signed_in': {
      const { browser, system } = describeUserAgent(text('userAgent'));
      const device = browser !== null && system !== null ? t('team.device.browserOn', { browser, system }) : (browser ?? system ?? t('team.device.unknown'));
      return text('ipAddress') === '' ? device : t('audit.details.signedIn', { device, address: text('ipAddress') });
    }
    case 'user.password_changed':
      return entry.details.otherSessionsRevoked === true ? t('audit.details.otherSessionsSignedOut') : '';
    case 'user.password_reset':
      return t('audit.details.withEmailedLink');
    case 'organization.created':
      return t('audit.details.organizationCreated', { name: text('name'), slug: text('slug') });
    case 'organization.renamed':
      return t('audit.details.fromTo', { from: text('from'), to: text('to') });
    case 'invitation.created':
      return t(entry.details.replacedInvitationId === undefined ? 'audit.details.emailAsRole' : 'audit.details.emailAsRoleReplacing', { email: text('email'), role: role('role') });
    case 'invitation.revoked':
    case 'invitation.accepted':
      return t('audit.details.emailAsRole', { email: text('email'), role: role('role') });
    case 'member.role_changed':
      return t('audit.details.roleChanged', { person: person('userId'), from: role('from'), to: role('to') });
    case 'member.removed':
    case 'member.left':
      return t('audit.details.personWithRole', { person: person('userId'), role: role('role') });
    case 'api_key.created':
      return t('audit.details.apiKeyCreated', { name: text('name'), role: role('role'), prefix: text('prefix') });
    case 'api_key.revoked':
      return t('audit.details.quoted', { name: text('name') });
    case 'subscription.upgraded':
    case 'subscription.downgraded':
      return t('audit.details.fromTo', { from: plan('from'), to: plan('to') });
    case 'subscription.downgrade_scheduled':
      return t('audit.details.planChangeOn', { from: plan('from'), to: plan('to'), date: date('effectiveAt') });
    case 'subscription.cancelled':
      return text('accessUntil') !== '' ? t('audit.details.accessUntil', { plan: plan('plan'), date: date('accessUntil') }) : t('audit.details.accessEnded', { plan: plan('plan') });
    case 'subscription.resumed':
      return plan('plan');
    case 'subscription.renewed': {
      const amount = entry.details.amountMinor;
      const currency = text('currency');
      return typeof amount === 'number' && currency !== '' ? t('audit.details.planCharged', { plan: plan('plan'), amount: i18n.money(amount, currency) }) : plan('plan');
    }
    case 'subscription.fell_back_to_free':
      return text('reason') === 'payment_declined' ? t('audit.details.fellBackDeclined', { from: plan('from') }) : t('audit.details.fellBack', { from: plan('from') });
    default:
      return '';
  }
}
