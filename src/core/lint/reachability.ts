/**
 * Reachability between address classes, the way Batfish answers reachability
 * questions but for a Kubernetes cluster: the classes are each node's pod CIDR
 * and each node's own address, not individual addresses, so the work grows with
 * nodes², not with pods or Services. One representative packet per pair of
 * classes is walked with the simulator, forward and back; a Service endpoint is
 * reachable from a node exactly when its class is.
 */
import type { Issue, Origin } from '../source';
import type { Cluster, Host, RouteEntry } from '../model/cluster';
import type { Topology } from '../model/topology';
import type { Outcome } from '../sim/types';
import { traceFlow, type Flow } from '../sim/trace-flow';
import { contains, firstHost, formatIPv4, formatPrefix, type IPv4, type Prefix } from '../net/ipv4';
import { lintIssue } from './lint-issue';
import { routeFix } from './route-fix';

/** One address class: the pods of a node (its pod CIDR), represented by one address in it. */
interface PodClass {
  node: Host;
  cidr: Prefix;
  /** An address in the class a packet is sent to: a pod's, else the bridge's. */
  rep: IPv4;
}

/** What one source node can reach: class index → the worst outcome seen. */
type Matrix = Map<string, Map<string, Outcome | undefined>>;

/** Walks a packet from every node's pods to every other node's pods and reports what does not arrive or not come back. */
export function checkReachability(t: Topology, cluster: Cluster, trace: (c: Cluster, f: Flow) => Outcome[] = traceFlow): Issue[] {
  const issues: Issue[] = [];
  const classes = podClasses(t, cluster);
  const matrix: Matrix = new Map();
  const reported = new Set<string>();
  const specific = specificPrefixes(cluster);
  for (const src of classes) {
    const row = new Map<string, Outcome | undefined>();
    matrix.set(src.node.id, row);
    const senders = sendersIn(cluster, src, specific);
    for (const [k, sender] of senders.entries()) {
      for (const dst of classes) {
        if (dst === src) continue;
        for (const atom of atomsOf(cluster, dst, specific)) {
          const outcomes = trace(cluster, { srcHost: sender.host, src: sender.ip, dst: atom, protocol: 'tcp', srcPort: 40000, dstPort: 80 });
          const bad = outcomes.find((o) => o.disposition !== 'delivered') ?? outcomes.find((o) => o.reply && o.reply.disposition !== 'delivered');
          // The class as a whole: its main sender to the destination's main address.
          if (k === 0 && atom === dst.rep) row.set(dst.node.id, bad);
          if (!bad) continue;
          const issue = explain(cluster, t, src, { ...dst, rep: atom }, bad);
          if (issue && !reported.has(issue.code + issue.file + issue.span.line + issue.message)) {
            reported.add(issue.code + issue.file + issue.span.line + issue.message);
            issues.push(issue);
          }
        }
      }
    }
  }
  issues.push(...endpointIssues(t, cluster, classes, matrix));
  return issues;
}

/**
 * How finely a class is checked: besides its main address, one address in each
 * more specific prefix some host routes on its own (a /32 blackhole, a /26 sent
 * elsewhere), since packets to those addresses may go another way than the rest
 * of the class. Bounded, so a CNI that routes every pod as a /32 stays cheap.
 */
const MAX_ATOMS = 16;

/** Every route prefix of every host, outside the local table. */
function specificPrefixes(cluster: Cluster): Prefix[] {
  const out = new Map<string, Prefix>();
  for (const h of cluster.hosts.values()) {
    for (const [table, entries] of h.routing.tables) {
      if (table === 'local') continue;
      for (const { route } of entries) out.set(`${route.dst.addr}/${route.dst.len}`, route.dst);
    }
  }
  return [...out.values()];
}

function podAddresses(cluster: Cluster, c: PodClass): { host: string; ip: IPv4 }[] {
  const out: { host: string; ip: IPv4 }[] = [];
  for (const h of cluster.hosts.values()) {
    if (h.kind !== 'pod' || h.node !== c.node.id) continue;
    const ip = h.interfaces.flatMap((i) => i.addresses).find((a) => contains(c.cidr, a.ip))?.ip;
    if (ip !== undefined) out.push({ host: h.id, ip });
  }
  return out;
}

/** The destination addresses checked for a class: its main one, then one per more specific routed prefix. */
function atomsOf(cluster: Cluster, c: PodClass, specific: Prefix[]): IPv4[] {
  const atoms = [c.rep];
  const pods = podAddresses(cluster, c);
  for (const p of specific) {
    if (atoms.length >= MAX_ATOMS) break;
    if (p.len <= c.cidr.len || !contains(c.cidr, p.addr)) continue;
    if (atoms.some((a) => contains(p, a))) continue;
    atoms.push(pods.find((x) => contains(p, x.ip))?.ip ?? (p.len === 32 ? p.addr : firstHost(p)));
  }
  return atoms;
}

/** The senders of a class: its main one, then each pod in a more specific routed prefix (its replies may go another way). */
function sendersIn(cluster: Cluster, c: PodClass, specific: Prefix[]): { host: string; ip: IPv4 }[] {
  const first = senderIn(cluster, c);
  if (!first) return [];
  const out = [first];
  for (const pod of podAddresses(cluster, c)) {
    if (out.length >= MAX_ATOMS) break;
    if (out.some((x) => x.ip === pod.ip)) continue;
    if (specific.some((p) => p.len > c.cidr.len && contains(p, pod.ip) && !contains(p, first.ip))) out.push(pod);
  }
  return out;
}

function podClasses(t: Topology, cluster: Cluster): PodClass[] {
  const out: PodClass[] = [];
  for (const n of t.nodes) {
    const node = cluster.hosts.get(n.name);
    if (!node || !n.podCIDR) continue;
    // A pod's address as the model has it: where a pod's interface dump disagrees with
    // the topology's ip, the dump wins, and the topology's address belongs to no one.
    const cidr = n.podCIDR;
    const pod = [...cluster.hosts.values()].find((h) => h.kind === 'pod' && h.node === n.name)
      ?.interfaces.flatMap((i) => i.addresses).find((a) => contains(cidr, a.ip))?.ip;
    const declared = t.pods.find((p) => p.node === n.name && !p.hostNetwork && p.ip !== undefined && contains(cidr, p.ip))?.ip;
    out.push({ node, cidr, rep: pod ?? declared ?? firstHost(cidr) });
  }
  return out;
}

/** The host that sends for a class: a pod on that node when there is one, else the node from its bridge address. */
function senderIn(cluster: Cluster, c: PodClass): { host: string; ip: IPv4 } | undefined {
  for (const h of cluster.hosts.values()) {
    if (h.kind !== 'pod' || h.node !== c.node.id) continue;
    const ip = h.interfaces.flatMap((i) => i.addresses).find((a) => contains(c.cidr, a.ip))?.ip;
    if (ip !== undefined) return { host: h.id, ip };
  }
  const ip = c.node.interfaces.flatMap((i) => i.addresses).find((a) => contains(c.cidr, a.ip))?.ip;
  return ip === undefined ? undefined : { host: c.node.id, ip };
}

function lastRouteOrigin(hopsOf: Outcome['hops'], host: string): Origin | undefined {
  for (let i = hopsOf.length - 1; i >= 0; i--) if (hopsOf[i].host === host && hopsOf[i].kind === 'route' && hopsOf[i].origin) return hopsOf[i].origin;
  return undefined;
}

/** The main-table route entry with the highest line number: where a missing route is added. */
function tableEnd(h: Host): RouteEntry | undefined {
  const entries = (h.routing.tables.get('main') ?? []).filter((e) => e.origin);
  return entries.reduce<RouteEntry | undefined>((a, e) => (!a || e.origin!.line > a.origin!.line ? e : a), undefined);
}

function explain(cluster: Cluster, t: Topology, src: PodClass, dst: PodClass, o: Outcome): Issue | undefined {
  const ends = `pods on ${dst.node.id} (${formatPrefix(dst.cidr)}) from ${src.node.id}'s pods (${formatPrefix(src.cidr)})`;
  const nodeDecl = t.nodes.find((n) => n.name === dst.node.id);
  const related = nodeDecl ? [{ message: `${dst.node.id}, whose pods are cut off`, origin: { file: t.file, line: (nodeDecl.podCIDRSpan ?? nodeDecl.nameSpan).line, column: (nodeDecl.podCIDRSpan ?? nodeDecl.nameSpan).column, text: formatPrefix(dst.cidr) } }] : [];
  if (o.disposition === 'delivered' && o.reply) {
    const r = o.reply;
    return lintIssue('asymmetric-route', lastRouteOrigin(r.hops, r.at) ?? cluster.hosts.get(r.at)?.origin, t.file,
      `${ends}: the packet arrives but the reply ends ${r.disposition} at ${r.at}; TCP connections would time out`, related);
  }
  const at = cluster.hosts.get(o.at);
  switch (o.disposition) {
    case 'no-route': {
      // A route was found but nobody on its link has the address (ARP fails): no route is missing.
      const used = o.hops.some((h) => h.host === o.at && h.kind === 'route') ? lastRouteOrigin(o.hops, o.at) : undefined;
      if (used) {
        return lintIssue('unreachable-pod-cidr', used, t.file,
          `cannot reach ${ends}: ${o.at} routes ${formatIPv4(dst.rep)} here, but no host on that link has the address ("host unreachable")`, related);
      }
      const end = at ? tableEnd(at) : undefined;
      const issue = lintIssue('unreachable-pod-cidr', end?.origin ?? at?.origin, t.file,
        `cannot reach ${ends}: ${o.at} has no route for ${formatPrefix(dst.cidr)} (packets to ${formatIPv4(dst.rep)} get "network unreachable")`, related);
      const fix = at && end ? routeFix(at, end, dst) : undefined;
      if (fix) issue.fixes = [fix];
      return issue;
    }
    case 'blackhole':
      return lintIssue('blackholed-route', lastRouteOrigin(o.hops, o.at) ?? at?.origin, t.file, `${ends}: ${o.at} discards the packets on a blackhole route`, related);
    case 'loop':
      return lintIssue('route-loop', lastRouteOrigin(o.hops, o.at) ?? at?.origin, t.file, `${ends}: the packets loop until their TTL runs out (last at ${o.at})`, related);
    case 'exited':
      return lintIssue('next-hop-unknown', lastRouteOrigin(o.hops, o.at) ?? at?.origin, t.file, `${ends}: ${o.at} sends the packets to a next hop no host of the topology owns`, related);
    default:
      return undefined; // dropped/rejected by rules: policy, not reachability
  }
}

function endpointIssues(t: Topology, cluster: Cluster, classes: PodClass[], matrix: Matrix): Issue[] {
  const issues: Issue[] = [];
  for (const svc of cluster.services) {
    const decl = t.services.find((s) => s.name === svc.name && s.namespace === svc.namespace);
    for (const ep of svc.endpoints) {
      const cls = classes.find((c) => contains(c.cidr, ep.ip));
      if (!cls) continue;
      const cut = [...matrix].filter(([from, row]) => from !== cls.node.id && row.get(cls.node.id)).map(([from]) => from);
      if (!cut.length) continue;
      issues.push(lintIssue('service-unreachable-endpoint', decl ? { file: t.file, line: decl.nameSpan.line, column: decl.nameSpan.column, text: decl.name } : svc.origin, t.file,
        `Service ${svc.id}: endpoint ${formatIPv4(ep.ip)}${ep.pod ? ` (${ep.pod})` : ''} on ${cls.node.id} cannot be reached from pods on ${cut.join(', ')}: connections chosen for it fail there`));
    }
  }
  return issues;
}
