/**
 * The real, bundled command (`node bin/kube-netsim.js`, after `npm run build`)
 * on the whole corpus and on bad files on disk: JSON shape per the CLI spec,
 * positions inside each file, readable and JSON output agreeing, exit codes,
 * no stack trace, no read outside the workspace, a closed pipe is no crash.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, ROOT, STACK_FRAME, assertInBounds, corpusFiles, junk, parseJson } from './harness';

interface Bin { code: number; out: string; err: string }

/** Runs the bundled CLI in `cwd` (default the repository root). */
function bin(args: string[], cwd = ROOT): Bin {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kube-netsim.js'), ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const res = { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  assert.doesNotMatch(res.out, STACK_FRAME, `${args.join(' ')}: stack trace in stdout`);
  assert.doesNotMatch(res.err, STACK_FRAME, `${args.join(' ')}: stack trace in stderr`);
  assert.doesNotMatch(res.err, /internal error/, `${args.join(' ')}: ${res.err.slice(0, 300)}`);
  return res;
}

let tmp = '';

before(() => {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  tmp = mkdtempSync(join(tmpdir(), 'netsim-bad-'));
});

void test('every corpus dump: parse and parse --json agree, positions in bounds, exit 0 or 1', () => {
  const files = corpusFiles();
  assert.ok(files.length >= 70, `${files.length} corpus files`);
  for (const rel of files) {
    const path = join(CORPUS, rel);
    const text = readFileSync(path, 'utf8');
    const j = bin(['parse', path, '--json']);
    assert.ok(j.code === 0 || j.code === 1, `${rel}: exit ${j.code} ${j.err}`);
    const parsed = parseJson(j.out, rel);
    assert.notEqual(parsed.format, 'unknown', rel);
    for (const i of parsed.issues) {
      assert.equal(i.file, path, `${rel}: ${i.code} names ${i.file}`);
      assertInBounds(i, text, rel);
    }
    assert.equal(j.code, parsed.issues.some((i) => i.severity === 'error') ? 1 : 0, `${rel}: exit code vs error issues`);
    const r = bin(['parse', path]);
    assert.equal(r.code, j.code, rel);
    assert.ok(r.out.startsWith(`${path}: ${parsed.format}\n`), `${rel}: ${r.out.slice(0, 120)}`);
    const placed = r.out.split('\n').filter((l) => l.startsWith(`${path}:`) && /: (?:error|warning|info): .* \[[a-z0-9-]+\]$/.test(l));
    assert.deepEqual(placed.map((l) => /\[([a-z0-9-]+)\]$/.exec(l)![1]), parsed.issues.map((i) => i.code), rel);
  }
});

void test('the corpus side files that are not command output (JSON): exit 2, one placed line', () => {
  const json = ['iptables-kube-proxy/k8s-TestTracePacket.flows.json', 'routing/calico-ipip-cms-daq-workshop-node-0.route-lookups.json'];
  for (const rel of json) {
    const path = join(CORPUS, rel);
    const r = bin(['parse', path]);
    assert.equal(r.code, 2, rel);
    assert.equal(r.out, '');
    assert.match(r.err, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:1: error: `));
  }
});

void test('bundled example: lint exit 0, several traces exit 0 with spec-shaped JSON', () => {
  const topo = 'examples/azure-kubenet/cluster.netsim.yaml';
  const l = bin(['lint', topo, '--json']);
  assert.equal(l.code, 0, l.err);
  for (const i of JSON.parse(l.out) as { severity: string }[]) assert.notEqual(i.severity, 'error');
  const queries: string[][] = [
    ['--from', 'ubuntu', '--to', '10.0.0.10:53', '--proto', 'udp'],
    ['--from', 'default/ubuntu', '--to', 'kube-dns.kube-system.svc.cluster.local', '--port', '53', '--proto', 'tcp'],
    ['--from', 'k8s-agent-1', '--to', '10.0.0.1:443'],
    ['--from', '10.244.1.2', '--to', '10.244.0.6', '--proto', 'icmp'],
    ['--from', 'ubuntu', '--to', 'no-such-name'],
  ];
  for (const q of queries) {
    const r = bin(['trace', topo, ...q, '--json']);
    assert.equal(r.code, 0, `${q.join(' ')}: ${r.err}`);
    const j = JSON.parse(r.out) as { version: number; query: object; source: object; dns: unknown; outcomes: { probability: number }[] };
    assert.equal(j.version, 1);
    for (const k of ['query', 'source', 'dns', 'outcomes']) assert.ok(k in j, `${q.join(' ')}: ${k}`);
    if (j.outcomes.length) assert.ok(Math.abs(j.outcomes.reduce((s, o) => s + o.probability, 0) - 1) < 1e-9);
    const text = bin(['trace', topo, ...q]);
    assert.equal(text.code, 0);
    assert.ok(text.out.length > 0);
  }
  const bad = bin(['trace', topo, '--from', 'nobody', '--to', '10.0.0.10']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^kube-netsim trace: --from: unknown source 'nobody'[^\n]*\n$/);
});

void test('on disk: {file: ../../etc/passwd} and {file: /etc/passwd} are refused and never printed', () => {
  const ws = join(tmp, 'escape');
  cpSync(join(ROOT, 'examples', 'azure-kubenet'), ws, { recursive: true });
  const topo = readFileSync(join(ws, 'cluster.netsim.yaml'), 'utf8')
    .replace('{file: k8s-agent-1/route-n.txt}', '{file: ../../../../../../etc/passwd}')
    .replace('{file: k8s-agent-1/ifconfig.txt}', '{file: /etc/passwd}');
  writeFileSync(join(ws, 'cluster.netsim.yaml'), topo);
  const l = bin(['lint', 'cluster.netsim.yaml', '--json'], ws);
  assert.equal(l.code, 1);
  const issues = JSON.parse(l.out) as { code: string; file: string }[];
  assert.equal(issues.filter((i) => i.code === 'topology-file-escapes').length, 2);
  for (const r of [l, bin(['parse', 'cluster.netsim.yaml'], ws), bin(['trace', 'cluster.netsim.yaml', '--from', 'ubuntu', '--to', '10.0.0.10'], ws)]) {
    assert.doesNotMatch(r.out + r.err, /root:x?:0:0|\/bin\/(?:ba)?sh\b/);
  }
});

void test('on disk: a file of random bytes with NULs, a directory, a missing file', () => {
  const p = join(tmp, 'junk.bin');
  writeFileSync(p, junk(4242, 8192));
  for (const f of ['auto', 'iptables-save', 'ip-route', 'ifconfig', 'topology']) {
    const r = bin(['parse', p, '--format', f, '--json']);
    assert.ok([0, 1, 2].includes(r.code), `${f}: ${r.code}`);
    if (r.code !== 2) for (const i of parseJson(r.out, f).issues) assertInBounds(i, readFileSync(p, 'utf8'), f);
  }
  const lint = bin(['lint', p]);
  assert.equal(lint.code, 1);
  const trace = bin(['trace', p, '--from', 'a', '--to', 'b']);
  assert.equal(trace.code, 2);
  assert.equal(trace.err.split('\n').filter(Boolean).length, 1, trace.err);
  assert.equal(bin(['parse', tmp]).code, 2);
  assert.equal(bin(['lint', join(tmp, 'nope.yaml')]).code, 2);
});

void test('on disk: a CRLF dump gives the JSON of its LF twin', () => {
  const lf = readFileSync(join(ROOT, 'examples', 'azure-kubenet', 'k8s-agent-0', 'iptables-nat-L-n-v.txt'), 'utf8');
  writeFileSync(join(tmp, 'lf.txt'), lf);
  writeFileSync(join(tmp, 'crlf.txt'), lf.replace(/\n/g, '\r\n'));
  const a = bin(['parse', 'lf.txt', '--json'], tmp);
  const b = bin(['parse', 'crlf.txt', '--json'], tmp);
  assert.equal(b.code, a.code);
  assert.equal(b.out.replaceAll('crlf.txt', 'lf.txt'), a.out);
});

void test('on disk: Windows encodings (UTF-8 with BOM, UTF-16 LE and BE, all CRLF) read like the plain file, for every dump format', () => {
  const samples = [
    'iptables-kube-proxy/k8s-TestOverallIPTablesRules.iptables-save.txt', 'iptables-other/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.iptables-S-t-nat.txt',
    'iptables-other/flannel-docker-kubeadm-2019.iptables-t-nat-L-n-v.txt', 'routing/calico-ipip-cms-daq-workshop-node-0.route-n.txt',
    'routing/calico-bird-node-multipass.ip-route.txt', 'routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.ip-rule.txt', 'routing/aws-vpc-cni-standard-node.ip-a.txt',
    'routing/docker-desktop-linuxkit-k8s-node.ifconfig.txt', 'dns/k8s-website-gke-style-ClusterFirst.resolv.conf.txt',
    'kubectl/cms-daq-workshop-nginx.kubectl-get-pods-o-wide.txt', 'ipvs/k8s-ipvs-README-check-rules.ipvsadm-ln.txt',
  ];
  const dir = join(tmp, 'windows');
  cpSync(join(ROOT, 'examples', 'azure-kubenet'), dir, { recursive: true });
  for (const rel of samples) {
    const text = readFileSync(join(CORPUS, rel), 'utf8');
    const crlf = text.replace(/\r?\n/g, '\r\n');
    const be = Buffer.from(crlf, 'utf16le');
    be.swap16();
    const variants: [string, Buffer][] = [
      ['plain', Buffer.from(text)],
      ['bom8', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)])],
      ['u16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf, 'utf16le')])],
      ['u16be', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
    ];
    const outs = variants.map(([name, bytes]) => {
      writeFileSync(join(dir, name), bytes);
      const r = bin(['parse', name, '--json'], dir);
      return { code: r.code, out: r.out.replaceAll(`"${name}"`, '"F"') };
    });
    for (let k = 1; k < outs.length; k++) assert.deepEqual(outs[k], outs[0], `${rel} as ${variants[k][0]}`);
  }
  // a topology saved by Notepad, and its sources too
  for (const name of ['cluster.netsim.yaml', 'k8s-agent-0/route-n.txt', 'k8s-agent-0/iptables-nat-L-n-v.txt']) {
    const t = readFileSync(join(dir, name), 'utf8');
    writeFileSync(join(dir, name), '\ufeff' + t.replace(/\r?\n/g, '\r\n'));
  }
  const lint = bin(['lint', 'cluster.netsim.yaml', '--json'], dir);
  const plain = bin(['lint', 'examples/azure-kubenet/cluster.netsim.yaml', '--json']);
  assert.equal(lint.code, plain.code);
  const codes = (o: string) => (JSON.parse(o) as { code: string; line: number; column: number }[]).map((i) => `${i.line}:${i.column} ${i.code}`);
  assert.deepEqual(codes(lint.out), codes(plain.out));
});

void test('a reader that closes the pipe early (| head) ends the command quietly', () => {
  // far more than a pipe buffer holds, so the writer is still writing when head exits
  const queries = join(tmp, 'many.jsonl');
  writeFileSync(queries, '{"from": "ubuntu", "to": "10.0.0.10", "protocol": "udp", "port": 53}\n'.repeat(400));
  const node = `"${process.execPath}" bin/kube-netsim.js`;
  const r = spawnSync('sh', ['-c', `${node} trace examples/azure-kubenet/cluster.netsim.yaml --batch "${queries}" | head -n 1 >/dev/null; ${node} trace examples/azure-kubenet/cluster.netsim.yaml --batch "${queries}" --json | head -c 10 >/dev/null`], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(r.stderr, '');
});
