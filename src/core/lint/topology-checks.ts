/**
 * Checks of the topology file against itself and against its dumps: address
 * plans that overlap, pods outside their node's range, addresses used twice,
 * ClusterIPs outside the Service range, selectors that select nothing, nodes a
 * router cannot reach on its own network, and dumps that say otherwise than the
 * topology (the dumps win in the trace; lint says where they disagree).
 */
import type { Issue, Span } from '../source';
import type { Topology } from '../model/topology';
import type { Cluster } from '../model/cluster';
import { contains, formatIPv4, formatPrefix, overlaps, type IPv4, type Prefix } from '../net/ipv4';
import { LINT_CODES, spanOfOrigin, type LintCode } from './lint-issue';

function at(t: Topology, code: LintCode, span: Span, message: string, related?: Issue['related']): Issue {
  const i: Issue = { code, severity: LINT_CODES[code], span, file: t.file, message };
  if (related?.length) i.related = related;
  return i;
}

/** Runs the topology checks. */
export function checkTopology(t: Topology, cluster: Cluster): Issue[] {
  const issues: Issue[] = [];
  checkOverlaps(t, issues);
  checkPods(t, issues);
  checkDuplicateIps(t, issues);
  checkServices(t, issues);
  checkRouterNetworks(t, cluster, issues);
  checkDumpsAgree(t, cluster, issues);
  return issues;
}

function checkOverlaps(t: Topology, issues: Issue[]): void {
  const ranges: { what: string; p: Prefix; span: Span }[] = [];
  for (const n of t.nodes) if (n.podCIDR) ranges.push({ what: `pod CIDR of ${n.name}`, p: n.podCIDR, span: n.podCIDRSpan ?? n.nameSpan });
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (overlaps(ranges[i].p, ranges[j].p)) {
        issues.push(at(t, 'overlapping-cidr', ranges[j].span, `${ranges[j].what} ${formatPrefix(ranges[j].p)} overlaps ${ranges[i].what} ${formatPrefix(ranges[i].p)}: packets for the shared addresses can reach only one node`,
          [{ message: ranges[i].what, file: t.file, span: ranges[i].span }]));
      }
    }
    if (t.serviceCIDR && overlaps(ranges[i].p, t.serviceCIDR)) {
      issues.push(at(t, 'overlapping-cidr', ranges[i].span, `${ranges[i].what} ${formatPrefix(ranges[i].p)} overlaps the Service CIDR ${formatPrefix(t.serviceCIDR)}`));
    }
    for (const n of t.nodes) {
      if (contains(ranges[i].p, n.ip)) issues.push(at(t, 'overlapping-cidr', ranges[i].span, `${ranges[i].what} ${formatPrefix(ranges[i].p)} contains node ${n.name}'s address ${formatIPv4(n.ip)}`));
    }
  }
  if (t.clusterCIDR && t.serviceCIDR && overlaps(t.clusterCIDR, t.serviceCIDR)) {
    issues.push(at(t, 'overlapping-cidr', t.nodes[0]?.span ?? zero(), `clusterCIDR ${formatPrefix(t.clusterCIDR)} overlaps serviceCIDR ${formatPrefix(t.serviceCIDR)}`));
  }
}

function checkPods(t: Topology, issues: Issue[]): void {
  const nodes = new Map(t.nodes.map((n) => [n.name, n]));
  for (const p of t.pods) {
    const n = nodes.get(p.node);
    if (!n || p.hostNetwork || p.ip === undefined || !n.podCIDR) continue;
    if (!contains(n.podCIDR, p.ip)) {
      issues.push(at(t, 'pod-outside-pod-cidr', p.ipSpan ?? p.nameSpan, `pod ${p.namespace}/${p.name} has ${formatIPv4(p.ip)}, outside ${n.name}'s pod CIDR ${formatPrefix(n.podCIDR)}: no route sends its replies to ${n.name}`));
    }
  }
}

function checkDuplicateIps(t: Topology, issues: Issue[]): void {
  const seen = new Map<IPv4, { who: string; span: Span }>();
  const claim = (ip: IPv4 | undefined, who: string, span: Span | undefined) => {
    if (ip === undefined || !span) return;
    const prev = seen.get(ip);
    if (prev) issues.push(at(t, 'duplicate-ip', span, `${who} and ${prev.who} both have ${formatIPv4(ip)}`, [{ message: prev.who, file: t.file, span: prev.span }]));
    else seen.set(ip, { who, span });
  };
  for (const r of t.routers) claim(r.ip, `router ${r.name}`, r.ipSpan ?? r.nameSpan);
  for (const h of t.hosts) claim(h.ip, `host ${h.name}`, h.ipSpan ?? h.nameSpan);
  for (const n of t.nodes) claim(n.ip, `node ${n.name}`, n.ipSpan ?? n.nameSpan);
  for (const p of t.pods) if (!p.hostNetwork) claim(p.ip, `pod ${p.namespace}/${p.name}`, p.ipSpan ?? p.nameSpan);
  for (const s of t.services) claim(s.clusterIP, `Service ${s.namespace}/${s.name}`, s.clusterIPSpan ?? s.nameSpan);
}

function checkServices(t: Topology, issues: Issue[]): void {
  for (const s of t.services) {
    if (s.clusterIP !== undefined && t.serviceCIDR && !contains(t.serviceCIDR, s.clusterIP)) {
      issues.push(at(t, 'clusterip-outside-service-cidr', s.clusterIPSpan ?? s.nameSpan, `Service ${s.namespace}/${s.name} has ClusterIP ${formatIPv4(s.clusterIP)}, outside serviceCIDR ${formatPrefix(t.serviceCIDR)}`));
    }
    if (s.selector && Object.keys(s.selector).length) {
      const any = t.pods.some((p) => p.namespace === s.namespace && Object.entries(s.selector!).every(([k, v]) => p.labels[k] === v));
      if (!any) {
        const sel = Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(',');
        issues.push(at(t, 'selector-matches-nothing', s.nameSpan, `Service ${s.namespace}/${s.name} selects ${sel}, which no pod in namespace ${s.namespace} has: it has no endpoints`));
      }
    }
  }
}

function checkRouterNetworks(t: Topology, cluster: Cluster, issues: Issue[]): void {
  if (t.routers.length === 0) return;
  for (const n of t.nodes) {
    const nodeHost = cluster.hosts.get(n.name);
    const segs = new Set(nodeHost?.interfaces.map((i) => i.segment).filter((s): s is string => !!s));
    const reachable = t.routers.some((r) => cluster.hosts.get(r.name)?.interfaces.some((i) => i.segment && segs.has(i.segment)));
    if (!reachable) {
      issues.push(at(t, 'node-not-on-router-network', n.ipSpan ?? n.nameSpan, `node ${n.name} (${formatIPv4(n.ip)}) shares no network with any router: its default route has no gateway to reach`));
    }
  }
}

function checkDumpsAgree(t: Topology, cluster: Cluster, issues: Issue[]): void {
  const owned = (hostId: string) => new Set(cluster.hosts.get(hostId)?.interfaces.flatMap((i) => i.addresses.map((a) => a.ip)) ?? []);
  for (const n of t.nodes) {
    if (!n.interfaces) continue;
    const mine = owned(n.name);
    if (!mine.has(n.ip)) {
      issues.push(at(t, 'dump-disagrees-with-topology', n.interfaces.source.span, `node ${n.name}: its interface dump has no ${formatIPv4(n.ip)}, the address the topology gives it`));
    }
  }
  // Compared as text: dump addresses are kept as written.
  const known = new Set<string>([...t.pods.filter((p) => p.ip !== undefined).map((p) => formatIPv4(p.ip!)), ...[...cluster.addressOwner.keys()].map(formatIPv4)]);
  const serviceIps = new Set<string>(t.services.filter((s) => s.clusterIP !== undefined).map((s) => formatIPv4(s.clusterIP!)));
  for (const host of cluster.hosts.values()) {
    const nf = host.netfilter;
    if (!nf || nf.generated) continue;
    const nat = nf.ruleset.tables.get('nat');
    if (!nat) continue;
    for (const chain of nat.chains.values()) {
      for (const rule of chain.rules) {
        const origin = () => nf.origins.get(`nat/${chain.name}/${rule.index}`);
        if (rule.target?.name === 'DNAT' && chain.name.startsWith('KUBE-SEP-') && t.pods.length) {
          const to = rule.target.options.find((o) => o.name === '--to-destination')?.values[0] ?? '';
          const ip = to.split(':')[0];
          if (ip && !known.has(ip)) {
            issues.push(dumpIssue(t, origin(), `${host.id}: ${chain.name} DNATs to ${ip}, which no pod or host of the topology owns`));
          }
        }
        if (chain.name === 'KUBE-SERVICES' && rule.target?.name.startsWith('KUBE-SVC-') && rule.destination && serviceIps.size) {
          const d = rule.destination.value.replace(/\/32$/, '');
          if (!serviceIps.has(d)) {
            issues.push(dumpIssue(t, origin(), `${host.id}: KUBE-SERVICES sends ${d} to ${rule.target.name}, a Service the topology does not declare`));
          }
        }
      }
    }
  }
}

function dumpIssue(t: Topology, origin: import('../source').Origin | undefined, message: string): Issue {
  const span = origin ? spanOfOrigin(origin) : zero();
  return { code: 'dump-disagrees-with-topology', severity: LINT_CODES['dump-disagrees-with-topology'], span, file: origin?.file || t.file, message };
}

function zero(): Span {
  return { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
