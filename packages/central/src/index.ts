export * from './central-layer.ts';
