import { billingEn } from './areas/billing.en.ts';
import { catalogEn } from './areas/catalog.en.ts';
import { ordersEn } from './areas/orders.en.ts';
import { teamEn } from './areas/team.en.ts';
import { liveEn } from './areas/live.en.ts';
import { webhooksEn } from './areas/webhooks.en.ts';
import { importsEn } from './areas/imports.en.ts';

/** The app's words in English. Keys are the source of truth: messages.es.ts must have every one (the type checker says so). */
const baseEn = {
  'app.name': 'Keel',

  'header.skipToContent': 'Skip to content',
  'header.language': 'Language',
  'header.organization': 'Organization',
  'header.chooseOrganization': 'Choose an organization',
  'header.accountMenu': 'Account menu',

  'nav.label': 'Organization',
  'nav.stores': 'Stores',
  'nav.products': 'Products',
  'nav.ordersBoard': 'Board',
  'nav.orders': 'Orders',
  'nav.members': 'Members',
  'nav.apiKeys': 'API keys',
  'nav.audit': 'Audit log',
  'nav.account': 'Your account',
  'nav.newOrganization': 'New organization',

  'action.retry': 'Try again',
  'action.signOut': 'Sign out',

  'state.loading': 'Loading…',
  'state.empty': 'Nothing here yet.',
  'state.requestId': 'Reference for support: {requestId}',

  'error.network': 'Keel cannot be reached. Check your connection and try again.',
  'error.unknown': 'Something went wrong (code {code}). Try again.',
  'error.unexpected': 'Something went wrong. Reload the page and try again.',

  'common.yes': 'Yes',
  'common.no': 'No',

  'field.name': 'Name',
  'field.email': 'Email',
  'field.password': 'Password',
  'field.newPassword': 'New password',
  'field.passwordHint': '12 to 128 characters.',
  'field.organizationName': 'Organization name',
  'field.slug': 'Address',
  'field.slugHint': 'Lower-case letters, digits and hyphens. Your pages will be at /t/{slug}.',
  'field.currency': 'Currency',
  'field.timezone': 'Time zone',
  'field.region': 'Region',
  'field.invalid': 'This value is not valid.',

  'role.owner': 'Owner',
  'role.admin': 'Admin',
  'role.member': 'Member',

  'status.PENDING': 'Pending',
  'status.CONFIRMED': 'Confirmed',
  'status.PACKED': 'Packed',
  'status.SHIPPED': 'Shipped',
  'status.DELIVERED': 'Delivered',
  'status.CANCELLED': 'Cancelled',
  'status.RETURN_REQUESTED': 'Return requested',
  'status.RETURNED': 'Returned',

  'signIn.title': 'Sign in to Keel',
  'signIn.submit': 'Sign in',
  'signIn.busy': 'Signing in…',
  'signIn.forgotPassword': 'Forgot your password?',
  'signIn.noAccount': 'No account yet?',
  'signIn.signUp': 'Sign up',

  'signUp.title': 'Create your account',
  'signUp.submit': 'Sign up',
  'signUp.busy': 'Creating your account…',
  'signUp.haveAccount': 'Already have an account?',
  'signUp.signIn': 'Sign in',

  'forgotPassword.title': 'Reset your password',
  'forgotPassword.description': 'We will email you a link to choose a new password.',
  'forgotPassword.submit': 'Email me a link',
  'forgotPassword.busy': 'Sending…',
  'forgotPassword.sent': 'If an account exists for {email}, a link is on its way. It works once, within an hour.',
  'forgotPassword.back': 'Back to sign in',

  'resetPassword.title': 'Choose a new password',
  'resetPassword.submit': 'Save the new password',
  'resetPassword.busy': 'Saving…',
  'resetPassword.done': 'Your password has been changed, and every session of your account has ended. Sign in with the new password.',
  'resetPassword.noToken': 'This page needs the link from the email. Ask for a new one if it expired.',
  'resetPassword.signIn': 'Go to sign in',

  'invitation.title': 'Invitation',
  'invitation.summary': 'You are invited to join {organization} as {role}. The invitation is for {email}.',
  'invitation.accept': 'Accept the invitation',
  'invitation.busy': 'Accepting…',
  'invitation.noToken': 'This page needs the link from the invitation email.',
  'invitation.later': 'Not now',

  'createOrganization.title': 'New organization',
  'createOrganization.firstTitle': 'Create your first organization',
  'createOrganization.description': 'An organization holds your stores, products, orders and team. You will be its owner.',
  'createOrganization.regionHint': 'Your organization’s data is kept in this region.',
  'createOrganization.submit': 'Create the organization',
  'createOrganization.busy': 'Creating…',

  'account.title': 'Your account',
  'account.sessions': 'Where you are signed in',
  'account.noSessions': 'No other sessions.',
  'account.device': 'Device',
  'account.signedInAt': 'Signed in',
  'account.expiresAt': 'Expires',

  'notFound.title': 'Page not found',
  'notFound.description': 'This page does not exist, or you do not have access to it.',
  'notFound.home': 'Go to your organizations',

  'stores.title': 'Stores',


  'products.title': 'Products',
  'products.sku': 'SKU',
  'products.name': 'Product',
  'products.price': 'Price',
  'products.active': 'On sale',

  'orders.title': 'Orders',
  'orders.empty': 'No orders yet.',
  'orders.new': 'New order',
  'orders.number': 'Order',
  'orders.createdAt': 'Placed',
  'orders.customer': 'Customer',
  'orders.store': 'Store',
  'orders.status': 'Status',
  'orders.total': 'Total',

  'board.title': 'Orders board',
  'board.empty': 'No open orders.',

  'order.title': 'Order #{number}',
  'order.lines': 'Lines',
  'order.quantity': 'Quantity',
  'order.unitPrice': 'Unit price',
  'order.lineTotal': 'Line total',
  'order.subtotal': 'Subtotal',
  'order.discount': 'Discount',
  'order.tax': 'Tax',
  'order.total': 'Total',
  'order.notes': 'Notes',
  'order.noNotes': 'No notes.',
  'order.history': 'Status history',

  'newOrder.title': 'New order',
  'newOrder.products': 'Products on sale',
  'newOrder.noProducts': 'No product is on sale: add products first.',

  'members.title': 'Members',
  'members.empty': 'No members.',
  'members.role': 'Role',
  'members.joinedAt': 'Joined',

  'apiKeys.title': 'API keys',
  'apiKeys.empty': 'No API keys yet.',
  'apiKeys.prefix': 'Key',
  'apiKeys.createdAt': 'Created',
  'apiKeys.lastUsedAt': 'Last used',
  'apiKeys.never': 'Never',
  'apiKeys.state': 'State',
  'apiKeys.active': 'Active',
  'apiKeys.revoked': 'Revoked',

  'audit.title': 'Audit log',
  'audit.empty': 'Nothing recorded yet.',
  'audit.when': 'When',
  'audit.action': 'Action',
  'audit.actor': 'By',
  'audit.system': 'Keel',
  'audit.apiKey': 'An API key',
  'audit.deletedUser': 'A deleted account',
} as const;

/** Pages of one area keep their words in areas/<area>.<language>.ts. */
export const messagesEn = { ...baseEn, ...ordersEn, ...catalogEn, ...teamEn, ...billingEn, ...liveEn, ...webhooksEn, ...importsEn };

export type MessageKey = keyof typeof messagesEn;
