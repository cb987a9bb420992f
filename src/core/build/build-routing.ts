/**
 * Route tables and policy rules of each host. A `routes:` dump is the truth for
 * the tables it shows; tables it does not show are derived as the kernel would
 * hold them: the `local` table from the addresses (a /32 `local` route each, the
 * whole 127.0.0.0/8 for loopback), `main` from the connected networks plus the
 * default route kubenet (pods) or the cloud network (nodes, hosts) would install.
 * Every derived route says why it exists (`derivedFrom`).
 */
import { type IPv4, type Prefix, ANY, contains, formatIPv4, formatPrefix, prefix } from '../net/ipv4';
import type { Span } from '../source';
import { DEFAULT_POLICY, type PolicyRule, type Route } from '../model/routes';
import type { Parsed, RouteSource, Topology } from '../model/topology';
import type { HostInterface, RouteEntry, RoutingState } from '../model/cluster';
import { placedOrigin } from './placement';

/** A derived route: its span is the declaring entry in the topology (derived routes have no line of their own). */
function derived(route: Omit<Route, 'raw' | 'span' | 'metric'> & { metric?: number }, span: Span, why: string): RouteEntry {
  const r: Route = { metric: 0, ...route, raw: '', span };
  r.raw = routeText(r);
  return { route: r, derivedFrom: why };
}

/** `ip route`-style text of a route, for display of derived routes. */
export function routeText(r: Route): string {
  const dst = r.dst.len === 0 ? 'default' : r.dst.len === 32 ? formatIPv4(r.dst.addr) : formatPrefix(r.dst);
  const parts = [r.type === 'unicast' ? '' : r.type, dst];
  for (const h of r.nexthops) {
    if (h.via !== undefined) parts.push('via', formatIPv4(h.via));
    if (h.dev) parts.push('dev', h.dev);
  }
  if (r.table !== 'main') parts.push('table', r.table);
  if (r.proto) parts.push('proto', r.proto);
  if (r.scope) parts.push('scope', r.scope);
  if (r.src !== undefined) parts.push('src', formatIPv4(r.src));
  if (r.metric) parts.push('metric', String(r.metric));
  return parts.filter(Boolean).join(' ');
}

/** The connected network of an interface's first (primary) address. */
export function connectedPrefix(i: HostInterface): Prefix | undefined {
  const a = i.addresses.find((x) => !x.secondary) ?? i.addresses[0];
  return a && !i.isLoopback && a.prefixLen < 32 ? prefix(a.ip, a.prefixLen) : undefined;
}

/** Connected routes (`proto kernel scope link src …`) of every up interface with an address. */
function connectedRoutes(ifaces: HostInterface[], span: Span): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const i of ifaces) {
    if (!i.up || i.isLoopback) continue;
    for (const a of i.addresses) {
      if (a.prefixLen >= 32) continue;
      const dst = prefix(a.ip, a.prefixLen);
      if (out.some((e) => e.route.dst.addr === dst.addr && e.route.dst.len === dst.len)) continue;
      out.push(derived({ table: 'main', type: 'unicast', dst, nexthops: [{ dev: i.name }], proto: 'kernel', scope: 'link', src: a.ip }, span, `connected route of ${i.name} ${formatIPv4(a.ip)}/${a.prefixLen}`));
    }
  }
  return out;
}

/** The `local` table the kernel derives from addresses. */
function localRoutes(ifaces: HostInterface[], span: Span): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const i of ifaces) {
    for (const a of i.addresses) {
      const dst = i.isLoopback ? prefix(a.ip, a.prefixLen) : { addr: a.ip, len: 32 };
      out.push(derived({ table: 'local', type: 'local', dst, nexthops: [{ dev: i.name }], proto: 'kernel', scope: 'host', src: a.ip }, span, `local address ${formatIPv4(a.ip)} of ${i.name}`));
    }
  }
  return out;
}

/** A cloud route table's default system routes besides the virtual network's own (Azure's list). */
const SYSTEM_ROUTES: [Prefix, 'Internet' | 'None'][] = [
  [ANY, 'Internet'],
  [prefix(0x0a000000, 8), 'None'], [prefix(0xac100000, 12), 'None'], [prefix(0xc0a80000, 16), 'None'], [prefix(0x64400000, 10), 'None'],
];

/** What a host's routing is derived from. */
export interface RoutingInput {
  t: Topology;
  ifaces: HostInterface[];
  /** The entry's name span: derived routes point at the host's declaration. */
  span: Span;
  routes?: RouteSource;
  ipRules?: Parsed<PolicyRule[]>;
  /** The default route to derive when no dump gives main (pods: via the bridge; nodes/hosts: via a router). */
  defaultVia?: { via: IPv4; dev: string; why: string };
}

/** The route tables and policy rules of one host. */
export function buildRouting(inp: RoutingInput): RoutingState {
  const tables = new Map<string, RouteEntry[]>();
  if (inp.routes) {
    const src = inp.routes.source;
    for (const r of inp.routes.value.routes) {
      const list = tables.get(r.table) ?? [];
      list.push({ route: r, origin: placedOrigin(inp.t, r.span, r.raw, src) });
      tables.set(r.table, list);
    }
    // A cloud route table and a YAML route list give only the routes someone configured: the
    // connected networks are implicit there (Azure's VnetLocal), as they are in a kernel. A kernel
    // dump shows its connected routes itself; one with no main-table routes still has them.
    const cloud = inp.routes.value.format === 'azure-route-table';
    const implicit = cloud || src.inline === true || !tables.has('main');
    if (implicit) {
      const main = tables.get('main') ?? [];
      const has = (p: Prefix): boolean => main.some((e) => e.route.dst.addr === p.addr && e.route.dst.len === p.len);
      for (const c of connectedRoutes(inp.ifaces, inp.span)) {
        if (has(c.route.dst)) continue;
        if (cloud) {
          c.implied = 'cloud-system-route';
          c.derivedFrom = `system route VnetLocal for the virtual network ${formatPrefix(c.route.dst)}, implied: the cloud keeps it beside the table's routes`;
        }
        main.push(c);
      }
      // The cloud's default system routes (Azure's: 0.0.0.0/0 to the internet, the private
      // and shared ranges dropped unless the virtual network or a route says otherwise); a
      // route of the table for the same prefix replaces each.
      if (cloud) {
        for (const [dst, hop] of SYSTEM_ROUTES) {
          if (has(dst)) continue;
          const text = `${dst.len === 0 ? '0.0.0.0/0' : formatPrefix(dst)} → ${hop}`;
          const e = derived({ table: 'main', type: hop === 'None' ? 'blackhole' : 'unicast', dst, nexthops: [], cloudNextHopType: hop }, inp.span,
            `system route ${text}, implied: the cloud keeps it beside the table's routes; a route of the table for that prefix replaces it`);
          e.implied = 'cloud-system-route';
          main.push(e);
        }
      }
      tables.set('main', main);
    }
  } else {
    const main = connectedRoutes(inp.ifaces, inp.span);
    if (inp.defaultVia) {
      main.push(derived({ table: 'main', type: 'unicast', dst: ANY, nexthops: [{ via: inp.defaultVia.via, dev: inp.defaultVia.dev }] }, inp.span, inp.defaultVia.why));
    }
    tables.set('main', main);
  }
  if (!tables.has('local')) tables.set('local', localRoutes(inp.ifaces, inp.span));
  const policy = inp.ipRules?.value.length
    ? [...inp.ipRules.value].sort((a, b) => a.priority - b.priority)
    : DEFAULT_POLICY.map((p): PolicyRule => ({
      priority: p.priority, not: false, action: { kind: 'lookup', table: p.table },
      raw: `${p.priority}:\tfrom all lookup ${p.table}`, span: inp.span,
    }));
  return { tables, policy };
}

/** The first address among `candidates` on the network of `iface`, with the candidate's name. */
export function gatewayOn(iface: HostInterface | undefined, candidates: { name: string; ifaces: HostInterface[] }[]): { via: IPv4; name: string } | undefined {
  const net = iface && connectedPrefix(iface);
  if (!net) return undefined;
  for (const c of candidates) {
    for (const i of c.ifaces) for (const a of i.addresses) if (!i.isLoopback && contains(net, a.ip)) return { via: a.ip, name: c.name };
  }
  return undefined;
}
