import { RouteNotFoundError } from '@keel/kernel';

/** `.` and `..`, percent-encoded or not: URL parsers resolve them. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
/** A backslash or an encoded slash or backslash: some parsers read them as separators. */
const SEPARATOR_LOOKALIKE = /\\|%2f|%5c/i;

/**
 * The URL behind the edge that a request for `requestUrl` goes to, on `baseUrl`: only while its path
 * stays under the prefix it was routed by (`/api/v1`, `/realtime` …). A path that would leave it
 * once resolved (dot segments, encoded or not, and separator look-alikes) is refused with
 * ROUTE_NOT_FOUND and nothing is forwarded.
 */
export function upstreamTarget(requestUrl: string, baseUrl: string, prefixes: readonly string[]): URL {
  if (!isUnder(requestUrl, prefixes)) throw new RouteNotFoundError();
  const target = new URL(requestUrl, baseUrl);
  if (target.origin !== new URL(baseUrl).origin || !isUnder(target.pathname, prefixes)) throw new RouteNotFoundError();
  return target;
}

function isUnder(url: string, prefixes: readonly string[]): boolean {
  const path = url.split(/[?#]/, 1)[0]!;
  if (!prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return false;
  return !SEPARATOR_LOOKALIKE.test(path) && !path.split('/').some((segment) => DOT_SEGMENT.test(segment));
}
