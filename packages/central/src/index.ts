export * from './central-layer.ts';
export { appendToFeed, type CentralEvent, type CentralTransaction } from './feed/append-to-feed.ts';
export { createRegionRegistry, type RegionRegistry } from './regions/region-registry.ts';
export { createSigningKeyStore, type SigningKeyStore } from './signing-keys/signing-key-store.ts';
export { AUTH_ENDPOINTS } from './identity/routes.ts';
