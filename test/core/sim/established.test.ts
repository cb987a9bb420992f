/**
 * TCP's third packet: a gateway firewall that lets a client's NEW packets and the
 * replies through, but not the client's ESTABLISHED packets, completes the
 * handshake on the client and never on the server (kernel conformance:
 * test/kernel/stateful.test.ts observes exactly this).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCluster } from '../../../src/core/build/load';
import { trace } from '../../../src/core/query/trace';

const topology = (forward: string) => `apiVersion: kube-netsim/v1
kind: Cluster
metadata: {name: established}
spec:
  routers:
    - name: gw
      ip: 10.240.0.1
      routes:
        - {to: 10.244.0.0/24, via: 10.240.0.4}
        - {to: 10.244.1.0/24, via: 10.240.0.5}
      iptables: |
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
${forward.split('\n').map((l) => `        ${l}`).join('\n')}
        COMMIT
  nodes:
    - {name: n0, ip: 10.240.0.4, podCIDR: 10.244.0.0/24}
    - {name: n1, ip: 10.240.0.5, podCIDR: 10.244.1.0/24}
  pods:
    - {name: a, node: n0, ip: 10.244.0.5}
    - {name: b, node: n1, ip: 10.244.1.5}
`;

const HALF = '-A FORWARD -s 10.244.0.5/32 -m conntrack --ctstate NEW -j ACCEPT\n-A FORWARD -d 10.244.0.5/32 -m conntrack --ctstate ESTABLISHED -j ACCEPT';
const FULL = `${HALF}\n-A FORWARD -s 10.244.0.5/32 -m conntrack --ctstate ESTABLISHED -j ACCEPT`;

function run(forward: string, protocol: 'tcp' | 'udp') {
  const { cluster, issues } = loadCluster(topology(forward), 't.netsim.yaml', { read: () => ({ error: 'none' }) });
  assert.deepEqual(issues.filter((i) => i.severity === 'error'), []);
  const r = trace(cluster, { from: 'a', to: '10.244.1.5:80', protocol });
  assert.equal(r.error, undefined);
  assert.equal(r.outcomes.length, 1);
  return r.outcomes[0];
}

void test('the final ACK dropped by a firewall that only lets replies through: delivered, reply delivered, connection times out', () => {
  const o = run(HALF, 'tcp');
  assert.equal(o.disposition, 'delivered');
  assert.equal(o.reply?.disposition, 'delivered');
  assert.equal(o.reply?.matchesRequest, true);
  assert.deepEqual({ d: o.reply?.established?.disposition, at: o.reply?.established?.at }, { d: 'dropped', at: 'gw' });
  assert.equal(o.connection, 'timeout');
});

void test('with the client\'s established packets allowed too, the connection works and no established walk is reported', () => {
  const o = run(FULL, 'tcp');
  assert.equal(o.connection, 'ok');
  assert.equal(o.reply?.established, undefined);
});

void test('UDP has no third packet: one datagram and its answer pass', () => {
  const o = run(HALF, 'udp');
  assert.equal(o.connection, 'ok');
  assert.equal(o.reply?.established, undefined);
});
