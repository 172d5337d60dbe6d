import { z } from 'zod';
import type { HttpApp } from '@keel/kernel';
import type { RegionRegistry } from './region-registry.ts';

const regionList = z.object({ items: z.array(z.object({ id: z.string() })) });

export function regionRoutes(app: HttpApp, deps: { regions: RegionRegistry }): void {
  app.get('/regions', { schema: { tags: ['regions'], response: { 200: regionList } } }, async () => {
    const ids = await deps.regions.list();
    return { items: ids.map((id) => ({ id })) };
  });
}
