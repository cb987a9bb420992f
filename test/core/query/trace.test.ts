/** trace(): resolving sources and destinations, DNS names, errors and the probability invariant. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCluster } from '../../../src/core/build/load';
import { parseDestination, resolveSource, trace } from '../../../src/core/query/trace';
import { clusterOf, pod } from '../sim/fixtures';

const DIR = new URL('../../../examples/azure-kubenet/', import.meta.url).pathname;
const seed = loadCluster(readFileSync(join(DIR, 'cluster.netsim.yaml'), 'utf8'), 'cluster.netsim.yaml', {
  read: (p: string) => ({ text: readFileSync(join(DIR, p), 'utf8') }),
}).cluster;

void test('parseDestination: addresses, names, ports and malformed ports', () => {
  const table: [string, unknown][] = [
    ['10.0.0.10', { host: '10.0.0.10' }],
    ['10.0.0.10:53', { host: '10.0.0.10', port: 53 }],
    ['kube-dns.kube-system:53', { host: 'kube-dns.kube-system', port: 53 }],
    ['kube-dns.kube-system.svc.cluster.local', { host: 'kube-dns.kube-system.svc.cluster.local' }],
  ];
  for (const [to, want] of table) assert.deepEqual(parseDestination(to), want);
  for (const bad of ['10.0.0.10:', '10.0.0.10:65536', '10.0.0.10:0', '10.0.0.10:5x', '', ':53', ' :53']) assert.ok('error' in parseDestination(bad), bad);
});

void test('resolveSource: ns/name, bare name, node, address, hostNetwork pod, ambiguity', () => {
  const cl = clusterOf([
    { id: 'n0', kind: 'node', ifaces: [{ name: 'eth0', addr: '10.240.0.4/16', segment: 'lan' }, { name: 'cbr0', addr: '10.244.0.1/24', segment: 'br', bridge: true }] },
    pod('default/web', 'n0', '10.244.0.5', 24, '10.244.0.1', 'br'),
    pod('prod/web', 'n0', '10.244.0.6', 24, '10.244.0.1', 'br'),
    pod('prod/api', 'n0', '10.244.0.7', 24, '10.244.0.1', 'br'),
  ]);
  cl.hostNetworkPods = new Map([['kube-system/kube-proxy-abc', 'n0']]);
  const id = (from: string): string => {
    const r = resolveSource(cl, from);
    return 'error' in r ? `error: ${r.error}` : `${r.host.id}${r.pod ? ` as ${r.pod}` : ''}`;
  };
  assert.equal(id('prod/web'), 'prod/web');
  assert.equal(id('api'), 'prod/api');
  assert.equal(id('n0'), 'n0');
  assert.equal(id('10.244.0.5'), 'default/web');
  assert.equal(id('kube-proxy-abc'), 'n0 as kube-system/kube-proxy-abc');
  assert.match(id('web'), /^error: .*ambiguous/);
  assert.match(id('nope'), /^error: unknown source/);
  const r = trace(cl, { from: 'kube-proxy-abc', to: '10.244.0.7:80', protocol: 'tcp' });
  assert.deepEqual(r.source, { ip: '10.244.0.1', pod: 'kube-system/kube-proxy-abc', node: 'n0' });
  assert.equal(r.outcomes[0].disposition, 'delivered');
});

void test('trace: a DNS name is resolved the way the pod would, then each address traced', () => {
  const r = trace(seed, { from: 'ubuntu', to: 'kube-dns.kube-system:53', protocol: 'udp' });
  assert.equal(r.error, undefined);
  assert.ok(r.dns);
  assert.deepEqual(r.dns.resolved, ['10.0.0.10']);
  assert.equal(r.dns.queries[0].name, 'kube-dns.kube-system.default.svc.cluster.local.');
  assert.equal(r.outcomes.length, 2);
  assert.ok(Math.abs(r.outcomes.reduce((s, o) => s + o.probability, 0) - 1) < 1e-9);
});

void test('trace: a name that does not resolve gives no outcomes, and dns says so', () => {
  const r = trace(seed, { from: 'ubuntu', to: 'no-such-service.kube-system:53', protocol: 'udp' });
  assert.equal(r.error, undefined);
  assert.ok(r.dns);
  assert.deepEqual(r.dns.resolved, []);
  assert.deepEqual(r.outcomes, []);
});

void test('trace: protocol and port checks; --port replaces :PORT; icmp has no port', () => {
  assert.match(trace(seed, { from: 'ubuntu', to: '10.0.0.10', protocol: 'udp', port: 70000 }).error ?? '', /malformed port/);
  assert.match(trace(seed, { from: 'ubuntu', to: '10.0.0.10', protocol: 'gre' as 'tcp' }).error ?? '', /unknown protocol/);
  const r = trace(seed, { from: 'ubuntu', to: '10.244.1.2:80', protocol: 'udp', port: 53 });
  assert.equal(r.query.port, 53);
  assert.equal(r.outcomes[0].delivered?.port, 53);
  const ping = trace(seed, { from: 'ubuntu', to: '10.244.1.2', protocol: 'icmp' });
  assert.equal(ping.outcomes[0].disposition, 'delivered');
  assert.equal(ping.outcomes[0].connection, 'ok');
  const noPort = trace(seed, { from: 'ubuntu', to: '10.0.0.10', protocol: 'tcp' });
  assert.ok(noPort.assumptions?.some((a) => /no destination port/.test(a)));
});
