/**
 * The iptables rules kube-proxy (iptables mode, as of Kubernetes 1.2x–1.3x)
 * writes for the topology's Services, for nodes that have no `iptables:` dump.
 * Emitted as `iptables-save` text (so the same parser reads dumps and generated
 * rules) with, per line, the Service port that caused it, so a trace step on a
 * generated rule can point at the Service in the topology file.
 *
 * Shape follows kube-proxy's syncProxyRules (see the corpus'
 * k8s-TestOverallIPTablesRules dump); chain names use kube-proxy's own hash.
 * Left out, and so absent from a trace: health-check node ports, the
 * KUBE-FIREWALL/KUBE-PROXY-FIREWALL chains (loadBalancerSourceRanges), the
 * localhost NodePort rules, externalTrafficPolicy/internalTrafficPolicy Local
 * (treated as Cluster, with an info issue), and rules other agents write
 * (kubenet/ip-masq-agent masquerade, Docker). Built-in chain policies are ACCEPT.
 */
import { formatIPv4, formatPrefix, type Prefix } from '../net/ipv4';
import type { Issue } from '../source';
import type { TopologyService } from '../model/topology';
import type { ServiceInfo } from '../model/cluster';
import { extChainName, sepChainName, svcChainName } from './kube-proxy-hash';

/** Which Service port (indexes into the services list and its ports) a generated line belongs to. */
export interface RuleCause {
  service: number;
  port: number;
}

/** Generated iptables-save text and, for each line (0-based), the Service port that caused it, if any. */
export interface GeneratedRules {
  text: string;
  causes: (RuleCause | undefined)[];
  issues: Issue[];
}

/** The mark kube-proxy uses for "masquerade this packet" (--masquerade-bit 14). */
const MASQ_MARK = '0x4000';

/** iptables-save quotes a comment only when it holds spaces. */
const comment = (c: string): string => `-m comment --comment ${/\s/.test(c) ? `"${c}"` : c}`;

/** `ns/svc:port` as kube-proxy's ServicePortName prints it (no `:` for an unnamed port). */
export function servicePortName(s: { namespace: string; name: string }, portName: string | undefined): string {
  return `${s.namespace}/${s.name}${portName ? `:${portName}` : ''}`;
}

/** kube-proxy's probability for endpoint i of n: 1/(n−i), printed with 10 decimals. */
export function cascadeProbability(i: number, n: number): string {
  return (1 / (n - i)).toFixed(10);
}

class Table {
  readonly chains: string[] = [];
  readonly lines: { text: string; cause?: RuleCause }[] = [];
  constructor(readonly name: string, builtins: string[]) {
    for (const b of builtins) this.chains.push(`:${b} ACCEPT [0:0]`);
  }
  chain(name: string): void {
    const decl = `:${name} - [0:0]`;
    if (!this.chains.includes(decl)) this.chains.push(decl);
  }
  rule(text: string, cause?: RuleCause): void {
    this.lines.push({ text: `-A ${text}`, cause });
  }
}

/**
 * Generates kube-proxy's rules for `services` (as built, with endpoints), reading
 * per-port details (targetPort names, traffic policies) from the topology entries
 * at the same indexes.
 */
export function generateKubeProxyRules(services: ServiceInfo[], topo: TopologyService[], clusterCIDR: Prefix | undefined, file: string): GeneratedRules {
  const issues: Issue[] = [];
  const filter = new Table('filter', ['INPUT', 'FORWARD', 'OUTPUT']);
  const nat = new Table('nat', ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']);
  for (const c of ['KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-SERVICES']) filter.chain(c);
  for (const c of ['KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-SERVICES']) nat.chain(c);
  filter.rule('INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES');
  filter.rule('FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD');
  filter.rule('FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  filter.rule('FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES');
  filter.rule('OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  filter.rule('KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP');
  filter.rule(`KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`);
  filter.rule('KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  nat.rule('PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  nat.rule('OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  nat.rule('POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING');
  nat.rule(`KUBE-MARK-MASQ -j MARK --or-mark ${MASQ_MARK}`);
  nat.rule(`KUBE-POSTROUTING -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`);
  nat.rule(`KUBE-POSTROUTING -j MARK --xor-mark ${MASQ_MARK}`);
  nat.rule('KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully');

  services.forEach((svc, si) => {
    const t = topo[si];
    if (svc.headless || svc.clusterIP === undefined || svc.type === 'ExternalName') return;
    if (t?.externalTrafficPolicy === 'Local' || t?.internalTrafficPolicy === 'Local') {
      issues.push({ code: 'kube-proxy-traffic-policy-ignored', severity: 'info', span: t.span, file, message: `${svc.id}: traffic policy Local is generated as Cluster (every endpoint, on every node)` });
    }
    svc.ports.forEach((port, pi) => {
      const cause: RuleCause = { service: si, port: pi };
      const spn = servicePortName(svc, port.name);
      const proto = port.protocol.toLowerCase();
      let target = typeof port.targetPort === 'number' ? port.targetPort : Number.parseInt(port.targetPort, 10);
      if (!Number.isInteger(target)) {
        target = port.port;
        const span = t?.ports[pi]?.span ?? t?.span;
        if (span) issues.push({ code: 'kube-proxy-named-target-port', severity: 'warning', span, file, message: `${spn}: targetPort "${port.targetPort}" names a container port the topology does not declare; port ${port.port} is used` });
      }
      const dport = (p: number): string => `-m ${proto} --dport ${p}`;
      const cip = `${formatIPv4(svc.clusterIP!)}/32`;
      const externals: { ip: number; what: string }[] = [
        ...(t?.externalIPs ?? []).map((ip) => ({ ip, what: 'external IP' })),
        ...(svc.type === 'LoadBalancer' ? (t?.loadBalancerIPs ?? []).map((ip) => ({ ip, what: 'loadbalancer IP' })) : []),
      ];
      const nodePort = svc.type === 'NodePort' || svc.type === 'LoadBalancer' ? port.nodePort : undefined;
      if (svc.endpoints.length === 0) {
        const reject = '-j REJECT --reject-with icmp-port-unreachable';
        filter.rule(`KUBE-SERVICES -d ${cip} -p ${proto} ${comment(`${spn} has no endpoints`)} ${dport(port.port)} ${reject}`, cause);
        for (const e of externals) filter.rule(`KUBE-EXTERNAL-SERVICES -d ${formatIPv4(e.ip)}/32 -p ${proto} ${comment(`${spn} has no endpoints`)} ${dport(port.port)} ${reject}`, cause);
        if (nodePort !== undefined) filter.rule(`KUBE-EXTERNAL-SERVICES -p ${proto} -m addrtype --dst-type LOCAL ${comment(`${spn} has no endpoints`)} ${dport(nodePort)} ${reject}`, cause);
        return;
      }
      const svcChain = svcChainName(spn, proto);
      const extChain = extChainName(spn, proto);
      nat.chain(svcChain);
      nat.rule(`KUBE-SERVICES -d ${cip} -p ${proto} ${comment(`${spn} cluster IP`)} ${dport(port.port)} -j ${svcChain}`, cause);
      if (externals.length > 0 || nodePort !== undefined) {
        nat.chain(extChain);
        nat.rule(`${extChain} ${comment(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`, cause);
        nat.rule(`${extChain} -j ${svcChain}`, cause);
      }
      for (const e of externals) nat.rule(`KUBE-SERVICES -d ${formatIPv4(e.ip)}/32 -p ${proto} ${comment(`${spn} ${e.what}`)} ${dport(port.port)} -j ${extChain}`, cause);
      if (nodePort !== undefined) nat.rule(`KUBE-NODEPORTS -p ${proto} ${comment(spn)} ${dport(nodePort)} -j ${extChain}`, cause);
      if (clusterCIDR) nat.rule(`${svcChain} ! -s ${formatPrefix(clusterCIDR)} -d ${cip} -p ${proto} ${comment(`${spn} cluster IP`)} ${dport(port.port)} -j KUBE-MARK-MASQ`, cause);
      const eps = svc.endpoints.map((e) => `${formatIPv4(e.ip)}:${target}`);
      const seps = eps.map((ep) => sepChainName(spn, proto, ep));
      const affinity = svc.sessionAffinity === 'ClientIP';
      if (affinity) {
        eps.forEach((ep, i) => nat.rule(`${svcChain} ${comment(`${spn} -> ${ep}`)} -m recent --rcheck --seconds 10800 --reap --name ${seps[i]} --mask 255.255.255.255 --rsource -j ${seps[i]}`, cause));
      }
      eps.forEach((ep, i) => {
        const stat = i < eps.length - 1 ? ` -m statistic --mode random --probability ${cascadeProbability(i, eps.length)}` : '';
        nat.rule(`${svcChain} ${comment(`${spn} -> ${ep}`)}${stat} -j ${seps[i]}`, cause);
      });
      eps.forEach((ep, i) => {
        nat.chain(seps[i]);
        nat.rule(`${seps[i]} -s ${ep.split(':')[0]}/32 ${comment(spn)} -j KUBE-MARK-MASQ`, cause);
        const recent = affinity ? ` -m recent --set --name ${seps[i]} --mask 255.255.255.255 --rsource` : '';
        nat.rule(`${seps[i]} -p ${proto} ${comment(spn)}${recent} -m ${proto} -j DNAT --to-destination ${ep}`, cause);
      });
    });
  });
  nat.rule('KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');

  const lines: string[] = [];
  const causes: (RuleCause | undefined)[] = [];
  const emit = (text: string, cause?: RuleCause): void => {
    lines.push(text);
    causes.push(cause);
  };
  emit('# Generated by kube-netsim from the topology\'s services, as kube-proxy (iptables mode) would write them');
  for (const table of [filter, nat]) {
    emit(`*${table.name}`);
    for (const c of table.chains) emit(c);
    // KUBE-SERVICES' last rule must stay last; the rest keep generation order, grouped by chain as iptables-save prints.
    for (const chain of table.chains.map((d) => d.slice(1).split(' ')[0])) {
      for (const l of table.lines) if (l.text.startsWith(`-A ${chain} `)) emit(l.text, l.cause);
    }
    emit('COMMIT');
  }
  return { text: lines.join('\n') + '\n', causes, issues };
}
