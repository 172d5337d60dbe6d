export * from './regional-layer.ts';
export { regionalConsumers } from './consumers.ts';
