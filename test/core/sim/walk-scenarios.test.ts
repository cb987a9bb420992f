/**
 * Whole walks over a small kubenet cluster built by hand: two nodes with cbr0
 * bridges, a gateway routing pod ranges to nodes, kube-proxy style nat rules
 * (a 50/50 Service), and the ways a walk can end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIPv4 } from '../../../src/core/net/ipv4';
import { traceFlow, type Flow } from '../../../src/core/sim/trace-flow';
import type { Outcome } from '../../../src/core/sim/types';
import { clusterOf, dedent, pod, type HostSpec } from './fixtures';

const ip = (s: string): number => parseIPv4(s)!;

const NAT = dedent(`
  *nat
  :PREROUTING ACCEPT [0:0]
  :INPUT ACCEPT [0:0]
  :OUTPUT ACCEPT [0:0]
  :POSTROUTING ACCEPT [0:0]
  :KUBE-SERVICES - [0:0]
  :KUBE-POSTROUTING - [0:0]
  :KUBE-MARK-MASQ - [0:0]
  :KUBE-SVC-DNS - [0:0]
  :KUBE-SEP-B - [0:0]
  :KUBE-SEP-C - [0:0]
  :KUBE-SVC-SELF - [0:0]
  :KUBE-SEP-A - [0:0]
  -A PREROUTING -j KUBE-SERVICES
  -A OUTPUT -j KUBE-SERVICES
  -A POSTROUTING -j KUBE-POSTROUTING
  -A KUBE-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
  -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
  -A KUBE-SERVICES ! -s 10.244.0.0/16 -d 10.0.0.10/32 -p udp -m udp --dport 53 -j KUBE-MARK-MASQ
  -A KUBE-SERVICES -d 10.0.0.10/32 -p udp -m udp --dport 53 -j KUBE-SVC-DNS
  -A KUBE-SERVICES -d 10.0.0.20/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-SELF
  -A KUBE-SVC-DNS -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-B
  -A KUBE-SVC-DNS -j KUBE-SEP-C
  -A KUBE-SEP-B -s 10.244.0.2/32 -j KUBE-MARK-MASQ
  -A KUBE-SEP-B -p udp -m udp -j DNAT --to-destination 10.244.0.2:53
  -A KUBE-SEP-C -s 10.244.1.2/32 -j KUBE-MARK-MASQ
  -A KUBE-SEP-C -p udp -m udp -j DNAT --to-destination 10.244.1.2:53
  -A KUBE-SVC-SELF -j KUBE-SEP-A
  -A KUBE-SEP-A SELFMASQ -p tcp -m tcp -j DNAT --to-destination 10.244.0.6:80
  COMMIT
`);

interface Opts {
  brNetfilter?: boolean;
  hairpin?: boolean;
  selfMasq?: boolean;
  extraFilter?: string;
  gwRoutes?: string[];
}

function kubenet(o: Opts = {}): ReturnType<typeof clusterOf> {
  const nat = NAT.replace(' SELFMASQ', '').replace('-A KUBE-SVC-SELF -j KUBE-SEP-A', o.selfMasq ? '-A KUBE-SVC-SELF -j KUBE-SEP-A\n-A KUBE-SEP-A -s 10.244.0.6/32 -j KUBE-MARK-MASQ' : '-A KUBE-SVC-SELF -j KUBE-SEP-A');
  const rules = nat + (o.extraFilter ?? '');
  const node = (name: string, n: number): HostSpec => ({
    id: name, kind: 'node', brNetfilter: o.brNetfilter ?? true,
    ifaces: [
      { name: 'lo', addr: '127.0.0.1/8' },
      { name: 'eth0', addr: `10.240.0.${4 + n}/16`, segment: 'lan' },
      { name: 'cbr0', addr: `10.244.${n}.1/24`, segment: `br${n}`, bridge: true, hairpin: o.hairpin },
    ],
    routes: ['default via 10.240.0.1 dev eth0'],
    iptables: rules,
  });
  return clusterOf([
    node('n0', 0),
    node('n1', 1),
    { id: 'gw', kind: 'router', ifaces: [{ name: 'eth0', addr: '10.240.0.1/16', segment: 'lan' }], routes: o.gwRoutes ?? ['10.244.0.0/24 via 10.240.0.4 dev eth0', '10.244.1.0/24 via 10.240.0.5 dev eth0', 'default via 10.240.0.254 dev eth0'] },
    pod('default/a', 'n0', '10.244.0.6', 24, '10.244.0.1', 'br0'),
    pod('kube-system/b', 'n0', '10.244.0.2', 24, '10.244.0.1', 'br0'),
    pod('kube-system/c', 'n1', '10.244.1.2', 24, '10.244.1.1', 'br1'),
  ], { clusterCIDR: '10.244.0.0/16' });
}

function flow(srcHost: string, src: string, dst: string, dport: number, protocol: Flow['protocol'] = 'udp'): Flow {
  return { srcHost, src: ip(src), dst: ip(dst), protocol, srcPort: 40000, dstPort: dport };
}

function brief(os: Outcome[]): string[] {
  return os.map((o) => `${+o.probability.toFixed(9)} ${o.disposition}@${o.at}${o.delivered ? ` ${o.delivered.ip}:${o.delivered.port}` : ''}${o.connection ? ` ${o.connection}` : ''}`);
}

void test('pod → ClusterIP: 50/50 to the same-node endpoint (bridged after DNAT) and the other node (via the gateway)', () => {
  const os = traceFlow(kubenet(), flow('default/a', '10.244.0.6', '10.0.0.10', 53));
  assert.deepEqual(brief(os), ['0.5 delivered@kube-system/b 10.244.0.2:53 ok', '0.5 delivered@kube-system/c 10.244.1.2:53 ok']);
  assert.ok(os[0].hops.some((h) => h.kind === 'bridge' && h.host === 'n0'));
  assert.ok(os[1].hops.some((h) => h.kind === 'link' && h.host === 'gw'));
  for (const o of os) {
    assert.equal(o.seenSource?.ip, '10.244.0.6');
    assert.equal(o.reply?.matchesRequest, true);
    assert.ok(o.reply?.hops.some((h) => h.kind === 'nat' && /source restored/.test(h.text)), 'the reply is un-DNATed by conntrack');
  }
});

void test('node → ClusterIP is masqueraded (! -s clusterCIDR → KUBE-MARK-MASQ)', () => {
  const os = traceFlow(kubenet(), flow('n0', '10.240.0.4', '10.0.0.10', 53));
  assert.deepEqual(brief(os), ['0.5 delivered@kube-system/b 10.244.0.2:53 ok', '0.5 delivered@kube-system/c 10.244.1.2:53 ok']);
  assert.equal(os[0].seenSource?.ip, '10.244.0.1');
  assert.equal(os[1].seenSource?.ip, '10.240.0.4');
});

void test('without br_netfilter, a same-bridge endpoint answers directly and the reply is not un-DNATed (broken)', () => {
  const os = traceFlow(kubenet({ brNetfilter: false }), flow('default/a', '10.244.0.6', '10.0.0.10', 53));
  assert.deepEqual(brief(os), ['0.5 delivered@kube-system/b 10.244.0.2:53 broken', '0.5 delivered@kube-system/c 10.244.1.2:53 ok']);
  assert.equal(os[0].reply?.matchesRequest, false);
});

void test('pod → its own Service: hairpin on delivers, hairpin off drops', () => {
  const on = traceFlow(kubenet({ hairpin: true, selfMasq: true }), flow('default/a', '10.244.0.6', '10.0.0.20', 80, 'tcp'));
  assert.deepEqual(brief(on), ['1 delivered@default/a 10.244.0.6:80 ok']);
  assert.ok(on[0].hops.some((h) => h.kind === 'bridge' && /hairpin/.test(h.text)));
  const off = traceFlow(kubenet({ hairpin: false, selfMasq: true }), flow('default/a', '10.244.0.6', '10.0.0.20', 80, 'tcp'));
  assert.deepEqual(brief(off), ['1 dropped@n0 timeout']);
});

void test('pod → its own Service through hairpin without masquerade: the reply is local and never un-DNATed', () => {
  const os = traceFlow(kubenet({ hairpin: true, selfMasq: false }), flow('default/a', '10.244.0.6', '10.0.0.20', 80, 'tcp'));
  assert.equal(os.length, 1);
  assert.equal(os[0].disposition, 'delivered');
  assert.equal(os[0].connection, 'broken');
});

void test('REJECT in FORWARD: rejected, the ICMP error reaches the sender (refused)', () => {
  const filter = dedent(`
    *filter
    :INPUT ACCEPT [0:0]
    :FORWARD ACCEPT [0:0]
    :OUTPUT ACCEPT [0:0]
    -A FORWARD -d 10.244.1.2/32 -p udp -m udp --dport 53 -j REJECT --reject-with icmp-port-unreachable
    COMMIT
  `);
  const os = traceFlow(kubenet({ extraFilter: filter }), flow('default/a', '10.244.0.6', '10.0.0.10', 53));
  assert.deepEqual(brief(os), ['0.5 delivered@kube-system/b 10.244.0.2:53 ok', '0.5 rejected@n0 refused']);
  assert.equal(os[1].reply?.at, 'default/a');
});

void test('DROP policy in FORWARD: dropped, the connection times out', () => {
  const filter = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';
  const os = traceFlow(kubenet({ extraFilter: filter }), flow('default/a', '10.244.0.6', '10.244.1.2', 53));
  assert.deepEqual(brief(os), ['1 dropped@n0 timeout']);
});

void test('routing loop between the gateway and a node ends with loop, not a hang', () => {
  const cl = kubenet({ gwRoutes: ['10.244.0.0/24 via 10.240.0.4 dev eth0', '10.244.9.0/24 via 10.240.0.4 dev eth0'] });
  const os = traceFlow(cl, flow('default/a', '10.244.0.6', '10.244.9.9', 53));
  assert.deepEqual(brief(os), ['1 loop@gw refused']);
  assert.equal(os[0].reply?.at, 'default/a', 'the ICMP time exceeded reaches the sender');
});

void test('ends: a gateway nobody models → exited; an on-link address nobody owns → no-route (ARP fails)', () => {
  const cl = kubenet();
  assert.deepEqual(brief(traceFlow(cl, flow('default/a', '10.244.0.6', '8.8.8.8', 53))), ['1 exited@gw']);
  const arp = traceFlow(cl, flow('default/a', '10.244.0.6', '10.244.0.99', 53));
  assert.deepEqual(brief(arp), ['1 no-route@default/a refused']);
});

void test('a pod does not forward a packet that is not for it', () => {
  const cl = kubenet({ gwRoutes: ['10.244.0.0/24 via 10.240.0.4 dev eth0', '10.244.1.0/24 via 10.240.0.5 dev eth0', '10.99.0.0/16 via 10.240.0.4 dev eth0'] });
  // n0 has no route for 10.99/16 other than its default back to the gateway: that is a loop.
  const os = traceFlow(cl, flow('n1', '10.240.0.5', '10.99.0.1', 53));
  assert.equal(os[0].disposition, 'loop');
});

void test('NOTRACK in raw: no conntrack, so no DNAT', () => {
  const raw = '*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -d 10.0.0.10/32 -j NOTRACK\nCOMMIT\n';
  const os = traceFlow(kubenet({ extraFilter: raw }), flow('default/a', '10.244.0.6', '10.0.0.10', 53));
  assert.deepEqual(brief(os), ['1 exited@gw']);
});

void test('blackhole and unreachable routes', () => {
  const cl = kubenet();
  cl.hosts.get('n0')!.routing.tables.get('main')!.push(
    { route: { table: 'main', type: 'blackhole', dst: { addr: ip('10.77.0.0'), len: 16 }, nexthops: [], metric: 0, raw: '', span: { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } } },
    { route: { table: 'main', type: 'unreachable', dst: { addr: ip('10.78.0.0'), len: 16 }, nexthops: [], metric: 0, raw: '', span: { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } } },
  );
  assert.deepEqual(brief(traceFlow(cl, flow('default/a', '10.244.0.6', '10.77.0.1', 53))), ['1 blackhole@n0 timeout']);
  assert.deepEqual(brief(traceFlow(cl, flow('default/a', '10.244.0.6', '10.78.0.1', 53))), ['1 no-route@n0 refused']);
});

void test('REJECT --reject-with tcp-reset: a RST from the ClusterIP reaches the client (refused)', () => {
  const filter = dedent(`
    *filter
    :INPUT ACCEPT [0:0]
    :FORWARD ACCEPT [0:0]
    :OUTPUT ACCEPT [0:0]
    -A FORWARD -d 10.244.0.6/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset
    COMMIT
  `);
  const os = traceFlow(kubenet({ extraFilter: filter, hairpin: true, selfMasq: true }), flow('kube-system/b', '10.244.0.2', '10.0.0.20', 80, 'tcp'));
  assert.deepEqual(brief(os), ['1 rejected@n0 refused']);
  const last = os[0].reply!.hops.at(-1)!;
  assert.equal(last.packet?.src, '10.0.0.20', 'conntrack gives the RST the address the client sent to');
  assert.equal(os[0].reply?.matchesRequest, true);
});
