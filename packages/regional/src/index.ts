export * from './regional-layer.ts';
export { regionalConsumers } from './consumers.ts';
export { subscribeRegionToCentralTopic } from './central-feed/subscribe-region-to-central-topic.ts';
export { CENTRAL_EVENTS_QUEUE } from './central-feed/central-events-queue.ts';
