/**
 * Bad topologies through `lint`, `parse` and `trace`: YAML syntax errors, a
 * pod on an unknown node, duplicate names, bad CIDRs, `{file: …}` sources that
 * are missing or escape the folder, empty and junk files, files cut short.
 * lint says where (exit 1); trace refuses with exactly one `file:line:col`
 * line on stderr (exit 2); nothing reads outside the topology's folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CWD, assertInBounds, assertSane, example, junk, linesOf, run, type Place } from './harness';

const EX = example();
const TOPO = EX['cluster.netsim.yaml'];
const T = 'cluster.netsim.yaml';

/** 1-based line of the first line containing `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const i = linesOf(text).findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i + 1;
}

/** The topology with one exact replacement (the replaced text must be there). */
function edited(from: string, to: string): string {
  assert.ok(TOPO.includes(from), `the example has no ${JSON.stringify(from)}`);
  return TOPO.replace(from, to);
}

interface LintIssue extends Place { severity: string; message: string }

/** `lint --json` over the example's files with some replaced; checks invariants, shape and bounds. */
async function lint(files: Record<string, string>, label: string): Promise<{ code: number; issues: LintIssue[] }> {
  const r = await run(['lint', T, '--json'], files);
  assertSane(r, [0, 1], label);
  assert.equal(r.err, '', label);
  const issues = JSON.parse(r.out) as LintIssue[];
  assert.ok(Array.isArray(issues), label);
  for (const i of issues) {
    assert.deepEqual(Object.keys(i).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity'], `${label}: ${i.code}`);
    assert.ok(i.file in files, `${label}: ${i.code} names ${i.file}, not an input`);
    assert.doesNotMatch(i.message, /[\r\n]/, `${label}: ${i.code}: a message is one line`);
    assertInBounds(i, files[i.file], label);
  }
  const errors = issues.some((i) => i.severity === 'error');
  assert.equal(r.code, errors ? 1 : 0, `${label}: exit code vs error-level issues`);
  return { code: r.code, issues };
}

/** `trace` of a query that works on the example: exit 0 with a result, or exit 2 with one placed line. */
async function trace(files: Record<string, string>, label: string): Promise<{ code: number; place?: { line: number; column: number; code: string } }> {
  const r = await run(['trace', T, '--from', 'ubuntu', '--to', '10.0.0.10:53', '--proto', 'udp', '--json'], files);
  assertSane(r, [0, 2], label);
  if (r.code === 0) {
    const j = JSON.parse(r.out) as { outcomes: { probability: number }[] };
    const sum = j.outcomes.reduce((s, o) => s + o.probability, 0);
    assert.ok(j.outcomes.length === 0 || Math.abs(sum - 1) < 1e-9, `${label}: probabilities sum to ${sum}`);
    return { code: 0 };
  }
  assert.equal(r.out, '', label);
  const lines = r.err.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `${label}: stderr ${JSON.stringify(r.err)}`);
  // A cut that removed the pod leaves --from naming nothing: the argument is at fault, not a place.
  if (/^kube-netsim trace: --from: unknown source 'ubuntu'/.test(lines[0])) return { code: 2 };
  const m = /^([^:]+):(\d+):(\d+): .*?(?: \[([a-z0-9-]+)\])?$/.exec(lines[0]);
  assert.ok(m, `${label}: ${lines[0]}`);
  assert.ok(m[1] in files, `${label}: names ${m[1]}`);
  const place = { file: m[1], line: Number(m[2]), column: Number(m[3]), code: m[4] ?? '' };
  assertInBounds(place, files[m[1]], label);
  return { code: 2, place };
}

const PODCIDR1 = '      podCIDR: 10.244.1.0/24\n';

/** [case, topology text, expected issue code, its line, its column]. */
const BAD: [string, string, string, number, number][] = [
  ['an unclosed flow sequence', edited(PODCIDR1, '      podCIDR: [10.244.1.0/24\n'), 'topology-yaml-syntax', lineOf(TOPO, 'podCIDR: 10.244.1.0/24') + 1, 7],
  ['a tab as indentation', edited(PODCIDR1, '\tpodCIDR: 10.244.1.0/24\n'), 'topology-yaml-syntax', lineOf(TOPO, 'podCIDR: 10.244.1.0/24'), 1],
  ['an unclosed double quote', edited('    - name: kube-dns\n', '    - name: "kube-dns\n'), 'topology-yaml-syntax', linesOf(TOPO).length, 1],
  ['a key given twice', edited(PODCIDR1, `${PODCIDR1}      podCIDR: 10.244.3.0/24\n`), 'topology-duplicate-key', lineOf(TOPO, 'podCIDR: 10.244.1.0/24') + 1, 7],
  ['a pod on an unknown node', edited('      node: k8s-agent-1\n', '      node: k8s-agent-9\n'), 'topology-unknown-node', lineOf(TOPO, 'node: k8s-agent-1'), 13],
  ['two nodes with one name', edited('    - name: k8s-agent-1 ', '    - name: k8s-agent-0 '), 'topology-duplicate-name', lineOf(TOPO, '- name: k8s-agent-1'), 13],
  ['two pods with one name', edited('    - name: kube-dns-v20-3003781527-njvzk', '    - name: kube-dns-v20-3003781527-lc299'), 'topology-duplicate-name', lineOf(TOPO, 'name: kube-dns-v20-3003781527-njvzk'), 13],
  ['a prefix length of 99', edited('clusterCIDR: 10.244.0.0/16', 'clusterCIDR: 10.244.0.0/99'), 'topology-bad-cidr', lineOf(TOPO, 'clusterCIDR'), 16],
  ['a podCIDR of /33', edited('podCIDR: 10.244.1.0/24', 'podCIDR: 10.244.1.0/33'), 'topology-bad-cidr', lineOf(TOPO, 'podCIDR: 10.244.1.0/24'), 16],
  ['a serviceCIDR that is a word', edited('serviceCIDR: 10.0.0.0/16', 'serviceCIDR: services'), 'topology-bad-cidr', lineOf(TOPO, 'serviceCIDR'), 16],
  ['an octet of 300', edited('ip: 10.244.0.6', 'ip: 10.244.0.300'), 'topology-bad-ip', lineOf(TOPO, 'ip: 10.244.0.6'), 11],
  ['a {file: …} that does not exist', edited('{file: k8s-agent-1/route-n.txt}', '{file: k8s-agent-1/nope.txt}'), 'topology-file-missing', lineOf(TOPO, 'k8s-agent-1/route-n.txt'), 22],
  ['a {file: ../../etc/passwd}', edited('{file: k8s-agent-1/route-n.txt}', '{file: ../../etc/passwd}'), 'topology-file-escapes', lineOf(TOPO, 'k8s-agent-1/route-n.txt'), 22],
  ['a {file: /etc/passwd}', edited('{file: k8s-agent-1/ifconfig.txt}', '{file: /etc/passwd}'), 'topology-file-escapes', lineOf(TOPO, 'k8s-agent-1/ifconfig.txt'), 26],
  ['an empty file', '', 'topology-wrong-type', 1, 1],
  ['a YAML list, not a map', '- a\n- b\n', 'topology-wrong-type', 1, 1],
  ['another kind of object', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n', 'topology-bad-kind', 2, 7],
  ['an empty spec', 'apiVersion: kube-netsim/v1\nkind: Cluster\nmetadata: {name: x}\nspec:\n', 'topology-wrong-type', 4, 6],
];

for (const [name, text, code, line, column] of BAD) {
  void test(`topology with ${name}: lint says ${code} at ${line}:${column}, parse agrees, trace refuses with one placed line`, async () => {
    const files = { ...EX, [T]: text };
    const l = await lint(files, name);
    assert.equal(l.code, 1, name);
    const found = l.issues.filter((i) => i.file === T && i.code === code);
    assert.ok(found.some((i) => i.line === line && i.column === column), `${name}: ${JSON.stringify(l.issues.filter((i) => i.file === T))}`);

    const p = await run(['parse', T, '--format', 'topology', '--json'], files);
    assertSane(p, [1], `${name} parse`);
    assert.ok((JSON.parse(p.out) as { issues: Place[] }).issues.some((i) => i.code === code && i.line === line && i.column === column), `${name} parse`);

    const t = await trace(files, name);
    assert.equal(t.code, 2, name);
    // the line trace names is one of lint's errors, at the same place
    assert.ok(l.issues.some((i) => i.severity === 'error' && i.file === T && i.line === t.place?.line && i.column === t.place.column && i.code === t.place.code),
      `${name}: trace named ${JSON.stringify(t.place)}`);
  });
}

/** Dumps pasted into the topology as block strings, each with a fault, under k8s-master-0. */
const INLINE = [
  '      iptables: |',
  '        *nat',
  '        :PREROUTING ACCEPT [0:0]',
  '        :KUBE-SERVICES - [0:0]',
  '        -A PREROUTING -m comment --comment "kubernetes service portals -j KUBE-SERVICES',
  '        COMMIT',
  '      routes: |',
  '        default via 10.240.0.1 dev eth0',
  '        10.244.2.0/33 dev cbr0',
  '',
].join('\n');

void test('faults inside pasted block strings are placed at their line and column in the topology, with LF and CRLF', async () => {
  const at = '      podCIDR: 10.244.2.0/24\n';
  const topo = edited(at, at + INLINE);
  const quote = lineOf(topo, '--comment "kubernetes service portals -j');
  const prefix = lineOf(topo, '10.244.2.0/33 dev cbr0');
  for (const text of [topo, topo.replace(/\n/g, '\r\n')]) {
    const l = await lint({ ...EX, [T]: text }, 'inline');
    const mine = l.issues.filter((i) => i.file === T && i.severity === 'error').map((i) => `${i.line}:${i.column} ${i.code}`);
    assert.deepEqual(mine, [`${quote}:44 iptables-unbalanced-quote`, `${prefix}:9 route-bad-prefix`]);
  }
});

void test('a multi-line YAML key (a pasted line that lost its indentation) is reported on one line', async () => {
  const at = '      podCIDR: 10.244.2.0/24\n';
  const topo = edited(at, `${at}      routes: |\n        default via 10.240.0.1 dev eth0\n\t10.244.2.0/24 dev cbr0\n`);
  const r = await run(['lint', T], { ...EX, [T]: topo });
  assertSane(r, [1], 'multi-line key');
  for (const line of r.out.trimEnd().split('\n')) assert.match(line, /^(?:[^:\s]+:\d+:\d+: (?:error|warning|info): .* \[[a-z0-9-]+\]|\d+ error\(s\), \d+ warning\(s\), \d+ info)$/, line);
});

void test('a {file: …} that escapes is never read, on any command', async () => {
  const text = edited('{file: k8s-agent-1/route-n.txt}', '{file: ../../etc/passwd}').replace('{file: k8s-agent-1/ifconfig.txt}', '{file: /etc/passwd}');
  for (const argv of [['lint', T], ['parse', T], ['trace', T, '--from', 'ubuntu', '--to', '10.0.0.10']]) {
    const r = await run(argv, { ...EX, [T]: text });
    const outside = r.reads.filter((p) => !p.startsWith(`${CWD}/`));
    assert.deepEqual(outside, [], argv[0]);
  }
});

void test('a topology in a sub-folder may not reach a sibling folder through ../', async () => {
  const files: Record<string, string> = {};
  for (const [p, t] of Object.entries(EX)) files[`demo/${p}`] = t;
  files['secret/key.txt'] = 'nameserver 10.0.0.10\n';
  files['demo/cluster.netsim.yaml'] = edited('{file: k8s-agent-1/route-n.txt}', '{file: ../secret/key.txt}');
  const r = await run(['lint', 'demo/cluster.netsim.yaml', '--json'], files);
  assertSane(r, [1], 'sibling');
  const issues = JSON.parse(r.out) as LintIssue[];
  assert.ok(issues.some((i) => i.code === 'topology-file-escapes'), JSON.stringify(issues.map((i) => i.code)));
  assert.ok(!r.reads.includes(`${CWD}/secret/key.txt`), r.reads.join(', '));
});

void test('CRLF in the topology and in every source file: lint means what it means with LF', async () => {
  const crlf: Record<string, string> = {};
  for (const [p, t] of Object.entries(EX)) crlf[p] = t.replace(/\r?\n/g, '\r\n');
  const show = (is: LintIssue[]): string[] => is.map((i) => `${i.file}:${i.line}:${i.column}-${i.endLine}:${i.endColumn} ${i.severity} ${i.code}`);
  const a = await lint(EX, 'LF');
  const b = await lint(crlf, 'CRLF');
  assert.deepEqual(show(b.issues), show(a.issues));
  const ta = await run(['trace', T, '--from', 'ubuntu', '--to', 'kube-dns.kube-system:53', '--proto', 'udp', '--json'], EX);
  const tb = await run(['trace', T, '--from', 'ubuntu', '--to', 'kube-dns.kube-system:53', '--proto', 'udp', '--json'], crlf);
  assert.equal(tb.code, 0);
  // the same walk, step by step, pointing at the same lines (the raw text differs only by the \r)
  assert.deepEqual(JSON.parse(tb.out.replace(/\\r/g, '')), JSON.parse(ta.out.replace(/\\r/g, '')));
});

void test('a topology cut anywhere: lint stays in bounds, trace runs or refuses with one placed line', async () => {
  const cuts = 30;
  for (let k = 1; k <= cuts; k++) {
    const at = Math.floor((TOPO.length * k) / (cuts + 1));
    const files = { ...EX, [T]: TOPO.slice(0, at) };
    await lint(files, `cut at ${at}`);
    await trace(files, `cut at ${at}`);
  }
});

void test('a topology of random bytes: lint stays in bounds, trace refuses with one placed line', async () => {
  for (let seed = 1; seed <= 8; seed++) {
    const files = { ...EX, [T]: junk(seed * 31, 3000).toString('utf8') };
    await lint(files, `junk ${seed}`);
    const t = await trace(files, `junk ${seed}`);
    assert.equal(t.code, 2);
  }
});

void test('lint and trace of a topology that does not exist: exit 2, the path named', async () => {
  const l = await run(['lint', 'nope.netsim.yaml'], {});
  assertSane(l, [2], 'lint');
  assert.match(l.err, /nope\.netsim\.yaml/);
  const t = await run(['trace', 'nope.netsim.yaml', '--from', 'a', '--to', 'b'], {});
  assertSane(t, [2], 'trace');
  assert.equal(t.err, 'kube-netsim trace: nope.netsim.yaml: no such file\n');
  assert.equal(l.err, 'kube-netsim lint: nope.netsim.yaml: no such file\n');
});

void test('lint with an unknown option (a typo of --json) is an unusable invocation, not readable output', async () => {
  for (const argv of [['lint', T, '--jsn'], ['lint', T, '--json', '--quiet'], ['lint'], ['lint', T, T]]) {
    const r = await run(argv, EX);
    assertSane(r, [2], argv.join(' '));
    assert.equal(r.out, '', argv.join(' '));
    assert.match(r.err, /^kube-netsim lint: /, argv.join(' '));
  }
});

void test('trace with an unknown option (a typo of --json) is an unusable invocation', async () => {
  const r = await run(['trace', T, '--from', 'ubuntu', '--to', '10.0.0.10', '--jsn'], EX);
  assertSane(r, [2], 'trace --jsn');
});

void test('every {file: …} source of random bytes: lint stays in bounds, trace runs or refuses with one placed line', async () => {
  const sources = ['k8s-agent-0/iptables-nat-L-n-v.txt', 'k8s-agent-0/route-n.txt', 'k8s-agent-0/ifconfig.txt', 'gateway-route-table.txt', 'ubuntu/ifconfig.txt'];
  for (let seed = 1; seed <= 6; seed++) {
    const files: Record<string, string> = { ...EX };
    for (const p of sources) {
      const bytes = junk(seed * 13 + p.length, 3000);
      if (seed % 2) for (let i = 30; i < bytes.length; i += 50) bytes[i] = 0x0a;
      files[p] = bytes.toString('utf8');
    }
    const l = await lint(files, `junk sources ${seed}`);
    assert.ok(l.issues.some((i) => sources.includes(i.file)), `seed ${seed}: nothing said about the junk`);
    await trace(files, `junk sources ${seed}`);
  }
});
