/**
 * Test clusters built by hand: hosts with interfaces, routes written the way
 * `ip route` prints them, and iptables rules from iptables-save text (through
 * the real parser). Segments are named on the interfaces; a segment holding a
 * bridge interface is that bridge's segment.
 */
import { formatPrefix, parseIPv4, parsePrefix } from '../../../src/core/net/ipv4';
import type { Cluster, Host, HostInterface, HostKind, RouteEntry, Segment } from '../../../src/core/model/cluster';
import type { Route, RouteType } from '../../../src/core/model/routes';
import { parseIptablesSave } from '../../../src/core/parse/iptables/parse-iptables-save';
import { parseNftRuleset } from '../../../src/core/parse/nft/parse-nft-ruleset';
import type { Span } from '../../../src/core/source';

const SPAN: Span = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };

/** An interface: `name`, `addr` as `a.b.c.d/len`, the segment it joins. */
export interface IfaceSpec {
  name: string;
  addr?: string | string[];
  segment?: string;
  bridge?: boolean;
  master?: string;
  hairpin?: boolean;
}

/** A host as the tests write it. */
export interface HostSpec {
  id: string;
  kind: HostKind;
  node?: string;
  ifaces: IfaceSpec[];
  /** `ip route` lines: `default via 10.244.0.1 dev eth0`, `10.244.0.0/24 dev cbr0`, `blackhole 10.9.0.0/16`. */
  routes?: string[];
  forward?: boolean;
  brNetfilter?: boolean;
  /** iptables-save text. */
  iptables?: string;
  /** `nft list ruleset` text (read by the real nft parser). */
  nftables?: string;
  /** Segment member port names for pods on a bridge (pod id → veth). */
  ipsets?: Record<string, string[]>;
}

/** Parses one `ip route` style line into a Route (tests only; the real parser is another file's business). */
export function routeOf(line: string, table = 'main'): Route {
  const w = line.trim().split(/\s+/);
  let type: RouteType = 'unicast';
  if (['blackhole', 'unreachable', 'prohibit', 'throw', 'local'].includes(w[0])) type = w.shift() as RouteType;
  const dstText = w.shift() ?? 'default';
  const dst = dstText === 'default' ? { addr: 0, len: 0 } : (parsePrefix(dstText) ?? { addr: 0, len: 0 });
  const r: Route = { table, type, dst: { addr: dst.addr, len: dst.len }, nexthops: [], metric: 0, raw: line, span: SPAN };
  const nh: { via?: number; dev?: string; weight?: number } = {};
  for (let i = 0; i < w.length; i += 2) {
    const [k, v] = [w[i], w[i + 1]];
    if (k === 'via') nh.via = parseIPv4(v);
    else if (k === 'dev') nh.dev = v;
    else if (k === 'metric') r.metric = Number(v);
    else if (k === 'src') r.src = parseIPv4(v);
    else if (k === 'table') r.table = v;
  }
  if (type === 'unicast' || type === 'local') r.nexthops.push(nh);
  return r;
}

function ifaceOf(s: IfaceSpec): HostInterface {
  const addrs = s.addr === undefined ? [] : Array.isArray(s.addr) ? s.addr : [s.addr];
  const i: HostInterface = {
    name: s.name,
    addresses: addrs.map((a) => {
      const p = parsePrefix(a);
      if (!p) throw new Error(`bad address ${a}`);
      return { ip: p.ip, prefixLen: p.len };
    }),
    up: true,
  };
  if (s.segment) i.segment = s.segment;
  if (s.bridge) i.isBridge = true;
  if (s.master) i.master = s.master;
  if (s.hairpin !== undefined) i.hairpin = s.hairpin;
  if (s.name === 'lo') i.isLoopback = true;
  return i;
}

/** Builds a host: connected routes for each address (as the kernel adds them), then the given routes. */
export function hostOf(s: HostSpec): Host {
  const interfaces = s.ifaces.map(ifaceOf);
  const main: RouteEntry[] = [];
  for (const i of interfaces) {
    if (i.isLoopback || i.master) continue;
    for (const a of i.addresses) {
      const p = parsePrefix(`${a.ip >>> 24}.${(a.ip >>> 16) & 255}.${(a.ip >>> 8) & 255}.${a.ip & 255}/${a.prefixLen}`);
      if (p) main.push({ route: routeOf(`${formatPrefix(p)} dev ${i.name}`), derivedFrom: `connected route of ${i.name}` });
    }
  }
  const tables = new Map<string, RouteEntry[]>([['main', main]]);
  for (const line of s.routes ?? []) {
    const r = routeOf(line);
    const list = tables.get(r.table) ?? [];
    list.push({ route: r, origin: { file: `${s.id}.routes`, line: (s.routes ?? []).indexOf(line) + 1, column: 1, text: line } });
    tables.set(r.table, list);
  }
  const h: Host = {
    id: s.id,
    kind: s.kind,
    name: s.id.split('/').pop() ?? s.id,
    interfaces,
    routing: { tables, policy: [] },
    flags: { ipForward: s.forward ?? (s.kind === 'node' || s.kind === 'router'), brNetfilter: s.brNetfilter ?? s.kind === 'node' },
  };
  if (s.node) h.node = s.node;
  if (s.kind === 'pod') h.namespace = s.id.includes('/') ? s.id.split('/')[0] : 'default';
  if (s.iptables !== undefined) {
    const parsed = parseIptablesSave(s.iptables);
    const origins = new Map();
    for (const [tn, t] of parsed.value.tables) {
      for (const [cn, c] of t.chains) for (const r of c.rules) origins.set(`${tn}/${cn}/${r.index}`, { file: `${s.id}.rules`, line: r.span.line, column: 1, text: r.raw });
    }
    h.netfilter = { ruleset: parsed.value, origins, generated: false };
    if (s.ipsets) h.netfilter.ipsets = new Map(Object.entries(s.ipsets));
  }
  if (s.nftables !== undefined) {
    h.nftables = { ruleset: parseNftRuleset(s.nftables).value, placement: { file: `${s.id}.nft`, firstLine: 1, indent: 0, offset: 0 }, replacedByIptables: new Set() };
  }
  return h;
}

/** Builds a cluster from host specs; segments from the interfaces' `segment` names. */
export function clusterOf(specs: HostSpec[], opts: { clusterCIDR?: string } = {}): Cluster {
  const hosts = new Map<string, Host>();
  const segments = new Map<string, Segment>();
  const addressOwner: Cluster['addressOwner'] = new Map();
  for (const s of specs) {
    const h = hostOf(s);
    hosts.set(h.id, h);
    for (const i of h.interfaces) {
      if (!i.isLoopback) for (const a of i.addresses) if (!addressOwner.has(a.ip)) addressOwner.set(a.ip, { host: h.id, iface: i.name });
      if (!i.segment) continue;
      const seg = segments.get(i.segment) ?? { id: i.segment, kind: 'network' as const, members: [] };
      seg.members.push({ host: h.id, iface: i.name });
      if (i.isBridge) {
        seg.kind = 'bridge';
        seg.bridge = { host: h.id, iface: i.name };
      }
      segments.set(i.segment, seg);
    }
  }
  const cidr = opts.clusterCIDR ? parsePrefix(opts.clusterCIDR) : undefined;
  const c: Cluster = { hosts, segments, addressOwner, services: [], dnsDomain: 'cluster.local', issues: [] };
  if (cidr) c.clusterCIDR = { addr: cidr.addr, len: cidr.len };
  return c;
}

/** A pod on a node's bridge: eth0 with `ip/len`, default route via the bridge address. */
export function pod(id: string, node: string, ip: string, len: number, gw: string, segment: string): HostSpec {
  return { id, kind: 'pod', node, ifaces: [{ name: 'eth0', addr: `${ip}/${len}`, segment }], routes: [`default via ${gw} dev eth0`] };
}

/**
 * The node of kube-proxy's own proxier tests (its three node addresses on eth0,
 * pods on cbr0 10.0.0.1/8), with `rules` as its netfilter dump: a client pod
 * `ns/client` at 10.0.0.2 and a pod `ns/ep-IP` for each endpoint address.
 */
export function kubeProxyTestCluster(rules: Pick<HostSpec, 'iptables' | 'nftables'>, endpointIPs: string[]): Cluster {
  const br = 'bridge:node/cbr0';
  return clusterOf([
    {
      id: 'node', kind: 'node',
      ifaces: [
        { name: 'lo', addr: '127.0.0.1/8' },
        { name: 'eth0', addr: ['192.168.0.2/24', '192.168.1.2/24', '192.168.99.11/24'], segment: 'lan' },
        { name: 'cbr0', addr: '10.0.0.1/8', segment: br, bridge: true },
      ],
      routes: ['default via 192.168.0.1 dev eth0'],
      ...rules,
    },
    pod('ns/client', 'node', '10.0.0.2', 8, '10.0.0.1', br),
    ...endpointIPs.map((ip) => pod(`ns/ep-${ip}`, 'node', ip, 8, '10.0.0.1', br)),
  ], { clusterCIDR: '10.0.0.0/8' });
}

/** Strips the common indentation of a template literal, so rules can be written inline. */
export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').split('\n');
  const ind = Math.min(...lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)?.[0].length ?? 0));
  return lines.map((l) => l.slice(ind)).join('\n');
}
