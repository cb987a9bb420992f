/**
 * The kernel's FIB lookup (ip-rule(8), ip-route(8)): policy rules in priority
 * order pick tables; within a table the longest prefix wins, then the lowest
 * metric; `throw` (or no match) falls through to the next rule; blackhole,
 * unreachable and prohibit end the lookup. Multipath routes give one choice per
 * next hop with its weight's share (the kernel hashes the flow; which next hop a
 * given flow takes is not knowable offline, so each is a branch).
 */
import type { IPv4 } from '../net/ipv4';
import { contains, formatIPv4, formatPrefix, maskOf } from '../net/ipv4';
import type { Host, HostInterface, RouteEntry } from '../model/cluster';
import type { PolicyRule } from '../model/routes';
import { DEFAULT_POLICY } from '../model/routes';

/** What a lookup needs to know about the packet. */
export interface RouteQuery {
  dst: IPv4;
  src?: IPv4;
  mark: number;
  /** Input interface for a received packet; undefined for a locally generated one. */
  iif?: string;
}

/** One result of a lookup (several for multipath). */
export type RouteChoice =
  /** The destination is an address of this host. */
  | { kind: 'local'; entry?: RouteEntry; table: string; iface?: string; share: number }
  /** Send it out `dev` to `nextHop` (the gateway, or the destination itself on a connected route). */
  | { kind: 'unicast'; entry: RouteEntry; table: string; dev?: string; gateway?: IPv4; nextHop: IPv4; src?: IPv4; share: number; exits?: string }
  /** A route (or policy rule) of type blackhole/unreachable/prohibit. */
  | { kind: 'blackhole' | 'unreachable' | 'prohibit'; entry?: RouteEntry; rule?: PolicyRule; table?: string; share: number }
  /** No table had a route. */
  | { kind: 'none'; share: number };

const LOOPBACK_NET = { addr: 0x7f000000, len: 8 };

/** Whether `a` is an address of `h` (any interface, any state) or in 127/8. */
export function isLocalAddress(h: Host, a: IPv4): boolean {
  if (contains(LOOPBACK_NET, a)) return true;
  return ifaceOwning(h, a) !== undefined;
}

/**
 * Address → interface, per host, built on first use: a host may carry many
 * addresses (a load balancer's VIPs, a benchmark's endpoints). The model is not
 * changed while traces run, so the map stays valid; it is rebuilt if the number
 * of interfaces changes.
 */
const ownedBy = new WeakMap<Host, { n: number; map: Map<IPv4, HostInterface> }>();

/** The interface of `h` that carries address `a`. */
export function ifaceOwning(h: Host, a: IPv4): HostInterface | undefined {
  let c = ownedBy.get(h);
  if (!c || c.n !== h.interfaces.length) {
    const map = new Map<IPv4, HostInterface>();
    for (const i of h.interfaces) for (const ad of i.addresses) if (!map.has(ad.ip)) map.set(ad.ip, i);
    c = { n: h.interfaces.length, map };
    ownedBy.set(h, c);
  }
  return c.map.get(a);
}

function policyOf(h: Host): { priority: number; rule?: PolicyRule; table: string }[] {
  if (h.routing.policy.length === 0) return DEFAULT_POLICY.map((p) => ({ priority: p.priority, table: p.table }));
  return h.routing.policy.map((r) => ({ priority: r.priority, rule: r, table: r.action.kind === 'lookup' ? r.action.table : '' }));
}

function ruleSelects(r: PolicyRule, q: RouteQuery): boolean {
  let ok = true;
  if (r.from && !(q.src !== undefined && contains(r.from, q.src))) ok = r.from.len === 0;
  if (ok && r.to && !contains(r.to, q.dst)) ok = false;
  if (ok && r.iif && r.iif !== (q.iif ?? 'lo')) ok = false;
  if (ok && r.fwmark && (q.mark & r.fwmark.mask) >>> 0 !== r.fwmark.value >>> 0) ok = false;
  // oif selects only sockets bound to a device, which the walk never models.
  if (ok && r.oif) ok = false;
  return r.not ? !ok : ok;
}

/** Longest prefix, then lowest metric, among the table's routes covering `dst`. */
function bestIn(entries: RouteEntry[] | undefined, dst: IPv4): RouteEntry | undefined {
  if (!entries) return undefined;
  let best: RouteEntry | undefined;
  for (const e of entries) {
    const r = e.route;
    if (!contains(r.dst, dst)) continue;
    if (!best || r.dst.len > best.route.dst.len || (r.dst.len === best.route.dst.len && r.metric < best.route.metric)) best = e;
  }
  return best;
}

/** The local table, derived from the host's addresses when no dump gave it. */
function localLookup(h: Host, dst: IPv4): RouteChoice | undefined {
  const table = h.routing.tables.get('local');
  if (table) {
    const e = bestIn(table, dst);
    if (e && (e.route.type === 'local' || e.route.type === 'broadcast')) return { kind: 'local', entry: e, table: 'local', iface: e.route.nexthops[0]?.dev, share: 1 };
    if (e) return undefined;
  }
  if (isLocalAddress(h, dst)) return { kind: 'local', table: 'local', iface: ifaceOwning(h, dst)?.name ?? 'lo', share: 1 };
  return undefined;
}

/** The interface a next hop without `dev` leaves through: the one whose subnet holds the gateway (or the destination). */
export function ifaceTowards(h: Host, a: IPv4): HostInterface | undefined {
  let best: HostInterface | undefined;
  let bestLen = -1;
  for (const i of h.interfaces) {
    if (i.isLoopback) continue;
    for (const ad of i.addresses) {
      if (ad.prefixLen > bestLen && contains({ addr: (ad.ip & maskOf(ad.prefixLen)) >>> 0, len: ad.prefixLen }, a)) {
        best = i;
        bestLen = ad.prefixLen;
      }
    }
  }
  return best;
}

/** The source address the kernel would pick for a packet leaving `dev` towards `nextHop`. */
export function preferredSource(h: Host, dev: string | undefined, nextHop: IPv4): IPv4 | undefined {
  const i = dev ? h.interfaces.find((x) => x.name === dev) : ifaceTowards(h, nextHop);
  const prim = i?.addresses.filter((a) => !a.secondary) ?? [];
  for (const a of prim) {
    const mask = maskOf(a.prefixLen);
    if (((a.ip & mask) >>> 0) === ((nextHop & mask) >>> 0)) return a.ip;
  }
  if (prim.length) return prim[0].ip;
  for (const x of h.interfaces) if (!x.isLoopback && x.addresses.length) return x.addresses[0].ip;
  return undefined;
}

function choicesOf(h: Host, e: RouteEntry, table: string, dst: IPv4): RouteChoice[] {
  const r = e.route;
  switch (r.type) {
    case 'local':
    case 'broadcast':
      return [{ kind: 'local', entry: e, table, iface: r.nexthops[0]?.dev, share: 1 }];
    case 'blackhole':
    case 'unreachable':
    case 'prohibit':
      return [{ kind: r.type, entry: e, table, share: 1 }];
    default:
      break;
  }
  if (r.cloudNextHopType === 'None') return [{ kind: 'blackhole', entry: e, table, share: 1 }];
  if (r.cloudNextHopType === 'Internet' || r.cloudNextHopType === 'VirtualNetworkGateway') {
    return [{ kind: 'unicast', entry: e, table, nextHop: dst, share: 1, exits: r.cloudNextHopType, dev: ifaceTowards(h, dst)?.name }];
  }
  const hops = r.nexthops.length ? r.nexthops : [{}];
  const total = hops.reduce((s, n) => s + (n.weight ?? 1), 0);
  return hops.map((n) => {
    const nextHop = n.via ?? dst;
    const dev = n.dev ?? ifaceTowards(h, nextHop)?.name;
    return { kind: 'unicast' as const, entry: e, table, dev, gateway: n.via, nextHop, src: r.src, share: (n.weight ?? 1) / total };
  });
}

/**
 * Looks `q.dst` up on host `h`. Never empty: at worst one `none` choice. Shares sum to 1.
 */
export function lookupRoute(h: Host, q: RouteQuery): RouteChoice[] {
  const policy = policyOf(h);
  for (let i = 0; i < policy.length; i++) {
    const p = policy[i];
    if (p.rule) {
      if (!ruleSelects(p.rule, q)) continue;
      const a = p.rule.action;
      if (a.kind === 'blackhole' || a.kind === 'unreachable' || a.kind === 'prohibit') return [{ kind: a.kind, rule: p.rule, share: 1 }];
      if (a.kind === 'nop') continue;
      if (a.kind === 'goto') {
        const j = policy.findIndex((x) => x.priority >= (a.target ?? Infinity));
        if (j < 0) break;
        i = j - 1;
        continue;
      }
    }
    if (p.table === 'local') {
      const l = localLookup(h, q.dst);
      if (l) return [l];
      continue;
    }
    const e = bestIn(h.routing.tables.get(p.table), q.dst);
    if (!e || e.route.type === 'throw') continue;
    return choicesOf(h, e, p.table, q.dst);
  }
  return [{ kind: 'none', share: 1 }];
}

/** "10.0.0.10 via 10.244.0.1 dev eth0 (default route)" */
export function describeRoute(dst: IPv4, c: RouteChoice): string {
  const where = (e?: RouteEntry, table?: string): string => {
    if (!e) return table && table !== 'main' ? ` (table ${table})` : '';
    const r = e.route;
    const name = r.dst.len === 0 ? 'default route' : `route ${formatPrefix(r.dst)}`;
    const t = table && table !== 'main' ? `, table ${table}` : '';
    return ` (${name}${t}${e.derivedFrom ? `, ${e.derivedFrom}` : ''})`;
  };
  switch (c.kind) {
    case 'local':
      return `${formatIPv4(dst)} is local${c.iface ? ` on ${c.iface}` : ''}${c.entry ? where(c.entry, c.table) : ' (an address of this host)'}`;
    case 'unicast': {
      const via = c.gateway !== undefined ? ` via ${formatIPv4(c.gateway)}` : '';
      const dev = c.dev ? ` dev ${c.dev}` : '';
      const ex = c.exits ? ` next hop ${c.exits}` : '';
      const share = c.share < 1 ? ` (multipath share ${c.share})` : '';
      return `${formatIPv4(dst)}${via}${dev}${ex}${where(c.entry, c.table)}${share}`;
    }
    case 'none':
      return `no route to ${formatIPv4(dst)}`;
    default:
      return `${formatIPv4(dst)}: ${c.kind} ${c.rule ? `policy rule ${c.rule.priority}` : `route${where(c.entry, c.table)}`}`;
  }
}
