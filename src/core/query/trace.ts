/**
 * A TraceQuery (names, `ip:port`, DNS names) → TraceResult: resolves who sends
 * (a pod, a hostNetwork pod's node, a node, router or host, or an address one of
 * them owns) and where to (an address, or a name resolved the way the source's
 * resolver would, with the DNS packets traced), then walks each connection.
 */
import type { IPv4 } from '../net/ipv4';
import { formatIPv4, parseIPv4 } from '../net/ipv4';
import type { Cluster, Host } from '../model/cluster';
import type { DnsResult, Outcome, TraceQuery, TraceResult } from '../sim/types';
import { assertProbabilities, traceFlow } from '../sim/trace-flow';
import { lookupRoute, preferredSource } from '../sim/route-lookup';
import { resolveName } from '../dns/resolve';

/** The sending side of a query. */
export interface ResolvedSource {
  host: Host;
  /** Set when the query named an address. */
  ip?: IPv4;
  /** A hostNetwork pod the query named (it sends from its node). */
  pod?: string;
}

/** Finds the host `from` names; an error sentence when none or several do. */
export function resolveSource(cl: Cluster, from: string): ResolvedSource | { error: string } {
  const f = from.trim();
  const direct = cl.hosts.get(f);
  if (direct) return { host: direct };
  const ip = parseIPv4(f);
  if (ip !== undefined) {
    const o = cl.addressOwner.get(ip);
    const h = o ? cl.hosts.get(o.host) : undefined;
    return h ? { host: h, ip } : { error: `unknown source '${from}': no pod, node, router or host owns that address` };
  }
  const hn = cl.hostNetworkPods;
  const hostNet = (id: string): ResolvedSource | undefined => {
    const node = hn?.get(id);
    const h = node ? cl.hosts.get(node) : undefined;
    return h ? { host: h, pod: id } : undefined;
  };
  const hnDirect = hostNet(f);
  if (hnDirect) return hnDirect;
  const pods = [...cl.hosts.values()].filter((h) => h.kind === 'pod' && h.name === f);
  const hnPods = [...(hn?.keys() ?? [])].filter((id) => id.split('/').pop() === f);
  const n = pods.length + hnPods.length;
  if (n === 1) return pods.length ? { host: pods[0] } : (hostNet(hnPods[0]) as ResolvedSource);
  if (n > 1) return { error: `source '${from}' is ambiguous: ${[...pods.map((p) => p.id), ...hnPods].join(', ')} (write namespace/name)` };
  return { error: `unknown source '${from}': no pod, node, router or host has that name` };
}

/** Splits `DST` into a name or address and an optional port; an error for a malformed port. */
export function parseDestination(to: string): { host: string; port?: number } | { error: string } {
  const t = to.trim();
  if (!t) return { error: 'empty destination' };
  // IPv6 (`fd00::1`, `[fd00::1]:53`) is not modelled; say so rather than read it as a name.
  if (t.startsWith('[') || (t.match(/:/g) ?? []).length > 1) {
    return { error: /^\[?[0-9a-fA-F:.]+(\]:\d+|\])?$/.test(t) ? `'${to}' is an IPv6 address: the simulator models IPv4 only` : `malformed destination '${to}' (A.B.C.D, A.B.C.D:PORT, NAME or NAME:PORT)` };
  }
  const colon = t.lastIndexOf(':');
  if (colon < 0) return checkHost(t, to) ?? { host: t };
  const portText = t.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return { error: `malformed port '${portText}' in '${to}' (1-65535)` };
  const host = t.slice(0, colon);
  // An empty name would go through the resolver's search list as ".default.svc.cluster.local.".
  if (!host) return { error: `no address or name before ':${portText}' in '${to}'` };
  return checkHost(host, to) ?? { host, port };
}

/** An address must be a dotted quad; a name must be one a resolver can encode (labels of 1–63 characters, 253 in all). */
function checkHost(host: string, to: string): { error: string } | undefined {
  if (/^[\d.]+$/.test(host)) return parseIPv4(host) === undefined ? { error: `'${host}' in '${to}' is not an IPv4 address` } : undefined;
  const name = host.replace(/\.$/, '');
  const labels = name.split('.');
  if (name.length > 253 || labels.some((l) => l.length === 0 || l.length > 63 || !/^[A-Za-z0-9_-]+$/.test(l))) {
    return { error: `'${host}' in '${to}' is not a DNS name a resolver can send (labels of 1-63 letters, digits or '-', 253 characters in all)` };
  }
  return undefined;
}

/** The address a host's packet leaves with: the named one, a pod's own, or what the kernel picks for the route. */
function sourceAddress(h: Host, dst: IPv4, named?: IPv4): IPv4 | undefined {
  if (named !== undefined) return named;
  const c = lookupRoute(h, { dst, mark: 0 })[0];
  if (c.kind === 'unicast') return c.src ?? preferredSource(h, c.dev, c.nextHop);
  if (c.kind === 'local') return dst;
  return preferredSource(h, undefined, dst);
}

/** The smallest IP packet a query may ask for: an IPv4 header and an ICMP/UDP header (20 + 8). */
export const MIN_SIZE = 28;

/** Whether `n` is an IP packet size a trace can take (MIN_SIZE to 65535 bytes). */
export function isPacketSize(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_SIZE && n <= 65535;
}

/** Answers a trace query against a cluster. Never throws: a bad query gives `error`. */
export function trace(cluster: Cluster, q: TraceQuery): TraceResult {
  const res: TraceResult = { version: 1, query: { from: q.from, to: q.to, protocol: q.protocol }, source: { ip: '' }, dns: null, outcomes: [] };
  if (q.port !== undefined) res.query.port = q.port;
  if (q.size !== undefined) res.query.size = q.size;
  try {
    return run(cluster, q, res);
  } catch (e) {
    res.outcomes = [];
    res.error = `internal error while tracing: ${e instanceof Error ? e.message : String(e)}`;
    return res;
  }
}

function run(cluster: Cluster, q: TraceQuery, res: TraceResult): TraceResult {
  if (!['tcp', 'udp', 'icmp'].includes(q.protocol)) return { ...res, error: `unknown protocol '${q.protocol}' (tcp, udp or icmp)` };
  if (q.port !== undefined && !(Number.isInteger(q.port) && q.port >= 1 && q.port <= 65535)) return { ...res, error: `malformed port '${q.port}' (1-65535)` };
  if (q.size !== undefined && !isPacketSize(q.size)) return { ...res, error: `malformed size '${q.size}' (IP packet bytes, ${MIN_SIZE}-65535)` };
  const src = resolveSource(cluster, q.from);
  if ('error' in src) return { ...res, error: src.error };
  const dest = parseDestination(q.to);
  if ('error' in dest) return { ...res, error: dest.error };
  const port = q.protocol === 'icmp' ? undefined : q.port ?? dest.port;
  if (port !== undefined) res.query.port = port;
  const assumptions: string[] = [];
  if (q.protocol !== 'icmp' && port === undefined) assumptions.push('no destination port given: rules that match a port do not match');
  let targets: IPv4[];
  const ip = parseIPv4(dest.host);
  if (ip !== undefined) targets = [ip];
  else {
    const dns: DnsResult = resolveName(cluster, src.host.id, dest.host);
    res.dns = dns;
    targets = dns.resolved.map((a) => parseIPv4(a)).filter((a): a is IPv4 => a !== undefined);
    if (targets.length > 1) assumptions.push(`${dest.host} resolved to ${targets.length} addresses: each taken with equal likelihood`);
  }
  const h = src.host;
  const firstSrc = targets.length ? sourceAddress(h, targets[0], src.ip) : src.ip ?? h.interfaces.find((i) => !i.isLoopback && i.addresses.length)?.addresses[0]?.ip;
  res.source = { ip: firstSrc !== undefined ? formatIPv4(firstSrc) : '' };
  if (src.pod) res.source.pod = src.pod;
  if (h.kind === 'pod') {
    res.source.pod = h.id;
    if (h.node) res.source.node = h.node;
  } else if (h.kind === 'node') res.source.node = h.id;
  else res.source.host = h.id;
  const outcomes: Outcome[] = [];
  for (const dst of targets) {
    const s = sourceAddress(h, dst, src.ip);
    if (s === undefined) return { ...res, error: `${h.id} has no address to send from` };
    for (const o of traceFlow(cluster, { srcHost: h.id, src: s, dst, protocol: q.protocol, dstPort: port, ...(q.size !== undefined ? { size: q.size } : {}) })) {
      outcomes.push({ ...o, probability: o.probability / targets.length });
    }
  }
  assertProbabilities(outcomes);
  res.outcomes = outcomes;
  if (assumptions.length) res.assumptions = assumptions;
  return res;
}
