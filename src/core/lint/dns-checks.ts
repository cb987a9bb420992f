/**
 * `dns-search-amplification`: a name the topology uses (an upstream record, an
 * ExternalName target) that costs a pod more than two queries, because its few
 * dots make the resolver walk the whole search list first (ndots:5). Checked
 * from one pod per namespace, since the search list depends on the namespace.
 */
import type { Issue, Span } from '../source';
import type { Topology } from '../model/topology';
import type { Cluster } from '../model/cluster';
import { dnsSearchAmplification } from '../dns/search-amplification';
import { LINT_CODES } from './lint-issue';

/** Runs the DNS checks. */
export function checkDns(t: Topology, cluster: Cluster): Issue[] {
  const names: { name: string; span: Span }[] = [];
  for (const [name, span] of Object.entries(t.dns?.upstreamSpans ?? {})) if (name) names.push({ name, span });
  for (const s of t.services) if (s.externalName) names.push({ name: s.externalName, span: s.nameSpan });
  if (!names.length) return [];
  const fromPods = new Map<string, string>();
  for (const h of cluster.hosts.values()) if (h.kind === 'pod' && h.namespace && !fromPods.has(h.namespace)) fromPods.set(h.namespace, h.id);
  const issues: Issue[] = [];
  for (const { name, span } of names) {
    const found = dnsSearchAmplification(cluster, [...fromPods.values()].map((from) => ({ from, name })));
    const worst = found.sort((a, b) => b.queries - a.queries)[0];
    if (!worst) continue;
    issues.push({
      code: 'dns-search-amplification', severity: LINT_CODES['dns-search-amplification'], file: t.file, span,
      message: `${name} takes ${worst.queries} queries from ${worst.from} (${worst.asked.join(', ')}); write it with a trailing dot, or lower ndots in dnsConfig, to ask it directly`,
    });
  }
  return issues;
}
