/**
 * kube-proxy's own expectations (proxier_test.go TestTracePacket) against a
 * full walk: one node holding the test's dump, its node addresses and pod CIDR
 * (10.0.0.0/8, on a bridge), the endpoints as pods on that bridge, and a router
 * to the external clients. kube-proxy's tracer lists every endpoint of a
 * statistic cascade; the walk gives each a probability, so the set of DNAT
 * targets with p > 0 must equal kube-proxy's list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseIPv4 } from '../../../src/core/net/ipv4';
import { traceFlow } from '../../../src/core/sim/trace-flow';
import type { Outcome } from '../../../src/core/sim/types';
import { clusterOf, pod, type HostSpec } from './fixtures';
import { CORPUS } from '../../fixtures/dirs';

const KUBE_PROXY = `${CORPUS}/iptables-kube-proxy`;
const dump = readFileSync(`${KUBE_PROXY}/k8s-TestTracePacket.iptables-save.txt`, 'utf8');
const spec = JSON.parse(readFileSync(`${KUBE_PROXY}/k8s-TestTracePacket.flows.json`, 'utf8')) as {
  settings: { nodeIPs: string[]; testNodeIP: string; podCIDR: string };
  flows: { name: string; protocol: 'tcp'; sourceIP: string; destIP: string; destPort: number; output: string; masq: boolean }[];
};

const BR = 'bridge:node/cbr0';
const podIPs = ['10.0.0.2', '10.0.0.3', '10.180.0.1', '10.180.0.2', '10.180.0.3', '10.180.0.4', '10.180.0.5'];
const hosts: HostSpec[] = [
  {
    id: 'node', kind: 'node',
    ifaces: [
      { name: 'lo', addr: '127.0.0.1/8' },
      { name: 'eth0', addr: '192.168.0.2/24', segment: 'lan' },
      { name: 'eth1', addr: '192.168.1.2/24' },
      { name: 'eth2', addr: '192.168.99.11/24', segment: 'ext' },
      { name: 'cbr0', addr: '10.0.0.1/8', segment: BR, bridge: true },
    ],
    routes: ['default via 192.168.0.1 dev eth0'],
    iptables: dump,
  },
  ...podIPs.map((ip) => pod(`ns/pod-${ip}`, 'node', ip, 8, '10.0.0.1', BR)),
  {
    id: 'gw', kind: 'router',
    ifaces: [{ name: 'eth0', addr: '192.168.0.1/24', segment: 'lan' }, { name: 'eth1', addr: '203.0.113.1/24', segment: 'wan' }],
    routes: ['10.0.0.0/8 via 192.168.0.2 dev eth0', '192.168.99.0/24 via 192.168.0.2 dev eth0', '172.30.0.0/16 via 192.168.0.2 dev eth0', '1.2.3.4/32 via 192.168.0.2 dev eth0', '5.6.7.8/32 via 192.168.0.2 dev eth0'],
  },
  { id: 'client', kind: 'host', ifaces: [{ name: 'eth0', addr: ['203.0.113.2/24', '203.0.113.130/24'], segment: 'wan' }], routes: ['default via 203.0.113.1 dev eth0'] },
];
const cluster = clusterOf(hosts, { clusterCIDR: spec.settings.podCIDR });

function dnatTargets(outcomes: Outcome[]): string[] {
  const out = new Set<string>();
  for (const o of outcomes) {
    if (o.probability <= 0) continue;
    for (const h of o.hops) {
      const m = /DNAT \S+ → (\S+)\//.exec(h.text);
      if (h.kind === 'rule' && m) out.add(m[1]);
    }
  }
  return [...out].sort();
}

function verdictOf(outcomes: Outcome[]): string {
  if (outcomes.every((o) => o.disposition === 'dropped')) return 'DROP';
  if (outcomes.every((o) => o.disposition === 'rejected')) return 'REJECT';
  if (outcomes.some((o) => o.hops.some((h) => h.kind === 'rule' && /: ACCEPT$/.test(h.text)))) return 'ACCEPT';
  return '';
}

for (const f of spec.flows) {
  void test(`TestTracePacket: ${f.name}`, () => {
    const src = parseIPv4(f.sourceIP)!;
    const owner = cluster.addressOwner.get(src);
    assert.ok(owner, `someone owns ${f.sourceIP}`);
    const outcomes = traceFlow(cluster, { srcHost: owner.host, src, dst: parseIPv4(f.destIP)!, protocol: f.protocol, srcPort: 40000, dstPort: f.destPort });
    const sum = outcomes.reduce((s, o) => s + o.probability, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `probabilities sum to ${sum}`);
    const expectedTargets = f.output.includes(':') ? f.output.split(', ').sort() : [];
    assert.deepEqual(dnatTargets(outcomes), expectedTargets);
    if (expectedTargets.length) {
      assert.ok(outcomes.every((o) => o.disposition === 'delivered'), JSON.stringify(outcomes.map((o) => o.summary)));
      assert.deepEqual(outcomes.map((o) => `${o.delivered?.ip}:${o.delivered?.port}`).sort(), expectedTargets);
      if (expectedTargets.length > 1) for (const o of outcomes) assert.ok(Math.abs(o.probability - 1 / expectedTargets.length) < 1e-9);
      for (const o of outcomes) assert.equal(o.connection, 'ok', o.summary);
    } else {
      assert.equal(verdictOf(outcomes), f.output);
    }
    const masq = outcomes.some((o) => o.seenSource !== undefined && o.seenSource.ip !== f.sourceIP);
    assert.equal(masq, f.masq);
  });
}

void test('TestTracePacket: REJECT sends an ICMP error the client receives (connection refused)', () => {
  const outcomes = traceFlow(cluster, { srcHost: 'ns/pod-10.0.0.2', src: parseIPv4('10.0.0.2')!, dst: parseIPv4('172.30.0.46')!, protocol: 'tcp', srcPort: 40000, dstPort: 80 });
  assert.equal(outcomes.length, 1);
  assert.equal(outcomes[0].at, 'node');
  assert.equal(outcomes[0].reply?.disposition, 'delivered');
  assert.equal(outcomes[0].reply?.at, 'ns/pod-10.0.0.2');
  assert.equal(outcomes[0].connection, 'refused');
  const last = outcomes[0].hops.filter((h) => h.kind === 'rule').pop();
  assert.equal(last?.origin?.line, 18);
  assert.equal(last?.chain, 'KUBE-SERVICES');
  assert.equal(last?.table, 'filter');
});
