/**
 * The seed scenario (examples/azure-kubenet, from the Azure kubenet write-up):
 * the walks the write-up explains, end to end through the real loader, parsers
 * and builder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCluster } from '../../../src/core/build/load';
import { trace } from '../../../src/core/query/trace';
import type { Outcome, TraceResult } from '../../../src/core/sim/types';

const DIR = new URL('../../../examples/azure-kubenet/', import.meta.url).pathname;
const loaded = loadCluster(readFileSync(join(DIR, 'cluster.netsim.yaml'), 'utf8'), 'cluster.netsim.yaml', {
  read(p: string) {
    try {
      return { text: readFileSync(join(DIR, p), 'utf8') };
    } catch {
      return { error: 'no such file' };
    }
  },
});
const cluster = loaded.cluster;
const DNS0 = 'kube-system/kube-dns-v20-3003781527-lc299';
const DNS1 = 'kube-system/kube-dns-v20-3003781527-njvzk';

function sum(r: TraceResult): number {
  return r.outcomes.reduce((s, o) => s + o.probability, 0);
}

function byDelivered(r: TraceResult, ip: string): Outcome {
  const o = r.outcomes.find((x) => x.delivered?.ip === ip);
  assert.ok(o, `an outcome delivers to ${ip}: ${r.outcomes.map((x) => x.summary).join(' | ')}`);
  return o;
}

void test('seed: the example loads without error-level issues', () => {
  assert.deepEqual(loaded.issues.filter((i) => i.severity === 'error').map((i) => i.code), []);
});

void test('seed: ubuntu → 10.0.0.10:53/udp is 0.5 to 10.244.0.2 (same node, via cbr0) and 0.5 to 10.244.1.2 (via the gateway to 10.240.0.5)', () => {
  const r = trace(cluster, { from: 'default/ubuntu', to: '10.0.0.10:53', protocol: 'udp' });
  assert.equal(r.error, undefined);
  assert.deepEqual(r.source, { ip: '10.244.0.6', pod: 'default/ubuntu', node: 'k8s-agent-0' });
  assert.equal(r.outcomes.length, 2);
  assert.ok(Math.abs(sum(r) - 1) < 1e-9);

  const near = byDelivered(r, '10.244.0.2');
  assert.equal(near.probability, 0.5);
  assert.deepEqual(near.delivered, { ip: '10.244.0.2', port: 53, pod: DNS0, node: 'k8s-agent-0' });
  assert.equal(near.at, DNS0);
  assert.ok(near.hops.some((h) => h.kind === 'bridge' && h.host === 'k8s-agent-0' && /cbr0/.test(h.text)));
  assert.ok(!near.hops.some((h) => h.host === 'azure-gateway'), 'the same-node endpoint is not reached through the gateway');

  const far = byDelivered(r, '10.244.1.2');
  assert.equal(far.probability, 0.5);
  assert.deepEqual(far.delivered, { ip: '10.244.1.2', port: 53, pod: DNS1, node: 'k8s-agent-1' });
  const gw = far.hops.find((h) => h.host === 'azure-gateway' && h.kind === 'route');
  assert.ok(gw, 'the gateway routes it');
  assert.match(gw.text, /via 10\.240\.0\.5/);
  assert.equal(gw.origin?.file, 'gateway-route-table.txt');

  for (const o of r.outcomes) {
    assert.deepEqual(o.seenSource, { ip: '10.244.0.6' });
    assert.equal(o.connection, 'ok');
    assert.equal(o.reply?.disposition, 'delivered');
    assert.equal(o.reply?.at, 'default/ubuntu');
    assert.equal(o.reply?.matchesRequest, true);
    // The choice is the kube-proxy rule with the 0.5 statistic, pointed at in the nat listing.
    const pick = o.hops.find((h) => h.kind === 'rule' && h.chain?.startsWith('KUBE-SVC-') && /→ KUBE-SEP-/.test(h.text));
    assert.ok(pick?.origin, 'the KUBE-SVC rule has an origin');
    assert.equal(pick.origin.file, 'k8s-agent-0/iptables-nat-L-n-v.txt');
    const dnat = o.hops.find((h) => h.kind === 'rule' && /DNAT/.test(h.text));
    assert.equal(dnat?.host, 'k8s-agent-0');
    assert.equal(dnat?.packet?.dst, o.delivered?.ip);
  }
});

void test('seed: pod → pod across nodes goes ubuntu → cbr0 → agent-0 → gateway → agent-1 → cbr0 → pod, and back', () => {
  const r = trace(cluster, { from: 'ubuntu', to: '10.244.1.2', protocol: 'udp', port: 53 });
  assert.equal(r.outcomes.length, 1);
  const o = r.outcomes[0];
  assert.equal(o.probability, 1);
  assert.equal(o.disposition, 'delivered');
  const hosts = o.hops.filter((h) => h.kind === 'route').map((h) => h.host);
  assert.deepEqual(hosts, ['default/ubuntu', 'k8s-agent-0', 'azure-gateway', 'k8s-agent-1', DNS1]);
  assert.equal(o.reply?.matchesRequest, true);
  assert.equal(o.connection, 'ok');
  assert.equal(o.hops[0].origin?.file, 'cluster.netsim.yaml');
});

void test('seed: the node itself → ClusterIP is masqueraded (! -s 10.244.0.0/16 → KUBE-MARK-MASQ)', () => {
  const r = trace(cluster, { from: 'k8s-agent-0', to: '10.0.0.10', protocol: 'udp', port: 53 });
  assert.equal(r.source.ip, '10.240.0.4');
  assert.equal(r.outcomes.length, 2);
  assert.deepEqual(byDelivered(r, '10.244.0.2').seenSource, { ip: '10.244.0.1' });
  assert.deepEqual(byDelivered(r, '10.244.1.2').seenSource, { ip: '10.240.0.4' });
  for (const o of r.outcomes) {
    assert.ok(o.hops.some((h) => h.kind === 'rule' && /MASQUERADE/.test(h.text)));
    assert.equal(o.reply?.matchesRequest, true, o.summary);
    assert.ok(o.reply?.hops.some((h) => h.kind === 'nat' && /destination restored/.test(h.text)), 'conntrack undoes the masquerade on the reply');
  }
});

void test('seed: bad queries give an error, never a throw', () => {
  const cases: [string, string, RegExp][] = [
    ['nobody', '10.0.0.10:53', /unknown source/],
    ['ubuntu', '10.0.0.10:0', /malformed port/],
    ['ubuntu', '10.0.0.10:http', /malformed port/],
    ['10.9.9.9', '10.0.0.10:53', /unknown source/],
  ];
  for (const [from, to, re] of cases) {
    const r = trace(cluster, { from, to, protocol: 'udp' });
    assert.match(r.error ?? '', re);
    assert.deepEqual(r.outcomes, []);
  }
});

void test('seed: a source given as an address is the host that owns it', () => {
  const r = trace(cluster, { from: '10.244.0.6', to: '10.244.1.2:53', protocol: 'udp' });
  assert.equal(r.source.pod, 'default/ubuntu');
  assert.equal(r.outcomes[0].disposition, 'delivered');
});
