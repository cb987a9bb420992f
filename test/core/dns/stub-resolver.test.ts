import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseResolvConf } from '../../../src/core/parse/dns/parse-resolv-conf';
import { candidateNames, runStubResolver, type Exchange } from '../../../src/core/dns/stub-resolver';
import type { RecordType } from '../../../src/core/dns/cluster-records';
import { CORPUS } from '../../fixtures/dirs';

const corpus = (f: string): ReturnType<typeof parseResolvConf>['value'] => parseResolvConf(readFileSync(`${CORPUS}/dns/${f}`, 'utf8')).value;

void test('candidate names from the corpus resolv.conf files, glibc and musl', () => {
  const rows: { file: string; name: string; glibc: string[]; musl: string[] }[] = [
    { file: 'tkng-kind-pod-default-ns.resolv.conf.txt', name: 'kubernetes.default',
      glibc: ['kubernetes.default.default.svc.cluster.local.', 'kubernetes.default.svc.cluster.local.', 'kubernetes.default.cluster.local.', 'kubernetes.default.'],
      musl: ['kubernetes.default.default.svc.cluster.local.', 'kubernetes.default.svc.cluster.local.', 'kubernetes.default.cluster.local.', 'kubernetes.default.'] },
    { file: 'k8s-website-dnsPolicy-None-dnsConfig.resolv.conf.txt', name: 'api.example.org',
      glibc: ['api.example.org.', 'api.example.org.ns1.svc.cluster-domain.example.', 'api.example.org.my.dns.search.suffix.'], musl: ['api.example.org.'] },
    { file: 'k8s-website-dnsPolicy-None-dnsConfig.resolv.conf.txt', name: 'db.ns1',
      glibc: ['db.ns1.ns1.svc.cluster-domain.example.', 'db.ns1.my.dns.search.suffix.', 'db.ns1.'], musl: ['db.ns1.ns1.svc.cluster-domain.example.', 'db.ns1.my.dns.search.suffix.', 'db.ns1.'] },
    { file: 'k8s-website-gke-style-ClusterFirst.resolv.conf.txt', name: 'metadata.google.internal.',
      glibc: ['metadata.google.internal.'], musl: ['metadata.google.internal.'] },
    { file: 'k8s-website-gke-style-ClusterFirst.resolv.conf.txt', name: 'storage',
      glibc: ['storage.default.svc.cluster.local.', 'storage.svc.cluster.local.', 'storage.cluster.local.', 'storage.google.internal.', 'storage.c.gce_project_id.internal.', 'storage.'],
      musl: ['storage.default.svc.cluster.local.', 'storage.svc.cluster.local.', 'storage.cluster.local.', 'storage.google.internal.', 'storage.c.gce_project_id.internal.', 'storage.'] },
  ];
  for (const r of rows) {
    const conf = corpus(r.file);
    assert.deepEqual(candidateNames(conf, 'glibc', r.name), r.glibc, `${r.file} ${r.name} glibc`);
    assert.deepEqual(candidateNames(conf, 'musl', r.name), r.musl, `${r.file} ${r.name} musl`);
  }
});

void test('glibc goes on after NODATA, musl stops; a root search domain replaces the final as-is try', () => {
  const conf = parseResolvConf('search a.example b.example\noptions ndots:2\n').value;
  const answers: Record<string, Exchange['answers']> = {
    'x.a.example.': { A: 'NODATA', AAAA: 'NODATA' },
    'x.b.example.': { A: 'NXDOMAIN', AAAA: 'NXDOMAIN' },
    'x.': { A: ['192.0.2.1'], AAAA: 'NODATA' },
  };
  const ask = (n: string, types: RecordType[]): Exchange => ({
    queries: types.map((type) => ({ name: n, type, answer: answers[n]?.[type] ?? 'NXDOMAIN', trace: { outcomes: [] } })),
    answers: Object.fromEntries(types.map((t) => [t, answers[n]?.[t] ?? 'NXDOMAIN'])),
  });
  const g = runStubResolver(conf, 'glibc', 'x', 'getaddrinfo', ask);
  assert.deepEqual(g.queries.map((q) => `${q.name} ${q.type}`), ['x.a.example. A', 'x.a.example. AAAA', 'x.b.example. A', 'x.b.example. AAAA', 'x. A', 'x. AAAA']);
  assert.deepEqual(g.resolved, ['192.0.2.1']);
  const m = runStubResolver(conf, 'musl', 'x', 'getaddrinfo', ask);
  assert.deepEqual(m.queries.map((q) => `${q.name} ${q.type}`), ['x.a.example. A', 'x.a.example. AAAA']);
  assert.deepEqual(m.resolved, []);
  assert.match(m.error ?? '', /^NODATA/);
  const rooted = parseResolvConf('search a.example .\noptions ndots:2\n').value;
  assert.deepEqual(runStubResolver(rooted, 'glibc', 'y', 'gethostbyname', ask).queries.map((q) => q.name), ['y.a.example.', 'y.']);
  assert.deepEqual(runStubResolver(parseResolvConf('options no-aaaa\n').value, 'glibc', 'x', 'getaddrinfo', ask).queries.map((q) => q.type), ['A']);
});
