/**
 * Link-layer parsers: `ip -d link` / `ip -d addr` device details, `ip neigh`,
 * `bridge fdb`, on dumps the kernel printed (test/fixtures/links, see its
 * README) and on hand-made lines for the cases the kernel here cannot make.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInterfaces } from '../../../src/core/parse/interfaces/parse-interfaces';
import { parseIpNeigh } from '../../../src/core/parse/neighbours/parse-ip-neigh';
import { parseBridgeFdb } from '../../../src/core/parse/neighbours/parse-bridge-fdb';
import { detectFormat } from '../../../src/core/parse/text/detect';
import { parseAs } from '../../../src/core/parse/parse-any';
import { formatIPv4 } from '../../../src/core/net/ipv4';
import type { Interface } from '../../../src/core/model/interfaces';
import type { FdbEntry, Neighbour } from '../../../src/core/model/links';
import { places, text } from './parse-view';

const FIX = join(__dirname, '../../fixtures/links');
const read = (name: string) => readFileSync(join(FIX, name), 'utf8');

/** A device as one line: `name kind details… [port hairpin]`. */
function linkLine(i: Interface): string {
  const l = i.link;
  const kind = !l ? '-' : l.kind === 'vxlan'
    ? `vxlan ${l.vni} local ${l.local !== undefined ? formatIPv4(l.local) : '-'} dev ${l.dev ?? '-'} dstport ${l.dstport ?? '-'}${l.learning ? '' : ' nolearning'}`
    : l.kind === 'ipip' ? `ipip remote ${l.remote !== undefined ? formatIPv4(l.remote) : 'any'} local ${l.local !== undefined ? formatIPv4(l.local) : 'any'}${l.pmtudisc ? '' : ' nopmtudisc'}`
      : l.kind === 'bridge' ? `bridge nf_call_iptables ${l.nfCallIptables}`
        : l.kind === 'other' ? `other ${l.name}` : l.kind;
  const port = i.bridgePort ? ` port ${i.bridgePort.state ?? '-'}${i.bridgePort.hairpin ? ' hairpin' : ''}` : '';
  return `${i.name} mtu ${i.mtu} ${kind}${i.master ? ` master ${i.master}` : ''}${port}`;
}

const neighLine = (n: Neighbour) => [n.address, n.dev ?? '-', n.lladdr ?? '-', n.router ? 'router' : '', n.proxy ? 'proxy' : '', ...n.states].filter(Boolean).join(' ');
const fdbLine = (e: FdbEntry) => [e.lladdr, e.dev ?? '-', e.dst !== undefined ? `dst ${formatIPv4(e.dst)}` : '', e.master ? `master ${e.master}` : '', e.self ? 'self' : '', e.permanent ? 'permanent' : ''].filter(Boolean).join(' ');

test('ip -d link show (kernel): device kinds, vxlan settings, bridge port hairpin, MTU', () => {
  const r = parseInterfaces(read('ip-d-link.txt'));
  assert.deepEqual(places(r.issues), []);
  assert.deepEqual(r.value.interfaces.map(linkLine), [
    'lo mtu 65536 -',
    'eth0 mtu 1500 veth',
    'flannel.1 mtu 1450 vxlan 1 local 10.240.0.4 dev eth0 dstport 8472 nolearning',
    'cni0 mtu 1450 bridge nf_call_iptables false',
    'eth0p mtu 1500 veth',
    'veth1a2b3c4d mtu 1450 veth master cni0 port disabled hairpin',
  ]);
  const vx = r.value.interfaces[2].link!;
  // The span covers the detail line, for a trace step or hover to point at.
  assert.equal(vx.span.line, 9);
  assert.equal(read('ip-d-link.txt').slice(vx.span.start, vx.span.start + 10), 'vxlan id 1');
});

test('ip -d addr show (kernel): details and addresses together', () => {
  const r = parseInterfaces(read('ip-d-addr.txt'));
  assert.deepEqual(places(r.issues), []);
  const f = r.value.interfaces.find((i) => i.name === 'flannel.1')!;
  assert.equal(linkLine(f), 'flannel.1 mtu 1450 vxlan 1 local 10.240.0.4 dev eth0 dstport 8472 nolearning');
  assert.deepEqual(f.addresses.map((a) => `${formatIPv4(a.ip)}/${a.prefixLen}`), ['10.244.0.0/32']);
});

test('detection: ip -d link is ip-link, ip -d addr is ip-addr, ip neigh and bridge fdb by their lines', () => {
  assert.equal(detectFormat(read('ip-d-link.txt')), 'ip-link');
  assert.equal(detectFormat(read('ip-d-addr.txt')), 'ip-addr');
  assert.equal(detectFormat(read('ip-neigh.txt')), 'ip-neigh');
  assert.equal(detectFormat(read('bridge-fdb.txt')), 'bridge-fdb');
  assert.equal(detectFormat(read('ip-route.txt')), 'ip-route');
  // Without the prompt lines, from the content alone.
  const strip = (s: string) => s.split('\n').filter((l) => !l.startsWith('#')).join('\n');
  assert.equal(detectFormat(strip(read('ip-d-link.txt'))), 'ip-link');
  assert.equal(detectFormat(strip(read('ip-neigh.txt'))), 'ip-neigh');
  assert.equal(detectFormat(strip(read('bridge-fdb.txt'))), 'bridge-fdb');
  assert.equal(detectFormat('10.244.0.50 dev eth0 proxy'), 'ip-neigh');
  assert.equal(detectFormat('10.244.1.0 dev flannel.1 scope link'), 'ip-route');
  assert.equal(detectFormat('10.244.1.0 via 10.244.1.0 dev flannel.1 onlink'), 'ip-route');
});

test('ip neigh show (kernel): states, lladdr, router, and the proxy listing', () => {
  const r = parseIpNeigh(read('ip-neigh.txt'));
  assert.deepEqual(places(r.issues), []);
  assert.deepEqual(r.value.neighbours.map(neighLine), [
    '10.240.0.9 eth0 - FAILED',
    '10.244.1.0 flannel.1 56:8a:7d:2b:ee:01 PERMANENT',
    '10.240.0.1 eth0 02:00:00:00:00:01 router REACHABLE',
    '10.244.0.50 eth0 - proxy',
  ]);
  const n = r.value.neighbours[1];
  assert.equal(n.span.line, 3);
  assert.equal(n.ip, 0x0af40100);
});

test('bridge fdb show (kernel): dst, self/master, permanent, the all-zeros default entry', () => {
  const r = parseBridgeFdb(read('bridge-fdb.txt'));
  assert.deepEqual(places(r.issues), []);
  const vx = r.value.entries.filter((e) => e.dev === 'flannel.1').map(fdbLine);
  assert.deepEqual(vx, [
    '00:00:00:00:00:00 flannel.1 dst 10.240.0.6 self permanent',
    '56:8a:7d:2b:ee:01 flannel.1 dst 10.240.0.5 self permanent',
  ]);
  assert.deepEqual(r.value.entries.filter((e) => e.master).map(fdbLine).map((l) => l.replace(/^\S+/, 'LL')), ['LL veth1a2b3c4d master cni0 permanent']);
  assert.equal(r.value.entries.length, 13);
});

const NEIGH_CASES: { name: string; input: string; read: string[]; issues: string[] }[] = [
  {
    name: 'ip neigh show dev X omits dev: taken from the prompt',
    input: text('# ip neigh show dev flannel.1', '10.244.1.0 lladdr 56:8a:7d:2b:ee:01 PERMANENT', '10.244.2.0 lladdr 56:8a:7d:2b:ee:02 STALE'),
    read: ['10.244.1.0 flannel.1 56:8a:7d:2b:ee:01 PERMANENT', '10.244.2.0 flannel.1 56:8a:7d:2b:ee:02 STALE'],
    issues: [],
  },
  {
    name: 'ip -s neigh: ref/used/probes skipped; IPv6 entries kept as text',
    input: text('10.240.0.1 dev eth0 lladdr 02:00:00:00:00:01 ref 1 used 12/12/9 probes 1 REACHABLE', 'fe80::1 dev eth0 lladdr 02:00:00:00:00:01 router STALE'),
    read: ['10.240.0.1 eth0 02:00:00:00:00:01 REACHABLE', 'fe80::1 eth0 02:00:00:00:00:01 router STALE'],
    issues: [],
  },
  {
    name: 'bad lladdr, bad address, an unknown word, a stray line',
    input: text('10.0.0.1 dev eth0 lladdr 02:00:00 REACHABLE', '10.0.0.300 dev eth0 lladdr 02:00:00:00:00:01 STALE', '10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 bogus STALE', 'hello world'),
    read: ['10.0.0.1 eth0 - REACHABLE', '10.0.0.2 eth0 02:00:00:00:00:02 STALE'],
    issues: ['neigh-bad-lladdr@1:26-34', 'neigh-bad-address@2:1-11', 'neigh-unknown-word@3:44-49', 'neigh-line-unrecognised@4:1-12'],
  },
];

for (const c of NEIGH_CASES) {
  test(`ip neigh: ${c.name}`, () => {
    const r = parseIpNeigh(c.input);
    assert.deepEqual(r.value.neighbours.map(neighLine), c.read);
    assert.deepEqual(places(r.issues), c.issues);
  });
}

const FDB_CASES: { name: string; input: string; read: string[]; issues: string[] }[] = [
  {
    name: 'bridge fdb show dev X omits dev; per-entry port, vni and via',
    input: text('# bridge fdb show dev vxlan.calico', '66:1b:2c:3d:4e:5f dst 10.240.0.5 port 4789 vni 4096 via eth1 self permanent'),
    read: ['66:1b:2c:3d:4e:5f vxlan.calico dst 10.240.0.5 self permanent'],
    issues: [],
  },
  {
    name: 'a bad dst, a port out of range, a keyword without value, an unknown word',
    input: text('aa:bb:cc:dd:ee:ff dev v dst 10.0.0.256 self', 'aa:bb:cc:dd:ee:01 dev v port 70000 self', 'aa:bb:cc:dd:ee:02 dev v dst', 'aa:bb:cc:dd:ee:03 dev v frob self'),
    read: ['aa:bb:cc:dd:ee:ff v self', 'aa:bb:cc:dd:ee:01 v self', 'aa:bb:cc:dd:ee:02 v', 'aa:bb:cc:dd:ee:03 v self'],
    issues: ['fdb-bad-address@1:29-39', 'fdb-bad-number@2:30-35', 'fdb-missing-value@3:25-28', 'fdb-unknown-word@4:25-29'],
  },
];

for (const c of FDB_CASES) {
  test(`bridge fdb: ${c.name}`, () => {
    const r = parseBridgeFdb(c.input);
    assert.deepEqual(r.value.entries.map(fdbLine), c.read);
    assert.deepEqual(places(r.issues), c.issues);
    if (c.name.startsWith('bridge fdb show dev')) assert.deepEqual([r.value.entries[0].port, r.value.entries[0].vni, r.value.entries[0].via], [4789, 4096, 'eth1']);
  });
}

test('ip -d link: ipip (Calico tunl0) and a kind that is not modelled', () => {
  // Written in the form ip-link(8)'s iptnl printer uses; this kernel has no ipip module to print it.
  const r = parseInterfaces(text(
    '4: tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1440 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
    '    link/ipip 0.0.0.0 brd 0.0.0.0 promiscuity 0 minmtu 0 maxmtu 0 ',
    '    ipip any remote any local any ttl inherit nopmtudisc addrgenmode eui64 numtxqueues 1 numrxqueues 1',
    '5: ipip1@NONE: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1480 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
    '    link/ipip 10.240.0.4 peer 10.240.0.5 promiscuity 0 minmtu 0 maxmtu 0 ',
    '    ipip ipip remote 10.240.0.5 local 10.240.0.4 ttl 64 pmtudisc addrgenmode eui64',
    '7: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default',
    '    link/ether 22:76:01:f0:71:9f brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 0 maxmtu 0',
    '    dummy addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535',
    '8: vxlan.calico: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default',
    '    link/ether 66:1b:2c:3d:4e:5f brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 65535',
    '    vxlan id 4096 local 10.240.0.4 dev eth0 srcport 0 0 dstport 4789 nolearning ttl auto ageing 300 udpcsum',
    '9: bad: <UP> mtu 1450 qdisc noqueue state UNKNOWN',
    '    link/ether 66:1b:2c:3d:4e:50 brd ff:ff:ff:ff:ff:ff',
    '    vxlan id 99999999 local 10.240.0.400 dstport 4789',
  ));
  assert.deepEqual(r.value.interfaces.map(linkLine), [
    'tunl0 mtu 1440 ipip remote any local any nopmtudisc',
    'ipip1 mtu 1480 ipip remote 10.240.0.5 local 10.240.0.4',
    'kube-ipvs0 mtu 1500 other dummy',
    'vxlan.calico mtu 1450 vxlan 4096 local 10.240.0.4 dev eth0 dstport 4789 nolearning',
    'bad mtu 1450 other vxlan',
  ]);
  assert.deepEqual(places(r.issues), ['link-bad-number@15:14-22']);
});

test('parse --format ip-neigh | bridge-fdb | ip-link: summaries', () => {
  assert.deepEqual(parseAs('auto', read('ip-neigh.txt')).summary, { neighbours: 4, withLladdr: 2, proxy: 1 });
  assert.deepEqual(parseAs('bridge-fdb', read('bridge-fdb.txt')).summary, { entries: 13, withDst: 2, devices: ['eth0', 'flannel.1', 'cni0', 'eth0p', 'veth1a2b3c4d'] });
  const l = parseAs('auto', read('ip-d-link.txt'));
  assert.equal(l.format, 'ip-link');
  assert.deepEqual(l.summary, { interfaces: 6, addresses: 0, kinds: { veth: 3, vxlan: 1, bridge: 1 } });
});
