/**
 * The cluster model of the bundled example (the seed's Azure kubenet cluster)
 * and of small inline topologies without dumps. Tests that read dumps through
 * other engineers' parsers say which parser in their name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIPv4, formatPrefix, parseIPv4 } from '../../../src/core/net/ipv4';
import type { Host } from '../../../src/core/model/cluster';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, loadExample, loadInline } from './fixture';
import { defaultResolvConf } from '../../../src/core/dns/default-resolv';

const ip = (s: string) => parseIPv4(s)!;
const addrs = (h: Host) => h.interfaces.map((i) => [i.name, i.addresses.map((a) => `${formatIPv4(a.ip)}/${a.prefixLen}`).join(' ')]);
const main = (h: Host) => (h.routing.tables.get('main') ?? []).map((e) => {
  const r = e.route;
  return [r.dst.len === 0 ? 'default' : formatPrefix(r.dst), r.nexthops.map((n) => `${n.via === undefined ? '' : formatIPv4(n.via)}@${n.dev ?? ''}`).join(',')];
});

void test('example: hosts, kinds and kernel switches', () => {
  const { cluster } = loadExample();
  assert.deepEqual([...cluster.hosts.values()].map((h) => [h.id, h.kind, h.flags.ipForward, h.flags.brNetfilter]), [
    ['azure-gateway', 'router', true, false],
    ['k8s-agent-0', 'node', true, true],
    ['k8s-agent-1', 'node', true, true],
    ['k8s-master-0', 'node', true, true],
    ['default/ubuntu', 'pod', false, false],
    ['kube-system/kube-dns-v20-3003781527-lc299', 'pod', false, false],
    ['kube-system/kube-dns-v20-3003781527-njvzk', 'pod', false, false],
  ]);
  assert.equal(cluster.hosts.get('default/ubuntu')!.node, 'k8s-agent-0');
});

void test('example: services and their endpoints', () => {
  const { cluster } = loadExample();
  assert.deepEqual(cluster.services.map((s) => [s.id, formatIPv4(s.clusterIP!), s.endpoints.map((e) => [formatIPv4(e.ip), e.pod])]), [
    ['kube-system/kube-dns', '10.0.0.10', [['10.244.0.2', 'kube-system/kube-dns-v20-3003781527-lc299'], ['10.244.1.2', 'kube-system/kube-dns-v20-3003781527-njvzk']]],
    ['default/kubernetes', '10.0.0.1', [['10.240.255.5', undefined]]],
  ]);
});

void test('example: address owners (pods, nodes, the gateway; nobody owns a ClusterIP)', () => {
  const { cluster } = loadExample();
  assert.deepEqual(cluster.addressOwner.get(ip('10.244.1.2')), { host: 'kube-system/kube-dns-v20-3003781527-njvzk', iface: 'eth0' });
  assert.deepEqual(cluster.addressOwner.get(ip('10.240.0.1')), { host: 'azure-gateway', iface: 'eth0' });
  assert.deepEqual(cluster.addressOwner.get(ip('10.244.2.1')), { host: 'k8s-master-0', iface: 'cbr0' });
  assert.equal(cluster.addressOwner.get(ip('10.0.0.10')), undefined);
});

void test('example: the master (no dumps) is derived: eth0 on the node network, cbr0, routes via the gateway', () => {
  const { cluster, issues } = loadExample();
  const m = cluster.hosts.get('k8s-master-0')!;
  assert.deepEqual(addrs(m), [['lo', '127.0.0.1/8'], ['eth0', '10.240.255.5/16'], ['cbr0', '10.244.2.1/24']]);
  assert.deepEqual(main(m), [['10.240.0.0/16', '@eth0'], ['10.244.2.0/24', '@cbr0'], ['default', '10.240.0.1@eth0']]);
  assert.match(m.routing.tables.get('main')![2].derivedFrom!, /azure-gateway/);
  assert.deepEqual(m.routing.tables.get('local')!.map((e) => formatPrefix(e.route.dst)), ['127.0.0.0/8', '10.240.255.5/32', '10.244.2.1/32']);
  assert.deepEqual(m.routing.policy.map((p) => [p.priority, p.action]), [[0, { kind: 'lookup', table: 'local' }], [32766, { kind: 'lookup', table: 'main' }], [32767, { kind: 'lookup', table: 'default' }]]);
  assert.deepEqual(issues.filter((i) => i.file === 'examples/azure-kubenet/cluster.netsim.yaml' && i.severity !== 'info').map((i) => i.code), []);
});

void test('example: kube-dns pods get ClusterFirst resolv.conf from the kube-dns Service', () => {
  const { cluster } = loadExample();
  const host = cluster.hosts.get('kube-system/kube-dns-v20-3003781527-lc299')!;
  assert.equal(host.resolvConf, undefined, 'no resolv.conf pasted: derived when resolving');
  const r = defaultResolvConf(cluster, host).conf!;
  assert.deepEqual([r.nameservers.map((n) => n.address), r.search, r.options.ndots], [['10.0.0.10'], ['kube-system.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], 5]);
});

void test('example: the master\'s generated rules use the same chain names as the agents\' kube-proxy', () => {
  const { cluster } = loadExample();
  const nf = cluster.hosts.get('k8s-master-0')!.netfilter!;
  assert.equal(nf.generated, true);
  const chains = [...nf.ruleset.tables.get('nat')?.chains.keys() ?? []].filter((c) => /^KUBE-(SVC|SEP)-/.test(c)).sort();
  assert.deepEqual(chains, ['KUBE-SEP-BWHGELGX6BITPZVO', 'KUBE-SEP-IT2ZTR26TO4XFPTO', 'KUBE-SEP-TKA5O4UKOR545GXM', 'KUBE-SEP-YIL6JZP7A3QYXJU2', 'KUBE-SEP-Z6M7ZHWCTBNMPLD7', 'KUBE-SVC-ERIFXISQEP7F7OF4', 'KUBE-SVC-NPX46M4PTMTKRN6Y', 'KUBE-SVC-TCOU7JCQXEZGVUNU']);
});

void test('with parseInterfaces (ifconfig): example segments and the agents\' interfaces come from the dumps', () => {
  const { cluster } = loadExample();
  assert.deepEqual([...cluster.segments.values()].map((s) => [s.id, s.kind, s.prefix && formatPrefix(s.prefix), s.members.map((m) => `${m.host}:${m.iface}`)]), [
    ['net:10.240.0.0/16', 'network', '10.240.0.0/16', ['azure-gateway:eth0', 'k8s-agent-0:eth0', 'k8s-agent-1:eth0', 'k8s-master-0:eth0']],
    ['bridge:k8s-agent-0/cbr0', 'bridge', '10.244.0.0/24', ['k8s-agent-0:cbr0', 'default/ubuntu:eth0', 'kube-system/kube-dns-v20-3003781527-lc299:eth0']],
    ['bridge:k8s-agent-1/cbr0', 'bridge', '10.244.1.0/24', ['k8s-agent-1:cbr0', 'kube-system/kube-dns-v20-3003781527-njvzk:eth0']],
    ['bridge:k8s-master-0/cbr0', 'bridge', '10.244.2.0/24', ['k8s-master-0:cbr0']],
  ]);
  const a0 = cluster.hosts.get('k8s-agent-0')!;
  assert.deepEqual(addrs(a0).map((x) => x[0]), ['cbr0', 'docker0', 'eth0', 'lo', 'veth16050088', 'veth7c3e1a90']);
  const docker0 = a0.interfaces.find((i) => i.name === 'docker0')!;
  assert.deepEqual([docker0.isBridge, docker0.segment], [true, undefined]);
  const veth = a0.interfaces.find((i) => i.name === 'veth16050088')!;
  assert.deepEqual([veth.master, veth.hairpin], ['cbr0', true]);
  const eth0 = a0.interfaces.find((i) => i.name === 'eth0')!;
  assert.deepEqual([eth0.addresses[0].origin?.file, eth0.addresses[0].origin?.line], ['examples/azure-kubenet/k8s-agent-0/ifconfig.txt', 26]);
});

void test('with parseRouteTable: node, pod and gateway routes come from the dumps with their origins', () => {
  const { cluster } = loadExample();
  const a0 = cluster.hosts.get('k8s-agent-0')!;
  assert.deepEqual(main(a0), [['default', '10.240.0.1@eth0'], ['10.240.0.0/16', '@eth0'], ['10.244.0.0/24', '@cbr0'], ['172.17.0.0/16', '@docker0']]);
  const def = a0.routing.tables.get('main')![0];
  assert.deepEqual([def.origin?.file, def.origin?.line], ['examples/azure-kubenet/k8s-agent-0/route-n.txt', 7]);
  const gw = cluster.hosts.get('azure-gateway')!;
  // The Azure table names only the configured routes; the cloud's system routes are implied and derived:
  // the VNet's own range (VnetLocal), 0.0.0.0/0 → Internet, and the private and shared ranges → None.
  assert.deepEqual(main(gw), [['10.244.0.0/24', '10.240.0.4@'], ['10.244.1.0/24', '10.240.0.5@'], ['10.244.2.0/24', '10.240.255.5@'], ['10.240.0.0/16', '@eth0'],
    ['default', ''], ['10.0.0.0/8', ''], ['172.16.0.0/12', ''], ['192.168.0.0/16', ''], ['100.64.0.0/10', '']]);
  assert.deepEqual(gw.routing.tables.get('main')!.map((e) => [e.origin?.line, e.derivedFrom === undefined, e.implied]),
    [[3, true, undefined], [4, true, undefined], [5, true, undefined], ...Array(6).fill([undefined, false, 'cloud-system-route'])]);
  assert.deepEqual(gw.routing.tables.get('main')!.slice(4).map((e) => e.route.cloudNextHopType), ['Internet', 'None', 'None', 'None', 'None']);
  const ubuntu = cluster.hosts.get('default/ubuntu')!;
  assert.deepEqual(main(ubuntu), [['default', '10.244.0.1@eth0'], ['10.244.0.0/24', '@eth0']]);
  // The ubuntu pod's routes are pasted inline: the default route is on the topology file's line of that block.
  const yamlLine = readFileSync(join(ROOT, 'examples', 'azure-kubenet', 'cluster.netsim.yaml'), 'utf8').split('\n').findIndex((l) => /^\s+0\.0\.0\.0\s+10\.244\.0\.1/.test(l)) + 1;
  const o = ubuntu.routing.tables.get('main')![0].origin;
  assert.deepEqual([o?.file, o?.line, o?.column], ['examples/azure-kubenet/cluster.netsim.yaml', yamlLine, 9]);
});

void test('with parseIptablesList: the agents\' nat rules come from the listing, with origins in the file', () => {
  const { cluster } = loadExample();
  const nf = cluster.hosts.get('k8s-agent-0')!.netfilter!;
  assert.equal(nf.generated, false);
  const svc = nf.ruleset.tables.get('nat')!.chains.get('KUBE-SVC-ERIFXISQEP7F7OF4')!;
  assert.equal(svc.rules.length, 2);
  const o = nf.origins.get('nat/KUBE-SVC-ERIFXISQEP7F7OF4/1')!;
  assert.equal(o.file, 'examples/azure-kubenet/k8s-agent-0/iptables-nat-L-n-v.txt');
  assert.match(o.text, /KUBE-SEP-IT2ZTR26TO4XFPTO .*probability 0\.50000000000/);
});

void test('with parseResolvConf: the ubuntu pod\'s resolv.conf is the seed\'s', () => {
  const { cluster } = loadExample();
  const r = cluster.hosts.get('default/ubuntu')!.resolvConf!;
  assert.deepEqual([r.nameservers.map((n) => n.address), r.search.length, r.options.ndots], [['10.0.0.10'], 4, 5]);
});

const NO_DUMPS = `  clusterCIDR: 10.244.0.0/16
  routers:
    - {name: gw, ip: 10.240.0.1}
  hosts:
    - {name: client, ip: 10.240.9.9}
  nodes:
    - {name: n0, ip: 10.240.0.4, podCIDR: 10.244.0.0/24, hairpinMode: false}
    - {name: n1, ip: 10.240.0.5, podCIDR: 10.244.1.0/24, bridge: cni0}
  pods:
    - {name: a, node: n0, ip: 10.244.0.2, labels: {app: x}}
    - {name: agent, namespace: kube-system, node: n1, hostNetwork: true, labels: {app: x}}
  services:
    - {name: x, clusterIP: 10.0.0.30, selector: {app: x}, ports: [{port: 80}]}
`;

void test('no dumps: node interfaces, bridge ports and the bridge segment are derived as kubenet sets them up', () => {
  const { cluster } = loadInline(NO_DUMPS);
  const n0 = cluster.hosts.get('n0')!;
  assert.deepEqual(addrs(n0), [['lo', '127.0.0.1/8'], ['eth0', '10.240.0.4/24'], ['cbr0', '10.244.0.1/24'], ['veth-a', '']]);
  const port = n0.interfaces.find((i) => i.name === 'veth-a')!;
  assert.deepEqual([port.master, port.hairpin], ['cbr0', false]);
  assert.deepEqual(cluster.segments.get('bridge:n0/cbr0')!.members, [{ host: 'n0', iface: 'cbr0' }, { host: 'default/a', iface: 'eth0', port: 'veth-a' }]);
  assert.deepEqual(addrs(cluster.hosts.get('n1')!).map((x) => x[0]), ['lo', 'eth0', 'cni0']);
  assert.deepEqual(main(cluster.hosts.get('default/a')!), [['10.244.0.0/24', '@eth0'], ['default', '10.244.0.1@eth0']]);
  assert.deepEqual(main(cluster.hosts.get('client')!), [['10.240.9.0/24', '@eth0']]);
  assert.deepEqual(main(cluster.hosts.get('gw')!), [['10.240.0.0/24', '@eth0']]);
});

void test('an inline route list keeps the connected routes the kernel would have', () => {
  const { cluster } = loadInline('  routers:\n    - name: gw\n      ip: 10.240.0.1\n      routes: [{to: 10.244.1.0/24, via: 10.240.0.5}, {to: 10.240.0.0/24, dev: eth0}]\n');
  assert.deepEqual(main(cluster.hosts.get('gw')!), [['10.244.1.0/24', '10.240.0.5@'], ['10.240.0.0/24', '@eth0']]);
  const { cluster: c2 } = loadInline('  routers:\n    - name: gw\n      ip: 10.240.0.1\n      routes: [{to: 10.244.1.0/24, via: 10.240.0.5}]\n');
  assert.deepEqual(main(c2.hosts.get('gw')!), [['10.244.1.0/24', '10.240.0.5@'], ['10.240.0.0/24', '@eth0']]);
});

void test('no dumps: a hostNetwork pod is not a host; it maps to its node and its endpoint is the node address', () => {
  const { cluster } = loadInline(NO_DUMPS);
  assert.equal(cluster.hosts.has('kube-system/agent'), false);
  assert.deepEqual([...cluster.hostNetworkPods!], [['kube-system/agent', 'n1']]);
  // Selectors match within the Service's namespace only: the hostNetwork pod is in kube-system.
  assert.deepEqual(cluster.services[0].endpoints.map((e) => formatIPv4(e.ip)), ['10.244.0.2']);
});

void test('no dumps: assumptions are stated as issues at the entry they concern', () => {
  const { issues } = loadInline(NO_DUMPS);
  const mine = issues.filter((i) => !i.code.startsWith('generated-')).map((i) => [i.code, i.severity, i.span.line]);
  assert.deepEqual(mine, [
    ['derived-network-prefix', 'info', 7],
    ['derived-network-prefix', 'info', 9],
    ['no-default-route', 'info', 9],
    ['derived-network-prefix', 'info', 11],
    ['derived-network-prefix', 'info', 12],
  ]);
});

// Needs parseInterfaces (ip addr) to read the dump.
void test('with parseInterfaces (ip addr): a dump lacking the topology\'s node address is reported at the ip value', () => {
  const dump = '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000\n    link/ether 00:0d:3a:51:da:e1 brd ff:ff:ff:ff:ff:ff\n    inet 10.240.0.44/16 brd 10.240.255.255 scope global eth0\n       valid_lft forever preferred_lft forever\n';
  const { cluster, issues } = loadInline('  nodes:\n    - name: n0\n      ip: 10.240.0.4\n      interfaces: {file: n0-ip-addr.txt}\n', { 'n0-ip-addr.txt': dump });
  assert.deepEqual(issues.filter((i) => i.code === 'dump-disagrees-with-topology').map((i) => [i.file, i.span.line, i.span.column]), [['t.netsim.yaml', 7, 11]]);
  assert.deepEqual(addrs(cluster.hosts.get('n0')!), [['lo', '127.0.0.1/8'], ['eth0', '10.240.0.44/16']]);
  assert.deepEqual(cluster.addressOwner.get(ip('10.240.0.44')), { host: 'n0', iface: 'eth0' });
});

// Needs parseInterfaces (ip addr) to read the dump.
void test('with parseInterfaces (ip addr): a bridge outside the topology\'s podCIDR is reported at podCIDR', () => {
  const dump = '3: cbr0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000\n    link/ether 0a:58:0a:f4:00:01 brd ff:ff:ff:ff:ff:ff\n    inet 10.244.7.1/24 brd 10.244.7.255 scope global cbr0\n       valid_lft forever preferred_lft forever\n2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000\n    link/ether 00:0d:3a:51:da:e1 brd ff:ff:ff:ff:ff:ff\n    inet 10.240.0.4/16 brd 10.240.255.255 scope global eth0\n       valid_lft forever preferred_lft forever\n';
  const { issues } = loadInline('  nodes:\n    - name: n0\n      ip: 10.240.0.4\n      podCIDR: 10.244.0.0/24\n      interfaces: {file: n0.txt}\n', { 'n0.txt': dump });
  assert.deepEqual(issues.filter((i) => i.code === 'dump-disagrees-with-topology').map((i) => [i.span.line, i.span.column]), [[8, 16]]);
});
