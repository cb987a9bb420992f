/** `kube-netsim parse` through cli(argv, io) with an in-memory file system: output, JSON shape, exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from '../../src/cli/cli';
import type { CliIO } from '../../src/cli/io';

/** A CliIO over a map of absolute paths to texts, collecting what is printed. */
function fakeIO(files: Record<string, string>, cwd = '/ws'): CliIO & { out: string; err: string; reads: string[] } {
  const io = {
    out: '', err: '', reads: [] as string[], cwd,
    readFile(path: string) {
      io.reads.push(path);
      return path in files ? { text: files[path] } : { error: 'no such file' };
    },
    writeFile() { return {}; },
    stdout(t: string) { io.out += t; },
    stderr(t: string) { io.err += t; },
  };
  return io;
}

const ROUTES = '$ ip route\ndefault via 10.240.0.1 dev eth0\n10.244.0.0/24 dev cbr0 proto kernel scope link src 10.244.0.1\n';
const BAD_ROUTES = 'default via 10.240.0.1 dev eth0\n10.0.0.0/33 dev eth0\n';

void test('parse: readable summary and every issue as file:line:col: severity: message [code]; exit 0', async () => {
  const io = fakeIO({ '/ws/node.ip-route.txt': ROUTES });
  assert.equal(await cli(['parse', 'node.ip-route.txt'], io), 0);
  assert.match(io.out, /^node\.ip-route\.txt: ip-route\n/);
  assert.match(io.out, /\n {2}routes: 2\n/);
  assert.match(io.out, /\nnode\.ip-route\.txt:1:1: info: .* \[pasted-prompt\]\n/);
  assert.equal(io.err, '');
});

void test('parse --json: format, summary, issues with code/severity/file/line/column/message', async () => {
  const io = fakeIO({ '/ws/bad.txt': BAD_ROUTES });
  assert.equal(await cli(['parse', 'bad.txt', '--json'], io), 1);
  const j = JSON.parse(io.out) as { format: string; summary: Record<string, unknown>; issues: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(j), ['format', 'summary', 'issues']);
  assert.equal(j.format, 'ip-route');
  assert.equal(j.summary.routes, 1);
  assert.deepEqual(j.issues, [{ code: 'route-bad-prefix', severity: 'error', file: 'bad.txt', line: 2, column: 1, message: j.issues[0].message }]);
  assert.equal(typeof j.issues[0].message, 'string');
});

void test('parse --format forces a format; --format=value works too', async () => {
  const io = fakeIO({ '/ws/r.txt': 'nameserver 10.0.0.10\n' });
  assert.equal(await cli(['parse', 'r.txt', '--format=resolv-conf', '--json'], io), 0);
  assert.equal(JSON.parse(io.out).format, 'resolv-conf');
  const io2 = fakeIO({ '/ws/r.txt': 'nameserver 10.0.0.10\n' });
  assert.equal(await cli(['parse', 'r.txt', '--format', 'kubectl', '--json'], io2), 0);
  assert.deepEqual(JSON.parse(io2.out).summary, { tables: [] });
});

const USAGE_ERRORS: [string, string[], Record<string, string>, RegExp][] = [
  ['missing file', ['parse', 'nope.txt'], {}, /nope\.txt: no such file/],
  ['unknown format', ['parse', 'r.txt', '--format', 'pcap'], { '/ws/r.txt': 'x' }, /unknown format 'pcap'/],
  ['no file given', ['parse'], {}, /expected exactly one FILE/],
  ['two files given', ['parse', 'a', 'b'], {}, /expected exactly one FILE/],
  ['--format without a value', ['parse', 'r.txt', '--format'], { '/ws/r.txt': 'x' }, /--format needs a value/],
  ['unknown option', ['parse', 'r.txt', '--frobnicate'], { '/ws/r.txt': 'x' }, /unknown option --frobnicate/],
  ['format not detectable', ['parse', 'prose.txt'], { '/ws/prose.txt': 'just some words\n' }, /prose\.txt:1:1: error: could not tell/],
];

for (const [name, argv, files, msg] of USAGE_ERRORS) {
  void test(`parse: exit 2 for ${name}`, async () => {
    const io = fakeIO(files);
    assert.equal(await cli(argv, io), 2);
    assert.match(io.err, msg);
    assert.equal(io.out, '');
  });
}

void test('parse: a topology\'s {file: …} sources are read relative to its folder, and their issues name that file', async () => {
  const topo = [
    'apiVersion: kube-netsim/v1', 'kind: Cluster', 'metadata:', '  name: t', 'spec:', '  nodes:', '    - name: n0', '      ip: 10.240.0.4',
    '      podCIDR: 10.244.0.0/24', '      routes: {file: n0/routes.txt}', '',
  ].join('\n');
  const io = fakeIO({ '/ws/demo/cluster.netsim.yaml': topo, '/ws/demo/n0/routes.txt': BAD_ROUTES });
  const code = await cli(['parse', 'demo/cluster.netsim.yaml', '--json'], io);
  assert.ok(io.reads.includes('/ws/demo/n0/routes.txt'), io.reads.join(','));
  const j = JSON.parse(io.out) as { format: string; summary: Record<string, unknown>; issues: { code: string; file: string; line: number }[] };
  assert.equal(j.format, 'topology');
  assert.equal(j.summary.nodes, 1);
  const bad = j.issues.find((i) => i.code === 'route-bad-prefix');
  assert.ok(bad, JSON.stringify(j.issues));
  assert.equal(bad.line, 2);
  assert.match(bad.file, /n0\/routes\.txt$/);
  assert.equal(code, 1);
});

void test('parse never crashes on hostile input: every byte soup exits 0, 1 or 2 with output', async () => {
  const soups = ['\u0000\u0001\u0002', '*nat\n-A\nCOMMIT', 'Chain (', ':\n:\n', '1: : <', 'NAME\n\n\n', 'options ndots:99999999999999999999', 'default via', '\r\r\r', 'TCP  1.2.3.4:99999 rr'];
  for (const s of soups) {
    const io = fakeIO({ '/ws/x.txt': s });
    const code = await cli(['parse', 'x.txt'], io);
    assert.ok([0, 1, 2].includes(code), `${JSON.stringify(s)} → ${code}`);
    assert.doesNotMatch(io.err, /internal error/);
  }
});
