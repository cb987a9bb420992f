/**
 * The address type `-m addrtype` asks about: what the host's routing says the
 * address is (LOCAL for its own addresses and 127/8, BROADCAST, MULTICAST,
 * UNICAST, or the type of the route that covers it: BLACKHOLE, UNREACHABLE,
 * PROHIBIT, THROW).
 */
import type { IPv4 } from '../net/ipv4';
import { broadcastOf, contains, prefix } from '../net/ipv4';
import type { Host } from '../model/cluster';
import { isLocalAddress, lookupRoute } from './route-lookup';

/** The kernel's address type name of `a` on `h`; with `limitIface`, LOCAL only counts that interface's addresses. */
export function addrTypeOf(h: Host, a: IPv4, limitIface?: string): string {
  if (a === 0xffffffff) return 'BROADCAST';
  if (a >>> 28 === 14) return 'MULTICAST';
  if (a === 0) return 'UNSPEC';
  for (const i of h.interfaces) {
    if (limitIface !== undefined && i.name !== limitIface) continue;
    for (const ad of i.addresses) {
      if (ad.ip === a) return 'LOCAL';
      if (ad.prefixLen < 31 && broadcastOf(prefix(ad.ip, ad.prefixLen)) === a) return 'BROADCAST';
    }
  }
  if (limitIface === undefined && isLocalAddress(h, a)) return 'LOCAL';
  if (limitIface !== undefined && contains({ addr: 0x7f000000, len: 8 }, a) && limitIface === 'lo') return 'LOCAL';
  const c = lookupRoute(h, { dst: a, mark: 0 })[0];
  switch (c.kind) {
    case 'blackhole':
      return 'BLACKHOLE';
    case 'unreachable':
      return 'UNREACHABLE';
    case 'prohibit':
      return 'PROHIBIT';
    default:
      return 'UNICAST';
  }
}
