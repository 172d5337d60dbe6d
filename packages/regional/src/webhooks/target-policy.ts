import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { WebhookHttpsRequiredError, WebhookTargetForbiddenError } from './errors.ts';

/** IANA's global unicast IPv6 space: ipaddr.js calls every IPv6 address outside its special ranges "unicast". */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Where webhooks may go. Only public unicast addresses: everything ipaddr.js classifies otherwise
 * (loopback, private, link-local, unique-local, CGNAT, multicast, broadcast, unspecified, reserved,
 * documentation, 6to4/Teredo/NAT64 wrappers whatever IPv4 address they embed…) is refused, and an
 * IPv4-mapped IPv6 address is judged as the IPv4 address it maps. An IPv6 address must moreover be
 * global unicast (2000::/3), which refuses IPv4-compatible ones (::/96, e.g. ::7f00:1) and space
 * not assigned. An allow-list, so a range nobody thought of is refused too.
 */
export function isPublicAddress(address: string): boolean {
  const canonical = canonicalAddress(address);
  if (canonical === undefined) return false;
  const parsed = ipaddr.process(canonical);
  if (parsed.range() !== 'unicast') return false;
  return parsed.kind() === 'ipv4' || (parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6);
}

/**
 * The address in the form Node connects to: IPv6 as the URL parser writes it, since ipaddr.js
 * reads `::8.8.8.8` (IPv4-compatible) as `::ffff:8.8.8.8` (IPv4-mapped). Undefined when not an address.
 */
function canonicalAddress(address: string): string | undefined {
  if (isIP(address) === 4) return address;
  if (isIP(address) !== 6) return undefined;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

export interface TargetPolicy {
  /** Development and tests: any address, and http. */
  allowPrivateTargets: boolean;
}

/**
 * At registration: https, and no literal non-public address. A host name is not resolved here (its
 * answer may change): every connection checks the addresses it resolves to.
 */
export function checkTargetUrl(url: URL, policy: TargetPolicy): void {
  if (policy.allowPrivateTargets) return;
  if (url.protocol !== 'https:') throw new WebhookHttpsRequiredError();
  const host = literalAddressOf(url);
  if (host !== undefined && !isPublicAddress(host)) throw new WebhookTargetForbiddenError();
}

/** The URL's host when it is an IP address (without IPv6 brackets). */
export function literalAddressOf(url: URL): string | undefined {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) === 0 ? undefined : host;
}

/**
 * A `lookup` for the HTTP agent: resolves as usual, then refuses the connection when any resolved
 * address is not public. The check runs on the address the socket is about to connect to, so a
 * host that resolved to a public address at registration and to 127.0.0.1 now (DNS rebinding) is
 * refused. Node does not call `lookup` for IP literals: `checkTargetUrl` covers those per request.
 */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      if (!policy.allowPrivateTargets && addresses.some((entry) => !isPublicAddress(entry.address))) {
        return callback(new WebhookTargetForbiddenError(), '', 0);
      }
      if ((options as LookupOptions).all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
