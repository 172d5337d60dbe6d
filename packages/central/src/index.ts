export * from './central-layer.ts';
export { appendToFeed, type CentralEvent, type CentralTransaction } from './feed/append-to-feed.ts';
