import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { loadCluster } from '../../../src/core/build/load';
import { resolveName } from '../../../src/core/dns/resolve';

const TOPOLOGY = 'examples/azure-kubenet/cluster.netsim.yaml';

/** The example as shipped, or without its iptables dumps (then the nodes' rules are generated from `services:` as kube-proxy writes them). */
function load(withDumps: boolean): ReturnType<typeof loadCluster> {
  const dir = dirname(TOPOLOGY);
  let text = readFileSync(TOPOLOGY, 'utf8');
  if (!withDumps) text = text.replace(/^ +iptables:\n +nat: .*\n/gm, '');
  return loadCluster(text, TOPOLOGY, {
    read: (p) => { try { return { text: readFileSync(join(dir, p), 'utf8') }; } catch (e) { return { error: String(e) }; } },
  });
}

for (const withDumps of [true, false]) {
void test(`example${withDumps ? '' : ' (generated kube-proxy rules)'}: ubuntu resolves kube-dns.kube-system, every query traced 50/50 to the two kube-dns pods`, () => {
  const { cluster } = load(withDumps);
  const r = resolveName(cluster, 'default/ubuntu', 'kube-dns.kube-system');
  assert.equal(r.nameserver, '10.0.0.10');
  assert.deepEqual(r.queries.map((q) => `${q.name} ${q.type} ${JSON.stringify(q.answer)}`), [
    'kube-dns.kube-system.default.svc.cluster.local. A "NXDOMAIN"',
    'kube-dns.kube-system.default.svc.cluster.local. AAAA "NXDOMAIN"',
    'kube-dns.kube-system.svc.cluster.local. A ["10.0.0.10"]',
    'kube-dns.kube-system.svc.cluster.local. AAAA "NODATA"',
  ]);
  assert.deepEqual(r.resolved, ['10.0.0.10']);
  const pods = [...cluster.hosts.values()].filter((h) => h.labels?.['k8s-app'] === 'kube-dns').map((h) => h.id).sort();
  assert.equal(pods.length, 2);
  for (const q of r.queries) {
    const delivered = q.trace.outcomes.filter((o) => o.disposition === 'delivered');
    assert.equal(delivered.length, 2, q.name);
    assert.deepEqual(delivered.map((o) => o.delivered?.pod).sort(), pods, q.name);
    for (const o of delivered) assert.ok(Math.abs(o.probability - 0.5) < 1e-9, q.name);
    assert.deepEqual(q.answeredBy?.map((a) => a.pod).sort(), pods, q.name);
    assert.deepEqual(q.answeredBy?.map((a) => a.probability), [0.5, 0.5], q.name);
  }
});
}
