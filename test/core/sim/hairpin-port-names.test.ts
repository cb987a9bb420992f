/**
 * `hairpinMode` holds for a node's pod bridge whatever the CNI named the ports in
 * the node's `ip addr` dump (veth…, cali…, vethwe-…; pods' own side eth0@if…):
 * a pod reaching itself through its own Service is dropped by the bridge when
 * hairpin is off, and comes back masqueraded to the bridge's address when it is on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCluster } from '../../../src/core/build/load';
import { trace } from '../../../src/core/query/trace';

/** A node's `ip addr`, with the pods' host-side ports named `port(n)`, enslaved to cbr0 or not. */
function nodeIpAddr(port: (n: number) => string, master: boolean): string {
  const ports = [6, 7].map((n, i) => `${5 + i}: ${port(n)}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue${master ? ' master cbr0' : ''} state UP group default
    link/ether ee:ee:ee:ee:ee:0${i} brd ff:ff:ff:ff:ff:ff link-netnsid ${i}`).join('\n');
  return `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
    link/ether 00:0d:3a:00:00:04 brd ff:ff:ff:ff:ff:ff
    inet 10.240.0.4/16 brd 10.240.255.255 scope global eth0
3: cbr0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 0a:58:0a:f4:00:01 brd ff:ff:ff:ff:ff:ff
    inet 10.244.0.1/24 brd 10.244.0.255 scope global cbr0
${ports}
`;
}

/** The pod's own side, as `ip addr` prints it inside the pod. */
const POD_IP_ADDR = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default
    link/ether 0a:58:0a:f4:00:06 brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 10.244.0.6/24 brd 10.244.0.255 scope global eth0
`;

function topology(hairpin: boolean): string {
  return `apiVersion: kube-netsim/v1
kind: Cluster
spec:
  clusterCIDR: 10.244.0.0/16
  serviceCIDR: 10.0.0.0/16
  routers:
    - {name: gw, ip: 10.240.0.1}
  nodes:
    - name: n0
      ip: 10.240.0.4
      podCIDR: 10.244.0.0/24
      interfaces: {file: n0-ip-addr.txt}
      hairpinMode: ${hairpin}
  pods:
    - {name: web, node: n0, ip: 10.244.0.6, labels: {app: web}, interfaces: {file: web-ip-addr.txt}}
    - {name: other, node: n0, ip: 10.244.0.7, labels: {app: other}}
  services:
    - name: web
      clusterIP: 10.0.0.31
      selector: {app: web}
      ports: [{port: 80, targetPort: 8080, protocol: TCP}]
`;
}

const PORT_NAMES: [string, (n: number) => string][] = [
  ['veth… (kubenet, bridge CNI)', (n) => `veth1a2b3c${n}`],
  ['cali… (Calico)', (n) => `cali5f6e7d8c${n}`],
  ['vethwe-… (Weave)', (n) => `vethwe-pod${n}`],
  ['eth… (a port named like an interface)', (n) => `eth${n}`],
];

for (const [what, port] of PORT_NAMES) {
  for (const master of [true, false]) {
    for (const hairpin of [false, true]) {
      void test(`pod → its own Service, ports ${what}${master ? ' (master cbr0)' : ''}, hairpinMode ${hairpin}`, () => {
        const files: Record<string, string> = { 'n0-ip-addr.txt': nodeIpAddr(port, master), 'web-ip-addr.txt': POD_IP_ADDR };
        const loaded = loadCluster(topology(hairpin), 't.netsim.yaml', { read: (p) => (p in files ? { text: files[p] } : { error: 'no such file' }) });
        assert.deepEqual(loaded.issues.filter((i) => i.severity === 'error'), []);
        const r = trace(loaded.cluster, { from: 'web', to: '10.0.0.31', protocol: 'tcp', port: 80 });
        assert.equal(r.error, undefined);
        const ends = r.outcomes.map((o) => `${o.disposition}@${o.at}${o.seenSource ? ` from ${o.seenSource.ip}` : ''}`);
        assert.deepEqual(ends, hairpin ? ['delivered@default/web from 10.244.0.1'] : ['dropped@n0']);
      });
    }
  }
}
