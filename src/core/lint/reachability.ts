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
import { lintIssue, spanOfOrigin } from './lint-issue';
import { routeFix } from './route-fix';

/** One address class: the pods of a node (its pod CIDR), represented by one address in it. */
interface PodClass {
  node: Host;
  cidr: Prefix;
  /** An address in the class a packet is sent to: a pod's, else the bridge's. */
  rep: IPv4;
}

/** Why a class cannot reach another: the worst outcome seen, and the missing route behind it when that is the cause. */
interface Cut {
  outcome: Outcome;
  gap?: string;
}

/** What one source node can reach: destination node → why it cannot (undefined: it can). */
type Matrix = Map<string, Map<string, Cut | undefined>>;

/**
 * One missing route: a host with no route for a pod CIDR. Packets from several
 * classes, and replies to several, fail on it; it is one problem, reported once.
 */
interface RouteGap {
  key: string;
  at: Host;
  dst: PodClass;
  /** Nodes whose pods' packets to `dst` end here. */
  from: Set<string>;
  /** Nodes whose pods' replies to `dst` end here (the packet itself arrived). */
  repliesFrom: Set<string>;
}

/** Walks a packet from every node's pods to every other node's pods and reports what does not arrive or not come back. */
export function checkReachability(t: Topology, cluster: Cluster, trace: (c: Cluster, f: Flow) => Outcome[] = traceFlow): Issue[] {
  const issues: Issue[] = [];
  const classes = podClasses(t, cluster);
  const matrix: Matrix = new Map();
  const reported = new Set<string>();
  const gaps = new Map<string, RouteGap>();
  const specific = specificPrefixes(cluster);
  for (const src of classes) {
    const row = new Map<string, Cut | undefined>();
    matrix.set(src.node.id, row);
    const senders = sendersIn(cluster, src, specific);
    for (const [k, sender] of senders.entries()) {
      for (const dst of classes) {
        if (dst === src) continue;
        for (const atom of atomsOf(cluster, dst, specific)) {
          const outcomes = trace(cluster, { srcHost: sender.host, src: sender.ip, dst: atom, protocol: 'tcp', srcPort: 40000, dstPort: 80 });
          const bad = outcomes.find((o) => o.disposition !== 'delivered') ?? outcomes.find((o) => o.reply && o.reply.disposition !== 'delivered');
          const gap = bad ? missingRoute(cluster, src, { ...dst, rep: atom }, bad) : undefined;
          // The class as a whole: its main sender to the destination's main address.
          if (k === 0 && atom === dst.rep) row.set(dst.node.id, bad && { outcome: bad, gap: gap?.key });
          if (!bad) continue;
          if (gap) { mergeGap(gaps, gap); continue; }
          const issue = explain(cluster, t, src, { ...dst, rep: atom }, bad);
          if (issue && !reported.has(issue.code + issue.file + issue.span.line + issue.message)) {
            reported.add(issue.code + issue.file + issue.span.line + issue.message);
            issues.push(issue);
          }
        }
      }
    }
  }
  const gapIssues = new Map([...gaps].map(([key, g]) => [key, gapIssue(t, g)]));
  issues.push(...gapIssues.values(), ...endpointIssues(t, cluster, classes, matrix, gapIssues));
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

/** Whether `o` failed for want of a route (not an ARP failure, not a rule): the missing route, as a gap to report once. */
function missingRoute(cluster: Cluster, src: PodClass, dst: PodClass, o: Outcome): RouteGap | undefined {
  // A cloud's implied system route (10.0.0.0/8 → None) catching the packet is the table lacking the range too.
  const impliedDrop = (disposition: string, at: string, hops: Outcome['hops']) =>
    disposition === 'blackhole' && hops.filter((h) => h.host === at && h.kind === 'route').at(-1)?.implied === 'cloud-system-route';
  const noRouteAt = (disposition: string, at: string, hops: Outcome['hops']) =>
    (disposition === 'no-route' && !lastRouteOrigin(hops, at)) || impliedDrop(disposition, at, hops) ? cluster.hosts.get(at) : undefined;
  const forward = noRouteAt(o.disposition, o.at, o.hops);
  if (forward) return { key: `${forward.id} ${formatPrefix(dst.cidr)}`, at: forward, dst, from: new Set([src.node.id]), repliesFrom: new Set() };
  const r = o.disposition === 'delivered' ? o.reply : undefined;
  const back = r && noRouteAt(r.disposition, r.at, r.hops);
  // The reply goes to the sender's class: that is the prefix the host lacks.
  if (back) return { key: `${back.id} ${formatPrefix(src.cidr)}`, at: back, dst: src, from: new Set(), repliesFrom: new Set([dst.node.id]) };
  return undefined;
}

function mergeGap(gaps: Map<string, RouteGap>, g: RouteGap): void {
  const prev = gaps.get(g.key);
  if (!prev) { gaps.set(g.key, g); return; }
  for (const f of g.from) prev.from.add(f);
  for (const f of g.repliesFrom) prev.repliesFrom.add(f);
}

/**
 * One missing route as one finding, placed where the row would go: just after
 * the last row of the host's table, which is where its quick fix inserts it.
 */
function gapIssue(t: Topology, g: RouteGap): Issue {
  const cidr = formatPrefix(g.dst.cidr);
  const list = (s: Set<string>) => [...s].map((n) => `${n}'s`).join(', ');
  const lost = g.repliesFrom.size ? `connections from ${g.dst.node.id}'s pods to pods on ${[...g.repliesFrom].join(', ')} time out (the replies end there too)` : '';
  const end = tableEnd(g.at);
  const place = end?.origin ? afterRow(end.origin) : g.at.origin;
  const issue = g.from.size
    ? lintIssue('unreachable-pod-cidr', place, t.file,
      `cannot reach pods on ${g.dst.node.id} (${cidr}) from ${list(g.from)} pods: ${g.at.id} has no route for ${cidr} (packets to ${formatIPv4(g.dst.rep)} get "network unreachable")${lost ? `; ${lost}` : ''}`, cutOff(t, g.dst))
    : lintIssue('asymmetric-route', place, t.file, `${g.at.id} has no route for ${cidr} (${g.dst.node.id}'s pods): ${lost}`, cutOff(t, g.dst));
  const fix = end ? routeFix(g.at, end, g.dst) : undefined;
  if (fix) issue.fixes = [fix];
  return issue;
}

/** An empty place just after a row: the editor draws it one character wide past the line's end, not on the row. */
function afterRow(o: Origin): Origin {
  const span = spanOfOrigin(o);
  return { file: o.file, line: span.endLine, column: span.endColumn, endLine: span.endLine, endColumn: span.endColumn, text: '' };
}

/** The node declaration whose pods are cut off, as related information. */
function cutOff(t: Topology, dst: PodClass): { message: string; origin?: Origin }[] {
  const nodeDecl = t.nodes.find((n) => n.name === dst.node.id);
  if (!nodeDecl) return [];
  const s = nodeDecl.podCIDRSpan ?? nodeDecl.nameSpan;
  return [{ message: `${dst.node.id}, whose pods are cut off`, origin: { file: t.file, line: s.line, column: s.column, text: formatPrefix(dst.cidr) } }];
}

function explain(cluster: Cluster, t: Topology, src: PodClass, dst: PodClass, o: Outcome): Issue | undefined {
  const ends = `pods on ${dst.node.id} (${formatPrefix(dst.cidr)}) from ${src.node.id}'s pods (${formatPrefix(src.cidr)})`;
  const related = cutOff(t, dst);
  if (o.disposition === 'delivered' && o.reply) {
    const r = o.reply;
    return lintIssue('asymmetric-route', lastRouteOrigin(r.hops, r.at) ?? cluster.hosts.get(r.at)?.origin, t.file,
      `${ends}: the packet arrives but the reply ends ${r.disposition} at ${r.at}; TCP connections would time out`, related);
  }
  const at = cluster.hosts.get(o.at);
  switch (o.disposition) {
    case 'no-route':
      // A route was found but nobody on its link has the address (ARP fails), or the route is unreachable/prohibit.
      return lintIssue('unreachable-pod-cidr', lastRouteOrigin(o.hops, o.at) ?? at?.origin, t.file,
        `cannot reach ${ends}: ${o.at} routes ${formatIPv4(dst.rep)} here, but no host on that link has the address ("host unreachable")`, related);
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

/**
 * Service endpoints other nodes' pods cannot reach. Where a missing route already
 * reported is the whole reason, the endpoint is named on that finding instead.
 */
function endpointIssues(t: Topology, cluster: Cluster, classes: PodClass[], matrix: Matrix, gaps: Map<string, Issue>): Issue[] {
  const issues: Issue[] = [];
  for (const svc of cluster.services) {
    const decl = t.services.find((s) => s.name === svc.name && s.namespace === svc.namespace);
    const where: Origin | undefined = decl ? { file: t.file, line: decl.nameSpan.line, column: decl.nameSpan.column, text: decl.name } : svc.origin;
    for (const ep of svc.endpoints) {
      const cls = classes.find((c) => contains(c.cidr, ep.ip));
      if (!cls) continue;
      const cuts = [...matrix].flatMap(([from, row]) => {
        const cut = from === cls.node.id ? undefined : row.get(cls.node.id);
        return cut ? [{ from, cut }] : [];
      });
      if (!cuts.length) continue;
      // The node the endpoint's pod runs on, as declared; the class is only where its address routes.
      const podNode = ep.pod ? cluster.hosts.get(ep.pod)?.node : undefined;
      const on = podNode && podNode !== cls.node.id ? ` on ${podNode}, its address routed to ${cls.node.id}` : ` on ${cls.node.id}`;
      const what = `Service ${svc.id}: endpoint ${formatIPv4(ep.ip)}${ep.pod ? ` (${ep.pod})` : ''}${on}`;
      const unexplained = cuts.filter((c) => !c.cut.gap || !gaps.has(c.cut.gap));
      for (const key of new Set(cuts.flatMap((c) => (c.cut.gap && gaps.has(c.cut.gap) ? [c.cut.gap] : [])))) {
        const gap = gaps.get(key)!;
        if (where) (gap.related ??= []).push({ message: `${what} is cut off the same way`, file: where.file || t.file, span: spanOfOrigin(where) });
      }
      if (!unexplained.length) continue;
      issues.push(lintIssue('service-unreachable-endpoint', where, t.file,
        `${what} cannot be reached from pods on ${unexplained.map((c) => c.from).join(', ')}: connections chosen for it fail there`));
    }
  }
  return issues;
}
