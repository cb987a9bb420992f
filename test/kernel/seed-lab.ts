/**
 * The seed cluster (an Azure kubenet cluster, test/fixtures/seed) in miniature, as
 * real namespaces: a gateway router holding the cloud route table
 * (10.244.N.0/24 via node N), two nodes on the node network 10.240.0.0/16, each
 * with a cbr0 bridge owning the first address of its pod CIDR, and pods
 * attached to cbr0 by veth pairs with a default route via cbr0. The node
 * network itself is a bridge in a separate "switch" namespace that no topology
 * host stands for: it is the L2 segment the nodes and the gateway share.
 */
import { Lab } from './netns';
import { kubeProxyRules, type LabService } from './kube-proxy-rules';

/** A machine of the lab and the topology entry it becomes. */
export interface LabMachine {
  /** Topology name (node, router or host name; pods `namespace/name`). */
  id: string;
  /** Lab-local namespace name. */
  ns: string;
  ip: string;
}

/** A node of the lab. */
export interface LabNode extends LabMachine {
  podCIDR: string;
  bridgeIP: string;
  /** Hairpin mode of the node's cbr0 ports (the topology's `hairpinMode`). */
  hairpin: boolean;
}

/** A pod of the lab. */
export interface LabPod extends LabMachine {
  name: string;
  namespace: string;
  node: string;
}

/** The built lab and what each namespace stands for. */
export interface SeedLab {
  lab: Lab;
  router: LabMachine;
  nodes: LabNode[];
  pods: LabPod[];
  services: LabService[];
  clusterCIDR: string;
  serviceCIDR: string;
  /** Plain hosts (topology `hosts:`). */
  hosts: LabMachine[];
}

/** Options of the miniature seed. */
export interface SeedLabOptions {
  /** Pods beyond the default four (`node` is 0 or 1, `host` the last octet). */
  extraPods?: { name: string; namespace: string; node: 0 | 1; host: number }[];
  /** Services to program with kube-proxy-like rules on both nodes; default: kube-dns, as in the seed. */
  services?: (pods: LabPod[]) => LabService[];
  /** Hairpin mode of the cbr0 ports, for both nodes or per node; default on. */
  hairpin?: boolean | [boolean, boolean];
  /** Leave out the gateway's route for node 1's pod CIDR (a missing cloud route). */
  omitRouteToNode1?: boolean;
  /** A machine outside the cluster on the node network (10.240.0.100, default via the gateway). */
  client?: boolean;
  /** kubenet's outbound masquerade on both nodes. */
  egressMasquerade?: boolean;
  /** The node-side name of a pod's port (default `veth<last octet>`), per node: how the CNI names them. */
  portName?: (node: 0 | 1, host: number) => string;
}

/** The kube-dns Service of the seed: 10.0.0.10:53 over both kube-dns pods. */
export function kubeDnsService(pods: LabPod[], protocol: 'udp' | 'tcp' = 'udp'): LabService {
  const endpoints = pods.filter((p) => p.namespace === 'kube-system' && p.name.startsWith('kube-dns')).map((p) => ({ ip: p.ip, port: 53 }));
  return { namespace: 'kube-system', name: 'kube-dns', portName: protocol === 'udp' ? 'dns' : 'dns-tcp', clusterIP: '10.0.0.10', port: 53, protocol, endpoints };
}

const DEFAULT_PODS: { name: string; namespace: string; node: 0 | 1; host: number }[] = [
  { name: 'kube-dns-0', namespace: 'kube-system', node: 0, host: 2 },
  { name: 'ubuntu', namespace: 'default', node: 0, host: 6 },
  { name: 'kube-dns-1', namespace: 'kube-system', node: 1, host: 2 },
  { name: 'web', namespace: 'default', node: 1, host: 6 },
];

/** Builds the miniature seed in `lab`. Throws on a setup failure (that is a harness bug, not a result). */
export function buildSeedLab(lab: Lab, opts: SeedLabOptions = {}): SeedLab {
  const router: LabMachine = { id: 'azure-gateway', ns: 'gw', ip: '10.240.0.1' };
  const hairpin = Array.isArray(opts.hairpin) ? opts.hairpin : [opts.hairpin ?? true, opts.hairpin ?? true];
  const nodes: LabNode[] = [0, 1].map((i) => ({
    id: `k8s-agent-${i}`, ns: `node${i}`, ip: `10.240.0.${4 + i}`, podCIDR: `10.244.${i}.0/24`, bridgeIP: `10.244.${i}.1`, hairpin: hairpin[i],
  }));

  lab.addNs('sw');
  lab.bridge('sw', 'br0');
  lab.addNs(router.ns, { forward: true });
  lab.veth(router.ns, 'eth0', 'sw', 'p-gw');
  lab.attach('sw', 'p-gw', 'br0', false);
  lab.addr(router.ns, 'eth0', `${router.ip}/16`);
  nodes.forEach((n, i) => {
    if (i === 1 && opts.omitRouteToNode1) return;
    lab.route(router.ns, [n.podCIDR, 'via', n.ip]);
  });

  for (const [i, n] of nodes.entries()) {
    lab.addNs(n.ns, { forward: true });
    lab.veth(n.ns, 'eth0', 'sw', `p-n${i}`);
    lab.attach('sw', `p-n${i}`, 'br0', false);
    lab.addr(n.ns, 'eth0', `${n.ip}/16`);
    lab.route(n.ns, ['default', 'via', router.ip]);
    lab.bridge(n.ns, 'cbr0');
    lab.addr(n.ns, 'cbr0', `${n.bridgeIP}/24`);
    // kubenet runs with br_netfilter on: bridged pod-to-pod frames see iptables.
    lab.sysctl(n.ns, { 'net.bridge.bridge-nf-call-iptables': '1' });
  }

  const pods: LabPod[] = [...DEFAULT_PODS, ...(opts.extraPods ?? [])].map((p) => ({
    id: `${p.namespace}/${p.name}`, name: p.name, namespace: p.namespace, node: nodes[p.node].id,
    ns: `pod-${p.name}`, ip: `10.244.${p.node}.${p.host}`,
  }));
  for (const p of pods) {
    const node = nodes.find((n) => n.id === p.node)!;
    lab.addNs(p.ns);
    const host = Number(p.ip.split('.')[3]);
    const hostEnd = opts.portName ? opts.portName(nodes.indexOf(node) as 0 | 1, host) : `veth${host}`;
    lab.veth(p.ns, 'eth0', node.ns, hostEnd);
    lab.attach(node.ns, hostEnd, 'cbr0', node.hairpin);
    lab.addr(p.ns, 'eth0', `${p.ip}/24`);
    lab.route(p.ns, ['default', 'via', node.bridgeIP]);
  }

  const services = opts.services ? opts.services(pods) : [kubeDnsService(pods)];
  const rules = kubeProxyRules(services, '10.244.0.0/16', { egressMasquerade: opts.egressMasquerade });
  for (const n of nodes) lab.iptablesRestore(n.ns, rules);

  const hosts: LabMachine[] = [];
  if (opts.client) {
    const client: LabMachine = { id: 'office-client', ns: 'client', ip: '10.240.0.100' };
    lab.addNs(client.ns);
    lab.veth(client.ns, 'eth0', 'sw', 'p-client');
    lab.attach('sw', 'p-client', 'br0', false);
    lab.addr(client.ns, 'eth0', `${client.ip}/16`);
    lab.route(client.ns, ['default', 'via', router.ip]);
    hosts.push(client);
  }

  return { lab, router, nodes, pods, services, clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.0.0.0/16', hosts };
}

/** Starts a receiver in every pod, labelled with its topology id. */
export async function serveAllPods(seed: SeedLab, ports: number[]): Promise<void> {
  await Promise.all(seed.pods.map((p) => seed.lab.serve(p.ns, p.id, ports)));
}

/** A one-port Service over the given pods (in the cascade's order). */
export function labService(id: string, clusterIP: string, port: number, protocol: 'udp' | 'tcp', endpoints: LabPod[], targetPort: number, probabilities?: number[], nodePort?: number): LabService {
  const [namespace, name] = id.split('/');
  return { namespace, name, portName: `${protocol}-${port}`, clusterIP, port, protocol, endpoints: endpoints.map((p) => ({ ip: p.ip, port: targetPort })), probabilities, nodePort };
}

/** The pod with this topology id (`namespace/name`); throws when the lab has none (a scenario bug). */
export function pod(pods: LabPod[], id: string): LabPod {
  const p = pods.find((x) => x.id === id);
  if (!p) throw new Error(`no pod ${id} in the lab`);
  return p;
}
