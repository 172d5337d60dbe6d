export * from './edge-layer.ts';
