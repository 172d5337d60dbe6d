/** What regions and the edge may know of central: token format, its verifier, event schemas. */
export * from './access-token.ts';
export * from './token-errors.ts';
export * from './verify-access-token.ts';
export * from './feed.ts';
export * from './feed-errors.ts';
export * from './roles.ts';
export * from './role-errors.ts';
export * from './plans.ts';
export * from './plan-errors.ts';
