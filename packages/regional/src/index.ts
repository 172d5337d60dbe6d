export * from './regional-layer.ts';
