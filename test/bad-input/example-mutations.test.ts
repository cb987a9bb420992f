/**
 * The bundled azure-kubenet example with one thing broken at a time, as a
 * person editing dumps would break it: a gateway route removed, a pod's address
 * changed, a node's nat listing or route table cut off mid-file. lint says what
 * and where; trace still runs and shows the consequence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertInBounds, assertSane, example, linesOf, run, type Place } from './harness';

const EX = example();
const T = 'cluster.netsim.yaml';
const NAT0 = 'k8s-agent-0/iptables-nat-L-n-v.txt';
const ROUTES0 = 'k8s-agent-0/route-n.txt';
const GW = 'gateway-route-table.txt';
const DNS0 = 'kube-system/kube-dns-v20-3003781527-lc299';
const DNS1 = 'kube-system/kube-dns-v20-3003781527-njvzk';

interface LintIssue extends Place { severity: string; message: string }
interface Result {
  source: { ip: string; pod?: string };
  outcomes: { probability: number; disposition: string; at: string }[];
}

function withFile(path: string, text: string): Record<string, string> {
  assert.notEqual(text, EX[path], `${path} unchanged`);
  return { ...EX, [path]: text };
}

async function lint(files: Record<string, string>, label: string): Promise<{ code: number; issues: LintIssue[] }> {
  const r = await run(['lint', T, '--json'], files);
  assertSane(r, [0, 1], label);
  const issues = JSON.parse(r.out) as LintIssue[];
  for (const i of issues) assertInBounds(i, files[i.file], `${label} ${i.code}`);
  return { code: r.code, issues };
}

async function trace(files: Record<string, string>, from: string, to: string, proto: string, label: string): Promise<Result> {
  const r = await run(['trace', T, '--from', from, '--to', to, '--proto', proto, '--json'], files);
  assertSane(r, [0], label);
  const j = JSON.parse(r.out) as Result;
  if (j.outcomes.length) assert.ok(Math.abs(j.outcomes.reduce((s, o) => s + o.probability, 0) - 1) < 1e-9, label);
  return j;
}

const ends = (r: Result): string[] => r.outcomes.map((o) => `${o.disposition}@${o.at} ${o.probability}`).sort();

void test('the example itself: lint has no error or warning, the ClusterIP splits 50/50 to both kube-dns pods', async () => {
  const l = await lint(EX, 'example');
  assert.equal(l.code, 0);
  assert.deepEqual(l.issues.filter((i) => i.severity !== 'info'), []);
  const r = await trace(EX, 'ubuntu', '10.0.0.10:53', 'udp', 'example');
  assert.deepEqual(ends(r), [`delivered@${DNS0} 0.5`, `delivered@${DNS1} 0.5`]);
});

void test('gateway route to k8s-agent-1\'s pods removed: lint errors at the gateway table, trace ends at the gateway (the implied 10.0.0.0/8 → None)', async () => {
  const gw = EX[GW].replace(/^k8s-agent-154d19d7-1 .*\n/m, '');
  const files = withFile(GW, gw);
  const l = await lint(files, 'route removed');
  assert.equal(l.code, 1);
  const unreachable = l.issues.filter((i) => i.code === 'unreachable-pod-cidr');
  assert.ok(unreachable.length === 1 && unreachable.every((i) => i.file === GW && i.severity === 'error'), JSON.stringify(unreachable));
  assert.match(unreachable[0].message, /replies/, 'replies to k8s-agent-1 are lost too, said on the same finding');
  assert.deepEqual(l.issues.filter((i) => i.severity !== 'info' && i.code !== 'unreachable-pod-cidr'), [], 'the one gap is said once');
  const direct = await trace(files, 'ubuntu', '10.244.1.2', 'tcp', 'pod to pod');
  assert.deepEqual(ends(direct), ['blackhole@azure-gateway 1']);
  const svc = await trace(files, 'ubuntu', '10.0.0.10:53', 'udp', 'ClusterIP');
  assert.deepEqual(ends(svc), ['blackhole@azure-gateway 0.5', `delivered@${DNS0} 0.5`]);
});

void test('ubuntu\'s ip changed in the topology only: one warning where, the dump\'s address is used, no false reachability error', async () => {
  const topo = EX[T].replace('ip: 10.244.0.6\n', 'ip: 10.244.0.66\n');
  const files = withFile(T, topo);
  const l = await lint(files, 'pod ip');
  assert.equal(l.code, 0);
  const line = linesOf(topo).findIndex((x) => x.includes('ip: 10.244.0.66')) + 1;
  assert.deepEqual(l.issues.filter((i) => i.severity !== 'info').map((i) => `${i.file}:${i.line}:${i.column} ${i.code}`), [`${T}:${line}:11 dump-disagrees-with-topology`]);
  const r = await trace(files, 'ubuntu', '10.0.0.10:53', 'udp', 'from ubuntu');
  assert.equal(r.source.ip, '10.244.0.6');
  assert.deepEqual(ends(r), [`delivered@${DNS0} 0.5`, `delivered@${DNS1} 0.5`]);
  // nobody owns the topology's address: as a source it is refused, the option named
  const bad = await run(['trace', T, '--from', '10.244.0.66', '--to', '10.0.0.10:53'], files);
  assertSane(bad, [2], 'from the lost address');
  assert.match(bad.err, /^kube-netsim trace: --from: [^\n]*10\.244\.0\.66[^\n]*\n$/);
});

void test('ubuntu\'s ifconfig says another address: lint names the disagreement; a kube-dns reply still finds its way', async () => {
  const ifc = EX['ubuntu/ifconfig.txt'].replace('inet addr:10.244.0.6 ', 'inet addr:10.244.0.7 ');
  const files = withFile('ubuntu/ifconfig.txt', ifc);
  const l = await lint(files, 'ifconfig ip');
  assert.ok(l.issues.some((i) => i.code === 'dump-disagrees-with-topology' && i.file === T), JSON.stringify(l.issues.map((i) => i.code)));
  const r = await trace(files, 'ubuntu', '10.0.0.10:53', 'udp', 'from ubuntu');
  assert.equal(r.source.ip, '10.244.0.7');
});

/** The example's nat listing cut just after `needle`'s first `keep` characters. */
function natCutAt(needle: string, keep: number): string {
  const i = EX[NAT0].indexOf(needle);
  assert.ok(i > 0, needle);
  return EX[NAT0].slice(0, i + keep);
}

void test('k8s-agent-0\'s nat listing cut in the middle of a rule row: the cut line is named, the trace runs on what was read', async () => {
  const cut = natCutAt('KUBE-SEP-YIL6JZP7A3QYXJU2  all', 12);
  const files = withFile(NAT0, cut);
  const l = await lint(files, 'nat cut');
  const last = linesOf(cut).length;
  assert.ok(l.issues.some((i) => i.file === NAT0 && i.line === last && i.severity === 'warning'), JSON.stringify(l.issues.filter((i) => i.file === NAT0)));
  const r = await trace(files, 'ubuntu', '10.0.0.10:53', 'udp', 'nat cut');
  assert.ok(r.outcomes.length > 0);
});

void test('k8s-agent-0\'s nat listing cut inside a Chain header: the cut line is named', async () => {
  const cut = natCutAt('Chain KUBE-SEP-', 10);
  const l = await lint(withFile(NAT0, cut), 'header cut');
  const last = linesOf(cut).length;
  assert.ok(l.issues.some((i) => i.file === NAT0 && i.line === last && i.severity !== 'info'), JSON.stringify(l.issues.filter((i) => i.file === NAT0 && i.line === last)));
});

void test('k8s-agent-0\'s nat listing and route table cut at every tenth of the file: lint in bounds, trace runs', async () => {
  for (const path of [NAT0, ROUTES0]) {
    const full = EX[path];
    for (let k = 1; k < 10; k++) {
      const files = withFile(path, full.slice(0, Math.floor((full.length * k) / 10)));
      await lint(files, `${path} cut ${k}/10`);
      await trace(files, 'ubuntu', '10.0.0.10:53', 'udp', `${path} cut ${k}/10`);
      await trace(files, 'ubuntu', '10.244.1.2', 'tcp', `${path} cut ${k}/10`);
    }
  }
});

void test('k8s-agent-0\'s route table without its default route: lint and trace both say where the packet stops', async () => {
  const routes = EX[ROUTES0].replace(/^0\.0\.0\.0 .*\n/m, '');
  const files = withFile(ROUTES0, routes);
  const l = await lint(files, 'no default');
  assert.equal(l.code, 1);
  assert.ok(l.issues.some((i) => i.code === 'unreachable-pod-cidr' && i.file === ROUTES0), JSON.stringify(l.issues.map((i) => `${i.file} ${i.code}`)));
  const r = await trace(files, 'ubuntu', '10.244.1.2', 'tcp', 'no default');
  assert.deepEqual(ends(r), ['no-route@k8s-agent-0 1']);
});
