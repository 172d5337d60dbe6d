import type { HttpApp } from '@keel/kernel';
import type { RegionalApiDependencies } from '../regional-api.ts';

// Being written (issue 5): replace this placeholder.
export function reviewRoutes(_app: HttpApp, _deps: RegionalApiDependencies): void {}
