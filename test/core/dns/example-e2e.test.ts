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

void test('example: a name outside the cluster ends on the upstream resolver the topology does not model, not on NXDOMAIN', () => {
  const { cluster } = load(true);
  const r = resolveName(cluster, 'default/ubuntu', 'www.google.com');
  assert.deepEqual(r.resolved, []);
  assert.equal(r.queries.at(-1)?.name, 'www.google.com.');
  assert.equal(r.queries.at(-1)?.answer, 'unknown');
  assert.equal(r.unresolved, 'upstream-unknown');
  assert.doesNotMatch(r.error ?? '', /NXDOMAIN/);
  assert.match(r.error ?? '', /upstream resolver/);
  assert.match(r.error ?? '', /dns\.upstream/);
});

void test('example: a cluster name that does not exist, asked fully qualified, is NXDOMAIN (CoreDNS answers it)', () => {
  const { cluster } = load(true);
  const r = resolveName(cluster, 'default/ubuntu', 'no-such-svc.default.svc.cluster.local.');
  assert.equal(r.unresolved, 'nxdomain');
  assert.match(r.error ?? '', /^NXDOMAIN/);
});

void test('example: the answer given under dns.upstream resolves the outside name', () => {
  const text = readFileSync(TOPOLOGY, 'utf8').replace('  dnsDomain: cluster.local\n', '  dnsDomain: cluster.local\n  dns:\n    upstream:\n      www.google.com: [142.250.74.36]\n');
  const { cluster } = loadCluster(text, TOPOLOGY, { read: (p) => ({ text: readFileSync(join(dirname(TOPOLOGY), p), 'utf8') }) });
  const r = resolveName(cluster, 'default/ubuntu', 'www.google.com');
  assert.deepEqual(r.resolved, ['142.250.74.36']);
  assert.equal(r.unresolved, undefined);
});
