/**
 * Flannel's VXLAN backend in miniature, as flanneld wires it: two nodes on one
 * network (10.240.0.4 and .5), each with `flannel.1` (VXLAN id 1, dstport
 * 8472, nolearning, MTU 1450) holding PODCIDR.0/32, the `cni0` bridge with
 * one pod, and for the other node a route `POD_CIDR via VTEP dev flannel.1
 * onlink`, a permanent neighbour entry (VTEP → the other flannel.1's MAC) and
 * an fdb entry (that MAC → the other node's address). Faults break one piece
 * on one node. `writeFlannelTopology` dumps every namespace as a user would
 * (`ip -d addr`, `ip route`, `ip neigh`, `bridge fdb`, `iptables-save`) and
 * writes a topology that references the dumps.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Lab } from './netns';
import type { WrittenTopology } from './topology';

/** What to break. */
export interface FlannelFaults {
  /** n0 has no fdb entry for n1's VTEP MAC. */
  noFdb?: boolean;
  /** n0 has no neighbour entry for n1's VTEP address. */
  noNeighbour?: boolean;
  /** n1's flannel.1 uses this VNI instead of 1. */
  n1Vni?: number;
  /** n1's flannel.1 listens on this port instead of 8472. */
  n1Port?: number;
  /** n1 drops UDP 8472 in INPUT. */
  n1DropsVxlan?: boolean;
  /** MTU of the pods' eth0 (and the bridges and ports); flannel gives 1450. */
  podMtu?: number;
}

/** One node of the lab. */
interface NodeSpec {
  id: string;
  ns: string;
  ip: string;
  n: number;
}

const NODES: NodeSpec[] = [
  { id: 'k8s-node-0', ns: 'n0', ip: '10.240.0.4', n: 0 },
  { id: 'k8s-node-1', ns: 'n1', ip: '10.240.0.5', n: 1 },
];

/** The pods: one per node, `default/pod-N` at 10.244.N.2. */
export const PODS = NODES.map((n) => ({ name: `pod-${n.n}`, ns: `p${n.n}`, node: n.id, ip: `10.244.${n.n}.2` }));

/** Builds the lab; returns the MAC of each node's flannel.1. */
export function buildFlannelLab(lab: Lab, f: FlannelFaults = {}): void {
  const podMtu = String(f.podMtu ?? 1450);
  for (const n of NODES) lab.addNs(n.ns, { forward: true });
  for (const p of PODS) lab.addNs(p.ns);
  lab.veth('n0', 'eth0', 'n1', 'eth0');
  const macs: string[] = [];
  for (const n of NODES) {
    lab.addr(n.ns, 'eth0', `${n.ip}/24`);
    const vni = n.n === 1 && f.n1Vni !== undefined ? f.n1Vni : 1;
    const port = n.n === 1 && f.n1Port !== undefined ? f.n1Port : 8472;
    lab.exec(n.ns, ['ip', 'link', 'add', 'flannel.1', 'type', 'vxlan', 'id', String(vni), 'local', n.ip, 'dev', 'eth0', 'dstport', String(port), 'nolearning']);
    lab.exec(n.ns, ['ip', 'link', 'set', 'flannel.1', 'mtu', '1450', 'up']);
    lab.addr(n.ns, 'flannel.1', `10.244.${n.n}.0/32`);
    macs.push(/link\/ether (\S+)/.exec(lab.exec(n.ns, ['ip', 'link', 'show', 'flannel.1']))![1]);
    lab.bridge(n.ns, 'cni0');
    lab.exec(n.ns, ['ip', 'link', 'set', 'cni0', 'mtu', podMtu]);
    lab.addr(n.ns, 'cni0', `10.244.${n.n}.1/24`);
    const p = PODS[n.n];
    lab.veth(n.ns, `veth${n.n}`, p.ns, 'eth0');
    lab.exec(n.ns, ['ip', 'link', 'set', `veth${n.n}`, 'mtu', podMtu]);
    lab.attach(n.ns, `veth${n.n}`, 'cni0', true);
    lab.exec(p.ns, ['ip', 'link', 'set', 'eth0', 'mtu', podMtu]);
    lab.addr(p.ns, 'eth0', `${p.ip}/24`);
    lab.route(p.ns, ['default', 'via', `10.244.${n.n}.1`]);
  }
  for (const n of NODES) {
    const o = NODES[1 - n.n];
    const vtep = `10.244.${o.n}.0`;
    lab.route(n.ns, [`10.244.${o.n}.0/24`, 'via', vtep, 'dev', 'flannel.1', 'onlink']);
    if (!(n.n === 0 && f.noNeighbour)) lab.exec(n.ns, ['ip', 'neigh', 'replace', vtep, 'lladdr', macs[o.n], 'dev', 'flannel.1', 'nud', 'permanent']);
    if (!(n.n === 0 && f.noFdb)) lab.exec(n.ns, ['bridge', 'fdb', 'append', macs[o.n], 'dev', 'flannel.1', 'dst', o.ip]);
  }
  if (f.n1DropsVxlan) lab.iptablesRestore('n1', '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p udp -m udp --dport 8472 -j DROP\nCOMMIT\n');
}

/** Dumps the lab's namespaces and writes `cluster.netsim.yaml` referencing the dumps. */
export function writeFlannelTopology(lab: Lab): WrittenTopology {
  const dir = mkdtempSync(join(tmpdir(), 'kube-netsim-flannel-'));
  const put = (ns: string, file: string, text: string): { file: string } => {
    mkdirSync(join(dir, ns), { recursive: true });
    writeFileSync(join(dir, ns, file), text);
    return { file: `${ns}/${file}` };
  };
  const nodes = NODES.map((n) => {
    const save = lab.exec(n.ns, ['iptables-save']);
    return {
      name: n.id, ip: n.ip, podCIDR: `10.244.${n.n}.0/24`, bridge: 'cni0',
      interfaces: put(n.ns, 'ip-d-addr.txt', lab.exec(n.ns, ['ip', '-d', 'addr', 'show'])),
      routes: put(n.ns, 'ip-route.txt', lab.exec(n.ns, ['ip', 'route'])),
      neighbours: put(n.ns, 'ip-neigh.txt', `# ip neigh show\n${lab.exec(n.ns, ['ip', 'neigh', 'show'])}# ip neigh show proxy\n${lab.exec(n.ns, ['ip', 'neigh', 'show', 'proxy'])}`),
      fdb: put(n.ns, 'bridge-fdb.txt', lab.exec(n.ns, ['bridge', 'fdb', 'show'])),
      ...(/^\*/m.test(save) ? { iptables: put(n.ns, 'iptables-save.txt', save) } : {}),
    };
  });
  const pods = PODS.map((p) => ({
    name: p.name, node: p.node, ip: p.ip,
    interfaces: put(p.ns, 'ip-d-addr.txt', lab.exec(p.ns, ['ip', '-d', 'addr', 'show'])),
    routes: put(p.ns, 'ip-route.txt', lab.exec(p.ns, ['ip', 'route'])),
  }));
  const doc = { apiVersion: 'kube-netsim/v1', kind: 'Cluster', metadata: { name: 'flannel-vxlan' }, spec: { clusterCIDR: '10.244.0.0/16', network: { plugin: 'flannel' }, nodes, pods } };
  const text = stringify(doc);
  const file = join(dir, 'cluster.netsim.yaml');
  writeFileSync(file, text);
  return { dir, file, text, remove: () => { if (!process.env.KNS_KEEP) rmSync(dir, { recursive: true, force: true }); } };
}
