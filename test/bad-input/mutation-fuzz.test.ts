/**
 * Real dumps damaged the way hand edits and bad pastes damage them (a word
 * dropped, swapped, duplicated or replaced by a stray token, a line cut short
 * or repeated), with a fixed seed so any failure replays. Every result keeps
 * the invariants: a spec exit code, no crash, issues inside the text, one-line
 * messages, kebab-case codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, ROOT, STACK_FRAME, assertInBounds, assertSane, example, parseJson, run } from './harness';

const EX = join(ROOT, 'examples', 'azure-kubenet');

/** [format, file]: the dumps to damage. iptables-list is left to the todo below: its damage can exhaust memory. */
const SAMPLES: [string, string][] = [
  ['iptables-save', join(CORPUS, 'iptables-kube-proxy/k8s-TestOverallIPTablesRules.iptables-save.txt')],
  ['iptables-S', join(CORPUS, 'iptables-other/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.iptables-S-t-nat.txt')],
  ['route-n', join(EX, 'k8s-agent-0/route-n.txt')],
  ['ip-route', join(CORPUS, 'routing/calico-bird-node-multipass.ip-route.txt')],
  ['ip-route', join(CORPUS, 'routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.ip-route-show-table-101.txt')],
  ['azure-route-table', join(EX, 'gateway-route-table.txt')],
  ['ip-rule', join(CORPUS, 'routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.ip-rule.txt')],
  ['ip-addr', join(CORPUS, 'routing/aws-vpc-cni-standard-node.ip-a.txt')],
  ['ifconfig', join(EX, 'k8s-agent-0/ifconfig.txt')],
  ['ifconfig', join(CORPUS, 'routing/docker-desktop-linuxkit-k8s-node.ifconfig.txt')],
  ['resolv-conf', join(CORPUS, 'dns/k8s-website-gke-style-ClusterFirst.resolv.conf.txt')],
  ['kubectl', join(CORPUS, 'kubectl/cms-daq-workshop-nginx.kubectl-get-pods-o-wide.txt')],
  ['ipvsadm', join(CORPUS, 'ipvs/k8s-ipvs-README-check-rules.ipvsadm-ln.txt')],
  ['corefile', join(CORPUS, 'dns/k8s-website-coredns-federation-stubdomains.Corefile')],
  ['corefile', join(CORPUS, 'dns/tkng-kind-coredns.configmap-Corefile.yaml')],
  ['topology', join(EX, 'cluster.netsim.yaml')],
];

/** Stray tokens of the formats read here, and of none. */
const TOKENS = ['', '"', "'", '/*', '*/', '[', ']', '{', '}', '-j', '-m', '--comment', '!', ':', '/', '0', '99999999999999999999', '-1', '1.2.3', '256.1.1.1', '::',
  'fe80::1/64', '\t', '\\', '#', '$ ', 'Chain', '*nat', 'COMMIT', 'via', 'dev', 'default', 'nexthop', 'inet', 'mtu', 'NaN', '%', '\u0000', '0x10', '-A', '-N', '-P',
  'table', 'ndots:', 'options', 'search', 'nameserver', '|', '---', 'policy', 'NODEnameserver', 'ctstate'];

/** A xorshift generator: the same seed damages the same way on every run. */
function generator(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

/** One to four damages to random lines of `text`. */
function damage(text: string, rnd: (n: number) => number): string {
  const lines = text.split('\n');
  for (let k = 1 + rnd(4); k > 0; k--) {
    const i = rnd(lines.length);
    const ws = lines[i].split(/( +)/);
    const j = rnd(ws.length);
    switch (rnd(8)) {
      case 0: lines.splice(i, 1); break;
      case 1: lines.splice(i, 0, lines[rnd(lines.length)]); break;
      case 2: ws[j] = TOKENS[rnd(TOKENS.length)]; lines[i] = ws.join(''); break;
      case 3: ws.splice(j, 1); lines[i] = ws.join(''); break;
      case 4: lines[i] = lines[i].slice(0, rnd(lines[i].length + 1)); break;
      case 5: ws.splice(j, 0, `${TOKENS[rnd(TOKENS.length)]} `); lines[i] = ws.join(''); break;
      case 6: { const b = rnd(ws.length); [ws[j], ws[b]] = [ws[b], ws[j]]; lines[i] = ws.join(''); break; }
      default: lines[i] += TOKENS[rnd(TOKENS.length)];
    }
  }
  return lines.join('\n');
}

const ROUNDS = 150;

for (const [format, path] of SAMPLES) {
  void test(`parse --format ${format} of ${ROUNDS} damaged copies of ${path.split('/').pop()}`, async () => {
    const base = readFileSync(path, 'utf8');
    // Seeded by the file's name, not its path, so a failure replays in any checkout.
    const name = path.split('/').pop() ?? path;
    const rnd = generator([...name].reduce((h, ch) => Math.imul(h, 31) + ch.charCodeAt(0), 17));
    for (let n = 0; n < ROUNDS; n++) {
      const text = damage(base, rnd);
      const label = `${format} round ${n}`;
      const r = await run(['parse', 'in.txt', '--format', format, '--json'], { 'in.txt': text });
      assertSane(r, [0, 1], label);
      for (const i of parseJson(r.out, label).issues) if (i.file === 'in.txt') assertInBounds(i, text, label);
    }
  });
}

// Found by damaging docker's `iptables -nvL --line-numbers` listing: a ct* word with no value after it.
const CT_WITHOUT_VALUE = [
  'Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)',
  'num   pkts bytes target     prot opt in     out     source               destination         ',
  '2        0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            match-set docker-ext-bridges-v4 dst ctstate ',
  '',
].join('\n');

void test('iptables -L: a row ending in "ctstate" with no value is read with an issue, not a crash', () => {
  assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT }).status, 0);
  const dir = mkdtempSync(join(tmpdir(), 'netsim-ct-'));
  const cases = [CT_WITHOUT_VALUE, CT_WITHOUT_VALUE.replace('match-set docker-ext-bridges-v4 dst ', '')];
  cases.forEach((text, k) => writeFileSync(join(dir, `ct${k}.txt`), text));
  for (let k = 0; k < cases.length; k++) {
    // a child with little memory and a deadline, so the runner survives the bug
    const r = spawnSync(process.execPath, ['--max-old-space-size=128', join(ROOT, 'bin', 'kube-netsim.js'), 'parse', `ct${k}.txt`, '--format', 'iptables-list', '--json'],
      { cwd: dir, encoding: 'utf8', timeout: 20000 });
    assert.ok(r.status === 0 || r.status === 1, `case ${k}: exit ${r.status} ${r.signal ?? ''} ${r.stderr.slice(0, 200)}`);
    assert.doesNotMatch(r.stderr, STACK_FRAME);
    assert.doesNotMatch(r.stderr, /internal error/);
  }
});

void test('damage found before, now read at once: a kubectl header word glued to lower case, a Corefile with \\v and \\f', () => {
  assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT }).status, 0);
  const dir = mkdtempSync(join(tmpdir(), 'netsim-found-'));
  const files: [string, string, string][] = [
    // a run of capitals then lower case once made the header pattern backtrack for minutes
    ['kubectl', 'k.txt', 'NAME                                READY   STATUS    RESTARTS   AGE   IP               NODE                                   NOMINATED NODEnameserverREADINESS GATES\n'],
    // \v and \f once started an empty word forever
    ['corefile', 'c.txt', '.:53 {\n\verrors\f\n    forward . /etc/resolv.conf\n}\n'],
  ];
  for (const [format, name, text] of files) {
    writeFileSync(join(dir, name), text);
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', join(ROOT, 'bin', 'kube-netsim.js'), 'parse', name, '--format', format, '--json'], { cwd: dir, encoding: 'utf8', timeout: 20000 });
    assert.ok(r.status === 0 || r.status === 1, `${format}: exit ${r.status} ${r.signal ?? ''}`);
    for (const i of parseJson(r.stdout, format).issues) assertInBounds(i, text, format);
  }
});

void test('lint and trace of the example with one of its files damaged, 60 times: spec exits, placed issues, outcomes that sum to 1', async () => {
  const ex = example();
  const paths = Object.keys(ex).filter((p) => !p.endsWith('.md'));
  const rnd = generator(20261127);
  const queries = [
    ['--from', 'ubuntu', '--to', 'kube-dns.kube-system:53', '--proto', 'udp'],
    ['--from', 'kube-system/kube-dns-v20-3003781527-njvzk', '--to', '10.244.0.6'],
  ];
  for (let n = 0; n < 60; n++) {
    const path = paths[rnd(paths.length)];
    const files = { ...ex, [path]: damage(ex[path], rnd) };
    const label = `round ${n}: ${path}`;
    const l = await run(['lint', 'cluster.netsim.yaml', '--json'], files);
    assertSane(l, [0, 1], label);
    for (const i of JSON.parse(l.out) as { file: string; line: number; column: number; endLine: number; endColumn: number; code: string; message: string }[]) {
      assert.ok(i.file in files, `${label}: ${i.file}`);
      assertInBounds(i, files[i.file], label);
      assert.doesNotMatch(i.message, /[\r\n]/, label);
    }
    for (const q of queries) {
      const r = await run(['trace', 'cluster.netsim.yaml', ...q, '--json'], files);
      assertSane(r, [0, 2], `${label} ${q.join(' ')}`);
      if (r.code === 2) {
        assert.match(r.err, /^[^:\n]+:\d+:\d+: [^\n]+\n$/, label);
        continue;
      }
      const j = JSON.parse(r.out) as { outcomes: { probability: number }[] };
      if (j.outcomes.length) assert.ok(Math.abs(j.outcomes.reduce((a, o) => a + o.probability, 0) - 1) < 1e-9, label);
    }
  }
});
