/**
 * iptables-save rulesets shaped like the ones kube-proxy (iptables mode) writes,
 * for loading into lab namespaces with iptables-restore: KUBE-SERVICES →
 * KUBE-SVC-… → a `statistic --mode random` cascade → KUBE-SEP-… DNAT, the
 * KUBE-MARK-MASQ / KUBE-POSTROUTING masquerade for traffic from outside the
 * cluster CIDR and for hairpin, and a filter-table REJECT for a Service with no
 * endpoints. Chain names use kube-proxy's recipe (sha256, base32, 16 chars) so
 * the dumps look like real ones.
 */
import { createHash } from 'node:crypto';

/** One endpoint of a Service port. */
export interface LabEndpoint {
  ip: string;
  port: number;
}

/** One Service port as the rules need it. */
export interface LabService {
  namespace: string;
  name: string;
  portName: string;
  clusterIP: string;
  port: number;
  protocol: 'tcp' | 'udp';
  endpoints: LabEndpoint[];
  /**
   * The `--probability` of each rule of the cascade except the last; default is
   * kube-proxy's uniform 1/n, 1/(n-1), … . A non-uniform cascade (0.2, 0.5)
   * gives overall shares 0.2, 0.4, 0.4.
   */
  probabilities?: number[];
  /** A NodePort: the Service is also reached on every node address at this port. */
  nodePort?: number;
}

/** Rules beyond kube-proxy's that a node may carry. */
export interface NodeRuleOptions {
  /**
   * kubenet's outbound SNAT: traffic leaving the cluster CIDR for a non-local
   * address is masqueraded to the node's address (`ip-masq`).
   */
  egressMasquerade?: boolean;
}

function chainName(prefix: string, key: string): string {
  const digest = createHash('sha256').update(key).digest();
  return prefix + base32(digest).slice(0, 16);
}

/** RFC 4648 base32 without padding, as Go's base32.StdEncoding prints the leading characters. */
function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** The cascade's per-rule probabilities: the given ones, or kube-proxy's uniform split. */
export function cascade(svc: LabService): number[] {
  const n = svc.endpoints.length;
  if (svc.probabilities) return svc.probabilities;
  return Array.from({ length: Math.max(n - 1, 0) }, (_, i) => 1 / (n - i));
}

/** Overall share of each endpoint under the cascade (what the simulator's probabilities should be). */
export function shares(svc: LabService): number[] {
  const p = cascade(svc);
  let rest = 1;
  return svc.endpoints.map((_, i) => {
    const take = i < p.length ? rest * p[i] : rest;
    rest -= take;
    return take;
  });
}

/** nat + filter tables for a node: every Service in `services`, cluster CIDR for the masquerade check. */
export function kubeProxyRules(services: LabService[], clusterCIDR: string, opts: NodeRuleOptions = {}): string {
  const natChains = ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'];
  const nat: string[] = [
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -m mark --mark 0x4000/0x4000 -j MASQUERADE',
  ];
  if (opts.egressMasquerade) {
    nat.push(`-A POSTROUTING ! -d ${clusterCIDR} -m comment --comment "kubenet: SNAT for outbound traffic from cluster" -m addrtype ! --dst-type LOCAL -j MASQUERADE`);
  }
  const nodePorts: string[] = [];
  const filter: string[] = [
    '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  ];
  for (const svc of services) {
    const id = `${svc.namespace}/${svc.name}:${svc.portName}`;
    const match = `-d ${svc.clusterIP}/32 -p ${svc.protocol} -m comment --comment "${id} cluster IP" -m ${svc.protocol} --dport ${svc.port}`;
    if (svc.endpoints.length === 0) {
      filter.push(`-A KUBE-SERVICES -d ${svc.clusterIP}/32 -p ${svc.protocol} -m comment --comment "${id} has no endpoints" -m ${svc.protocol} --dport ${svc.port} -j REJECT --reject-with icmp-port-unreachable`);
      continue;
    }
    const svcChain = chainName('KUBE-SVC-', id + svc.protocol);
    natChains.push(svcChain);
    nat.push(`-A KUBE-SERVICES ! -s ${clusterCIDR} ${match} -j KUBE-MARK-MASQ`);
    nat.push(`-A KUBE-SERVICES ${match} -j ${svcChain}`);
    if (svc.nodePort !== undefined) {
      const np = `-p ${svc.protocol} -m comment --comment "${id}" -m ${svc.protocol} --dport ${svc.nodePort}`;
      nodePorts.push(`-A KUBE-NODEPORTS ${np} -j KUBE-MARK-MASQ`, `-A KUBE-NODEPORTS ${np} -j ${svcChain}`);
    }
    const probs = cascade(svc);
    svc.endpoints.forEach((ep, i) => {
      const sepChain = chainName('KUBE-SEP-', id + svc.protocol + `${ep.ip}:${ep.port}`);
      natChains.push(sepChain);
      const stat = i < probs.length ? ` -m statistic --mode random --probability ${probs[i].toFixed(11)}` : '';
      nat.push(`-A ${svcChain} -m comment --comment "${id}"${stat} -j ${sepChain}`);
      // Hairpin: an endpoint reaching its own Service is masqueraded, or it would
      // see a packet from its own address.
      nat.push(`-A ${sepChain} -s ${ep.ip}/32 -m comment --comment "${id}" -j KUBE-MARK-MASQ`);
      nat.push(`-A ${sepChain} -p ${svc.protocol} -m comment --comment "${id}" -m ${svc.protocol} -j DNAT --to-destination ${ep.ip}:${ep.port}`);
    });
  }
  if (nodePorts.length > 0) {
    natChains.push('KUBE-NODEPORTS');
    // kube-proxy keeps this the last rule of KUBE-SERVICES: only what no ClusterIP
    // rule took, addressed to the node itself, is a NodePort candidate.
    nat.push('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS', ...nodePorts);
  }
  return [
    '*nat',
    ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
    ...natChains.map((c) => `:${c} - [0:0]`),
    ...nat,
    'COMMIT',
    '*filter',
    ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]',
    ...filter,
    'COMMIT',
    '',
  ].join('\n');
}
