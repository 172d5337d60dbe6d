import type { HttpApp } from './http/create-http-app.ts';

/** What the composition root needs of a layer (central, regional, edge) to serve and stop it. */
export interface KeelLayer {
  readonly name: string;
  register(app: HttpApp): Promise<void>;
  /** Starts background work (relays, consumers, subscriptions) once the server listens. */
  start?(): Promise<void>;
  /** Stops background work; handlers in flight finish. Called before the server stops accepting. */
  stop?(): Promise<void>;
  /** Throws when a dependency the layer serves from (its database) does not answer. */
  healthCheck?(): Promise<void>;
  close(): Promise<void>;
}
