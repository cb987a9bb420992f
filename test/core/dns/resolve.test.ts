import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveName, type PacketTracer } from '../../../src/core/dns/resolve';
import { dnsSearchAmplification } from '../../../src/core/dns/search-amplification';
import { formatIPv4 } from '../../../src/core/net/ipv4';
import type { Flow } from '../../../src/core/sim/trace-flow';
import type { Outcome, ReplyTrace } from '../../../src/core/sim/types';
import { SEED_RESOLV_CONF, pod, seedCluster } from './fixture';

const DNS0 = { ip: '10.244.0.2', pod: 'kube-system/kube-dns-v20-3003781527-lc299' };
const DNS1 = { ip: '10.244.1.2', pod: 'kube-system/kube-dns-v20-3003781527-2kvbh' };
const back: ReplyTrace = { disposition: 'delivered', at: 'default/ubuntu', hops: [], matchesRequest: true };

function delivered(p: number, to: { ip: string; pod: string }, reply: ReplyTrace | undefined = back): Outcome {
  return { probability: p, disposition: 'delivered', at: 'k8s-agent-0', hops: [], delivered: { ip: to.ip, port: 53, pod: to.pod }, ...(reply ? { reply } : {}) };
}
function ended(p: number, disposition: Outcome['disposition']): Outcome {
  return { probability: p, disposition, at: 'k8s-agent-0', hops: [] };
}
/** A tracer answering by destination address, recording every flow it was asked for. */
function tracer(byDst: Record<string, Outcome[]>, seen: Flow[] = []): PacketTracer {
  return (_c, flow) => { seen.push(flow); return byDst[formatIPv4(flow.dst)] ?? []; };
}
const SPLIT = { '10.0.0.10': [delivered(0.5, DNS0), delivered(0.5, DNS1)] };
const brief = (qs: { name: string; type: string; answer: unknown; server?: string }[]): string[] => qs.map((q) => `${q.name} ${q.type} ${JSON.stringify(q.answer)} @${q.server}`);

void test('seed: ubuntu resolves kube-dns.kube-system through the search list, each query 50/50 over the kube-dns pods', () => {
  const seen: Flow[] = [];
  const r = resolveName(seedCluster({ ubuntuResolv: SEED_RESOLV_CONF }), 'default/ubuntu', 'kube-dns.kube-system', { tracer: tracer(SPLIT, seen) });
  assert.equal(r.nameserver, '10.0.0.10');
  assert.deepEqual(brief(r.queries), [
    'kube-dns.kube-system.default.svc.cluster.local. A "NXDOMAIN" @10.0.0.10',
    'kube-dns.kube-system.default.svc.cluster.local. AAAA "NXDOMAIN" @10.0.0.10',
    'kube-dns.kube-system.svc.cluster.local. A ["10.0.0.10"] @10.0.0.10',
    'kube-dns.kube-system.svc.cluster.local. AAAA "NODATA" @10.0.0.10',
  ]);
  assert.deepEqual(r.resolved, ['10.0.0.10']);
  assert.equal(r.error, undefined);
  for (const q of r.queries) {
    assert.deepEqual(q.answeredBy, [{ pod: DNS0.pod, ip: DNS0.ip, probability: 0.5 }, { pod: DNS1.pod, ip: DNS1.ip, probability: 0.5 }]);
    assert.equal(q.trace.outcomes.length, 2);
    assert.equal(q.transport, 'udp');
  }
  assert.deepEqual(seen.map((f) => [f.srcHost, formatIPv4(f.src), formatIPv4(f.dst), f.protocol, f.srcPort, f.dstPort]), [['default/ubuntu', '10.244.0.6', '10.0.0.10', 'udp', 33000, 53]]);
});

void test('ClusterFirst resolv.conf is derived when the pod has none', () => {
  const rows: { cluster: ReturnType<typeof seedCluster>; from: string; name: string; first: string; server: string; assumption: RegExp }[] = [
    { cluster: seedCluster(), from: 'default/ubuntu', name: 'kube-dns.kube-system', first: 'kube-dns.kube-system.default.svc.cluster.local.', server: '10.0.0.10', assumption: /dnsPolicy ClusterFirst/ },
    { cluster: seedCluster(), from: 'web/nginx-0', name: 'frontend', first: 'frontend.web.svc.cluster.local.', server: '10.0.0.10', assumption: /search web\.svc\.cluster\.local svc\.cluster\.local cluster\.local/ },
    { cluster: seedCluster({ noKubeDns: true }), from: 'default/ubuntu', name: 'kubernetes', first: 'kubernetes.default.svc.cluster.local.', server: '10.0.0.10', assumption: /10th address of the service CIDR/ },
  ];
  for (const row of rows) {
    const r = resolveName(row.cluster, row.from, row.name, { tracer: () => [] });
    assert.equal(r.queries[0].name, row.first, row.name);
    assert.equal(r.nameserver, row.server, row.name);
    assert.ok(r.assumptions?.some((a) => row.assumption.test(a)), `${row.name}: ${r.assumptions?.join(' | ')}`);
  }
});

void test('dnsPolicy None, Default, and dnsConfig merged into ClusterFirst', () => {
  const none = seedCluster({ ubuntu: { dnsPolicy: 'None', dnsConfig: { nameservers: ['10.0.0.10'], searches: ['web.svc.cluster.local'], options: [{ name: 'ndots', value: '2' }] } } });
  const r1 = resolveName(none, 'default/ubuntu', 'frontend', { tracer: () => [] });
  assert.deepEqual(r1.queries.map((q) => q.name), ['frontend.web.svc.cluster.local.', 'frontend.web.svc.cluster.local.']);
  assert.deepEqual(r1.resolved, ['10.0.88.8']);
  const noConfig = resolveName(seedCluster({ ubuntu: { dnsPolicy: 'None' } }), 'default/ubuntu', 'frontend', { tracer: () => [] });
  assert.match(noConfig.error ?? '', /dnsPolicy None without dnsConfig/);
  const def = resolveName(seedCluster({ ubuntu: { dnsPolicy: 'Default' } }), 'default/ubuntu', 'frontend', { tracer: () => [] });
  assert.match(def.error ?? '', /node's resolv.conf/);
  const merged = seedCluster({ ubuntu: { dnsConfig: { nameservers: ['10.0.0.11'], searches: ['corp.example'], options: [{ name: 'ndots', value: '1' }, { name: 'single-request' }] } } });
  const r2 = resolveName(merged, 'default/ubuntu', 'example.com', { tracer: () => [] });
  assert.deepEqual(r2.queries.map((q) => q.name).filter((n, i, a) => a.indexOf(n) === i), ['example.com.', 'example.com.default.svc.cluster.local.', 'example.com.svc.cluster.local.', 'example.com.cluster.local.', 'example.com.corp.example.']);
});

void test('lost, refused and misaddressed replies: per-nameserver retries and where the search stops', () => {
  const ns2 = 'nameserver 10.0.0.10\nnameserver 10.0.0.11\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5 attempts:2\n';
  const ok11 = [delivered(1, DNS1)];
  const rows: { resolv: string; musl?: boolean; byDst: Record<string, Outcome[]>; expect: string[]; resolved: string[] }[] = [
    { // glibc: the first candidate times out on both servers twice; the search list ends; the name as is is still asked.
      resolv: ns2, byDst: { '10.0.0.10': [ended(1, 'dropped')], '10.0.0.11': [ended(1, 'blackhole')] }, resolved: [],
      expect: ['kube-dns.kube-system.default.svc.cluster.local. A "timeout" @10.0.0.10', 'kube-dns.kube-system.default.svc.cluster.local. AAAA "timeout" @10.0.0.10',
        'kube-dns.kube-system.default.svc.cluster.local. A "timeout" @10.0.0.11', 'kube-dns.kube-system.default.svc.cluster.local. AAAA "timeout" @10.0.0.11',
        'kube-dns.kube-system.default.svc.cluster.local. A "timeout" @10.0.0.10', 'kube-dns.kube-system.default.svc.cluster.local. AAAA "timeout" @10.0.0.10',
        'kube-dns.kube-system.default.svc.cluster.local. A "timeout" @10.0.0.11', 'kube-dns.kube-system.default.svc.cluster.local. AAAA "timeout" @10.0.0.11',
        'kube-dns.kube-system. A "timeout" @10.0.0.10', 'kube-dns.kube-system. AAAA "timeout" @10.0.0.10',
        'kube-dns.kube-system. A "timeout" @10.0.0.11', 'kube-dns.kube-system. AAAA "timeout" @10.0.0.11',
        'kube-dns.kube-system. A "timeout" @10.0.0.10', 'kube-dns.kube-system. AAAA "timeout" @10.0.0.10',
        'kube-dns.kube-system. A "timeout" @10.0.0.11', 'kube-dns.kube-system. AAAA "timeout" @10.0.0.11'],
    },
    { // glibc: the Service without endpoints REJECTs: refused at once, the next nameserver answers.
      resolv: ns2, byDst: { '10.0.0.10': [ended(1, 'rejected')], '10.0.0.11': ok11 }, resolved: ['10.0.0.10'],
      expect: ['kube-dns.kube-system.default.svc.cluster.local. A "refused" @10.0.0.10', 'kube-dns.kube-system.default.svc.cluster.local. AAAA "refused" @10.0.0.10',
        'kube-dns.kube-system.default.svc.cluster.local. A "NXDOMAIN" @10.0.0.11', 'kube-dns.kube-system.default.svc.cluster.local. AAAA "NXDOMAIN" @10.0.0.11',
        'kube-dns.kube-system.svc.cluster.local. A "refused" @10.0.0.10', 'kube-dns.kube-system.svc.cluster.local. AAAA "refused" @10.0.0.10',
        'kube-dns.kube-system.svc.cluster.local. A ["10.0.0.10"] @10.0.0.11', 'kube-dns.kube-system.svc.cluster.local. AAAA "NODATA" @10.0.0.11'],
    },
    { // glibc: every nameserver refuses: ECONNREFUSED ends the whole lookup after the first candidate.
      resolv: SEED_RESOLV_CONF, byDst: { '10.0.0.10': [ended(1, 'no-route')] }, resolved: [],
      expect: ['kube-dns.kube-system.default.svc.cluster.local. A "refused" @10.0.0.10', 'kube-dns.kube-system.default.svc.cluster.local. AAAA "refused" @10.0.0.10',
        'kube-dns.kube-system.default.svc.cluster.local. A "refused" @10.0.0.10', 'kube-dns.kube-system.default.svc.cluster.local. AAAA "refused" @10.0.0.10'],
    },
    { // glibc: a REJECT whose ICMP error never reaches the pod is a wait, not a refusal.
      resolv: 'nameserver 10.0.0.10\nsearch svc.cluster.local\noptions ndots:5 attempts:1\n',
      byDst: { '10.0.0.10': [{ ...ended(1, 'rejected'), reply: { disposition: 'dropped', at: 'k8s-agent-0', hops: [] } }] }, resolved: [],
      expect: ['kube-dns.kube-system.svc.cluster.local. A "timeout" @10.0.0.10', 'kube-dns.kube-system.svc.cluster.local. AAAA "timeout" @10.0.0.10',
        'kube-dns.kube-system. A "timeout" @10.0.0.10', 'kube-dns.kube-system. AAAA "timeout" @10.0.0.10'],
    },
    { // musl does not hear the ICMP error: a timeout, and the lookup ends.
      resolv: SEED_RESOLV_CONF, musl: true, byDst: { '10.0.0.10': [ended(1, 'rejected')] }, resolved: [],
      expect: ['kube-dns.kube-system.default.svc.cluster.local. A "timeout" @10.0.0.10', 'kube-dns.kube-system.default.svc.cluster.local. AAAA "timeout" @10.0.0.10',
        'kube-dns.kube-system.default.svc.cluster.local. A "timeout" @10.0.0.10', 'kube-dns.kube-system.default.svc.cluster.local. AAAA "timeout" @10.0.0.10'],
    },
    { // The reply comes back from the pod address, not 10.0.0.10: the resolver drops it.
      resolv: 'nameserver 10.0.0.10\nsearch svc.cluster.local\noptions ndots:5 attempts:1\n', byDst: { '10.0.0.10': [delivered(1, DNS0, { ...back, matchesRequest: false })] }, resolved: [],
      expect: ['kube-dns.kube-system.svc.cluster.local. A "timeout" @10.0.0.10', 'kube-dns.kube-system.svc.cluster.local. AAAA "timeout" @10.0.0.10',
        'kube-dns.kube-system. A "timeout" @10.0.0.10', 'kube-dns.kube-system. AAAA "timeout" @10.0.0.10'],
    },
  ];
  for (const [i, row] of rows.entries()) {
    const c = seedCluster({ ubuntuResolv: row.resolv, ubuntu: row.musl ? { resolver: 'musl' } : {} });
    const r = resolveName(c, 'default/ubuntu', 'kube-dns.kube-system', { tracer: tracer(row.byDst) });
    assert.deepEqual(brief(r.queries), row.expect, `row ${i}`);
    assert.deepEqual(r.resolved, row.resolved, `row ${i}`);
    assert.equal(r.error === undefined, row.resolved.length > 0, `row ${i}`);
  }
});

void test('a dead endpoint: half the queries are lost, the answer and its share are reported', () => {
  const r = resolveName(seedCluster({ ubuntuResolv: SEED_RESOLV_CONF }), 'default/ubuntu', 'kubernetes.default.svc.cluster.local.', { tracer: tracer({ '10.0.0.10': [delivered(0.5, DNS0), ended(0.5, 'dropped')] }) });
  assert.deepEqual(brief(r.queries), ['kubernetes.default.svc.cluster.local. A ["10.0.0.1"] @10.0.0.10', 'kubernetes.default.svc.cluster.local. AAAA "NODATA" @10.0.0.10']);
  assert.deepEqual(r.queries[0].answeredBy, [{ pod: DNS0.pod, ip: DNS0.ip, probability: 0.5 }]);
  assert.ok(r.queries[0].notes?.some((n) => /probability 0\.5: dropped/.test(n)));
});

void test('options: rotate moves to the next server per candidate; use-vc sends over TCP', () => {
  const resolv = 'nameserver 10.0.0.10\nnameserver 10.0.0.11\nsearch default.svc.cluster.local svc.cluster.local\noptions ndots:5 rotate use-vc\n';
  const seen: Flow[] = [];
  const r = resolveName(seedCluster({ ubuntuResolv: resolv }), 'default/ubuntu', 'kube-dns.kube-system', { tracer: tracer({ '10.0.0.10': [delivered(1, DNS0)], '10.0.0.11': [delivered(1, DNS1)] }, seen) });
  assert.deepEqual(r.queries.map((q) => `${q.server} ${q.transport}`), ['10.0.0.10 tcp', '10.0.0.10 tcp', '10.0.0.11 tcp', '10.0.0.11 tcp']);
  assert.deepEqual(seen.map((f) => f.protocol), ['tcp', 'tcp']);
});

void test('lookup kinds, addresses, unknown sources and untraced paths', () => {
  const c = seedCluster({ ubuntuResolv: SEED_RESOLV_CONF });
  assert.deepEqual(resolveName(c, 'default/ubuntu', '10.0.0.10'), { nameserver: '', queries: [], resolved: ['10.0.0.10'] });
  assert.match(resolveName(c, 'default/nope', 'kubernetes').error ?? '', /unknown source/);
  const v4 = resolveName(c, 'ubuntu', 'kubernetes', { lookup: 'gethostbyname', tracer: () => [] });
  assert.deepEqual(v4.queries.map((q) => `${q.name} ${q.type}`), ['kubernetes.default.svc.cluster.local. A']);
  assert.deepEqual(v4.queries[0].answeredBy?.map((a) => a.probability), [0.5, 0.5]);
  assert.ok(v4.queries[0].notes?.some((n) => /not traced/.test(n)));
  const empty = seedCluster({ ubuntuResolv: 'nameserver 10.0.77.7\n' });
  const r = resolveName(empty, 'default/ubuntu', 'kubernetes.default.svc.cluster.local', { tracer: () => [] });
  assert.equal(r.queries[0].answer, 'refused');
  const out = resolveName(c, 'default/ubuntu', 'google.com', { tracer: () => [] });
  assert.equal(out.queries.length, 10);
  assert.deepEqual(out.queries.slice(-2).map((q) => q.answer), ['unknown', 'unknown']);
  assert.ok(out.assumptions?.some((a) => a.startsWith('google.com. is outside')));
});

void test('dnsSearchAmplification lists lookups of more than two queries', () => {
  const c = seedCluster({ ubuntuResolv: SEED_RESOLV_CONF, dns: { upstream: { 'example.com': ['93.184.216.34'] } } });
  c.hosts.set('web/alpine', pod('web', 'alpine', '10.244.1.9', { resolver: 'musl' }));
  const found = dnsSearchAmplification(c, ['example.com', { from: 'default/ubuntu', name: 'kubernetes' }, { from: 'web/nginx-0', name: 'kubernetes' }, { from: 'web/nginx-0', name: 'frontend' }]);
  const byKey = new Map(found.map((f) => [`${f.from} ${f.name}`, f.queries]));
  assert.equal(byKey.get('default/ubuntu example.com'), 10);
  assert.equal(byKey.get('web/alpine example.com'), 8);
  assert.equal(byKey.get('web/nginx-0 kubernetes'), 8);
  assert.equal(byKey.has('default/ubuntu kubernetes'), false);
  assert.equal(byKey.has('web/nginx-0 frontend'), false);
});
