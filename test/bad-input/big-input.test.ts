/**
 * 50 MB dumps, built in memory from real ones: `parse` of a repeated
 * iptables-save and of a long `ip route`, `lint` and `trace` of a topology
 * carrying such a dump, and one run of the built command on a 50 MB file.
 * They must complete with spec exit codes; the time is reported, not asserted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, STACK_FRAME, assertSane, corpus, example, parseJson, run } from './harness';

const SIZE = 50e6;

/** The kube-proxy TestOverallIPTablesRules dump, repeated to SIZE: every table re-opened, every rule once per copy. */
function bigIptablesSave(): { text: string; copies: number } {
  const one = corpus('iptables-kube-proxy/k8s-TestOverallIPTablesRules.iptables-save.txt');
  const copies = Math.ceil(SIZE / one.length);
  return { text: one.repeat(copies), copies };
}

/** An `ip route` of a BGP-fed node: /32 routes to distinct addresses, as Calico without aggregation prints them. */
function bigIpRoute(): { text: string; routes: number } {
  const lines: string[] = [];
  let len = 0;
  for (let i = 0; len < SIZE; i++) {
    const l = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} via 10.240.0.${1 + (i % 200)} dev eth0 proto bird metric ${i % 1000}\n`;
    lines.push(l);
    len += l.length;
  }
  return { text: lines.join(''), routes: lines.length };
}

void test('parse of a 50 MB iptables-save completes with every rule counted', async (t) => {
  const { text, copies } = bigIptablesSave();
  const one = parseJson((await run(['parse', 's.txt', '--json'], { 's.txt': corpus('iptables-kube-proxy/k8s-TestOverallIPTablesRules.iptables-save.txt') })).out, 'one copy');
  const t0 = Date.now();
  const r = await run(['parse', 'big.txt', '--format', 'iptables-save', '--json'], { 'big.txt': text });
  t.diagnostic(`${(text.length / 1e6).toFixed(1)} MB iptables-save: ${Date.now() - t0} ms`);
  assertSane(r, [0, 1], 'big save');
  const j = parseJson(r.out, 'big save');
  assert.equal(j.summary.rules, Number(one.summary.rules) * copies);
});

void test('parse of a 50 MB ip route completes with every route counted', async (t) => {
  const { text, routes } = bigIpRoute();
  const t0 = Date.now();
  const r = await run(['parse', 'big.txt', '--json'], { 'big.txt': text });
  t.diagnostic(`${(text.length / 1e6).toFixed(1)} MB ip route (${routes} routes): ${Date.now() - t0} ms`);
  assertSane(r, [0], 'big route');
  const j = parseJson(r.out, 'big route');
  assert.equal(j.format, 'ip-route');
  assert.equal(j.summary.routes, routes);
});

void test('lint and trace of the example with a 50 MB filter table on k8s-agent-0 complete', async (t) => {
  const ex = example();
  const from = '        nat: {file: k8s-agent-0/iptables-nat-L-n-v.txt}\n';
  assert.ok(ex['cluster.netsim.yaml'].includes(from));
  const files = { ...ex, 'cluster.netsim.yaml': ex['cluster.netsim.yaml'].replace(from, `${from}        filter: {file: big.save}\n`), 'big.save': bigIptablesSave().text };
  let t0 = Date.now();
  const l = await run(['lint', 'cluster.netsim.yaml', '--json'], files);
  t.diagnostic(`lint: ${Date.now() - t0} ms`);
  assertSane(l, [0, 1], 'lint');
  assert.ok(Array.isArray(JSON.parse(l.out)));
  t0 = Date.now();
  const r = await run(['trace', 'cluster.netsim.yaml', '--from', 'ubuntu', '--to', 'kube-dns.kube-system:53', '--proto', 'udp', '--json'], files);
  t.diagnostic(`trace with DNS: ${Date.now() - t0} ms`);
  assertSane(r, [0], 'trace');
  const j = JSON.parse(r.out) as { outcomes: { probability: number }[] };
  assert.ok(j.outcomes.length > 0);
  assert.ok(Math.abs(j.outcomes.reduce((s, o) => s + o.probability, 0) - 1) < 1e-9);
});

void test('the built command on a 50 MB ip route file on disk', (t) => {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  const dir = mkdtempSync(join(tmpdir(), 'netsim-big-'));
  const { text, routes } = bigIpRoute();
  writeFileSync(join(dir, 'routes.txt'), text);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kube-netsim.js'), 'parse', 'routes.txt', '--json'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
  t.diagnostic(`bin parse of ${(text.length / 1e6).toFixed(1)} MB: ${Date.now() - t0} ms`);
  assert.equal(r.status, 0, r.stderr.slice(0, 500));
  assert.doesNotMatch(r.stderr, STACK_FRAME);
  assert.equal(parseJson(r.stdout, 'bin big').summary.routes, routes);
});
