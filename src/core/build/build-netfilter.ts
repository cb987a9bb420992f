/**
 * Netfilter state of a host: the `iptables:` dump when given (each rule keeps
 * the origin computed when the topology was read), otherwise, for nodes, the
 * rules kube-proxy would have written for the topology's Services. A generated
 * rule's origin is the Service port that caused it (or the node, for the
 * chains kube-proxy always installs) and its text is the generated rule line.
 */
import type { Issue } from '../source';
import type { IptablesSources, Topology, TopologyNode } from '../model/topology';
import { parseIptablesSave } from '../parse/iptables/parse-iptables-save';
import type { Ruleset } from '../model/netfilter';
import { guarded } from '../parse/topology/topology-guard';
import type { NetfilterState, ServiceInfo } from '../model/cluster';
import { generateKubeProxyRules, type GeneratedRules } from './kube-proxy-rules';
import { topologyOrigin } from './placement';

/** Netfilter state from a dump. */
export function dumpNetfilter(ipt: IptablesSources): NetfilterState {
  return { ruleset: ipt.ruleset, origins: ipt.origins ?? new Map(), generated: false };
}

/** Rules generated once per cluster (they are the same on every node) and parsed once. */
export interface KubeProxyRules {
  generated: GeneratedRules;
  ruleset: Ruleset;
}

/** Generates and parses kube-proxy's rules; parse problems in generated text are the generator's bugs, kept as issues. */
export function kubeProxyRules(t: Topology, services: ServiceInfo[], issues: Issue[]): KubeProxyRules {
  const generated = generateKubeProxyRules(services, t.services, t.clusterCIDR, t.file);
  issues.push(...generated.issues);
  const parsed = guarded('parseIptablesSave', (): Ruleset => ({ tables: new Map(), format: 'iptables-save' }), () => parseIptablesSave(generated.text));
  for (const i of parsed.issues) {
    if (i.severity !== 'info') issues.push({ ...i, code: `generated-${i.code}`, file: t.file, message: `generated kube-proxy rules: ${i.message}` });
  }
  return { generated, ruleset: parsed.value };
}

/**
 * The generated rules as a node's netfilter state, with origins pointing into the topology.
 * The ruleset object is shared by every node without a dump (kube-proxy writes the same rules
 * on each): readers must not mutate it.
 */
export function generatedNetfilter(t: Topology, node: TopologyNode, rules: KubeProxyRules): NetfilterState {
  const origins = new Map<string, import('../source').Origin>();
  for (const [tname, table] of rules.ruleset.tables) {
    for (const [cname, chain] of table.chains) {
      for (const rule of chain.rules) {
        const cause = rules.generated.causes[rule.span.line - 1];
        const svc = cause ? t.services[cause.service] : undefined;
        const span = svc ? (svc.ports[cause!.port]?.span ?? svc.span) : node.nameSpan;
        origins.set(`${tname}/${cname}/${rule.index}`, topologyOrigin(t, span, rule.raw));
      }
    }
  }
  return { ruleset: rules.ruleset, origins, generated: true };
}
