/**
 * `kube-netsim parse` on bad input, format by format: empty files, byte soup,
 * CRLF, tabs, truncated lines. Whatever the input, the exit code is one the
 * spec allows, nothing leaks a stack trace, and every issue points inside the
 * file; CRLF text means exactly what the LF text means.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMAT_NAMES } from '../../src/core/parse/text/detect';
import { ROOT, assertInBounds, assertSane, corpus, junk, parseJson, run, type ParseJson } from './harness';

const EX = (p: string): string => readFileSync(join(ROOT, 'examples', 'azure-kubenet', p), 'utf8');

/** One real input per format, the format `--format auto` must find for it. */
const SAMPLES: [string, () => string][] = [
  ['iptables-save', () => corpus('iptables-kube-proxy/k8s-TestOverallIPTablesRules.iptables-save.txt')],
  ['iptables-list', () => EX('k8s-agent-0/iptables-nat-L-n-v.txt')],
  ['iptables-S', () => corpus('iptables-other/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.iptables-S-t-nat.txt')],
  ['route-n', () => EX('k8s-agent-0/route-n.txt')],
  ['ip-route', () => corpus('routing/calico-bird-node-multipass.ip-route.txt')],
  ['azure-route-table', () => EX('gateway-route-table.txt')],
  ['ip-rule', () => corpus('routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.ip-rule.txt')],
  ['ip-addr', () => corpus('routing/aws-vpc-cni-standard-node.ip-a.txt')],
  ['ifconfig', () => EX('k8s-agent-0/ifconfig.txt')],
  ['resolv-conf', () => corpus('dns/k8s-website-gke-style-ClusterFirst.resolv.conf.txt')],
  ['kubectl', () => corpus('kubectl/cms-daq-workshop-nginx.kubectl-get-pods-o-wide.txt')],
  ['ipvsadm', () => corpus('ipvs/k8s-ipvs-README-check-rules.ipvsadm-ln.txt')],
  ['ipset', () => corpus('ipvs/tkng-kind-ipvs-k8s-guide-worker.ipset-list-KUBE-CLUSTER-IP-and-KUBE-LOOP-BACK.txt')],
  ['nft-ruleset', () => corpus('nftables-kube-proxy/k8s-nft-baseRules.nft.txt')],
  ['corefile', () => corpus('dns/k8s-website-coredns-federation-stubdomains.Corefile')],
  ['topology', () => EX('cluster.netsim.yaml')],
  ['kubernetes', () => corpus('kubectl/k8s-website-endpointslice-example-v1beta1.yaml')],
  ['ip-link', () => readFileSync(join(ROOT, 'test', 'fixtures', 'links', 'ip-d-link.txt'), 'utf8')],
  ['ip-neigh', () => readFileSync(join(ROOT, 'test', 'fixtures', 'links', 'ip-neigh.txt'), 'utf8')],
  ['bridge-fdb', () => readFileSync(join(ROOT, 'test', 'fixtures', 'links', 'bridge-fdb.txt'), 'utf8')],
];

/** The example's source files, so a topology sample resolves its `{file: …}` references. */
function withSources(name: string, text: string): Record<string, string> {
  const files: Record<string, string> = { [name]: text };
  for (const p of ['gateway-route-table.txt', 'k8s-agent-0/ifconfig.txt', 'k8s-agent-0/route-n.txt', 'k8s-agent-0/iptables-nat-L-n-v.txt',
    'k8s-agent-1/ifconfig.txt', 'k8s-agent-1/route-n.txt', 'k8s-agent-1/iptables-nat-L-n-v.txt', 'ubuntu/ifconfig.txt']) files[p] = EX(p);
  return files;
}

/** `parse --json` of a text under a format; checks the invariants and the JSON shape on the way. */
async function parsed(text: string, format: string, label: string): Promise<{ code: number; j: ParseJson }> {
  const r = await run(['parse', 'in.txt', '--format', format, '--json'], withSources('in.txt', text));
  assertSane(r, [0, 1], label);
  const j = parseJson(r.out, label);
  for (const i of j.issues) if (i.file === 'in.txt') assertInBounds(i, text, label);
  return { code: r.code, j };
}

/** The parts of a parse that must not depend on line endings or layout. */
function meaning(j: ParseJson): unknown {
  return { format: j.format, summary: j.summary, issues: j.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.severity} ${i.code}`) };
}

void test('every format has a real sample here, and auto-detection names it', async () => {
  assert.deepEqual(SAMPLES.map(([f]) => f).sort(), [...FORMAT_NAMES].sort());
  for (const [format, text] of SAMPLES) {
    const r = await run(['parse', 'in.txt', '--json'], withSources('in.txt', text()));
    assertSane(r, [0, 1], format);
    assert.equal(parseJson(r.out, format).format, format === 'topology' ? 'topology' : format);
  }
});

for (const [format, sample] of SAMPLES) {
  void test(`parse --format ${format}: CRLF line endings mean what LF means (counts, codes, lines, columns)`, async () => {
    const lf = sample().replace(/\r\n/g, '\n');
    const a = await parsed(lf, format, `${format} LF`);
    const b = await parsed(lf.replace(/\n/g, '\r\n'), format, `${format} CRLF`);
    assert.deepEqual(meaning(b.j), meaning(a.j));
    assert.equal(b.code, a.code);
  });

  void test(`parse --format ${format}: empty file and blank lines only`, async () => {
    for (const text of ['', '\n', '\r\n\r\n', '   \n\t\n']) {
      const { j } = await parsed(text, format, `${format} ${JSON.stringify(text)}`);
      assert.equal(j.format, format);
    }
  });

  void test(`parse --format ${format}: random bytes with NULs never crash and stay in bounds`, async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const bytes = junk(seed * 7919, 2000 + seed * 300);
      // every other soup gets real line breaks, so line-based parsers see many short lines
      if (seed % 2 === 0) for (let i = 37; i < bytes.length; i += 41) bytes[i] = 0x0a;
      const text = bytes.toString('utf8');
      await parsed(text, format, `${format} junk seed ${seed}`);
    }
  });

  void test(`parse --format ${format}: odd whitespace (\\v, \\f, NBSP, BOM, U+2028, NUL) between and around words`, async () => {
    const text = sample();
    for (const odd of ['\v', '\f', '\u00a0', '\ufeff', '\u2028', '\u0000']) {
      await parsed(odd + text.replace(/ {2}/g, ` ${odd}`), format, `${format} ${JSON.stringify(odd)}`);
    }
  });

  void test(`parse --format ${format}: a file cut anywhere keeps every issue inside what is left`, async () => {
    const text = sample();
    const cuts = 24;
    for (let k = 1; k <= cuts; k++) {
      const at = Math.floor((text.length * k) / (cuts + 1));
      await parsed(text.slice(0, at), format, `${format} cut at ${at}`);
    }
  });
}

/** Formats whose fields are separated by blanks: a tab where the dump had spaces must read the same. */
const BLANK_SEPARATED = ['iptables-save', 'iptables-S', 'route-n', 'ip-route', 'ip-rule', 'ip-addr', 'resolv-conf', 'ipvsadm'];

for (const format of BLANK_SEPARATED) {
  void test(`parse --format ${format}: tabs between fields read like spaces`, async () => {
    const text = (SAMPLES.find(([f]) => f === format)?.[1] ?? (() => ''))();
    // only runs of spaces between two fields, outside quotes: indentation and comments stay as they are
    const tabbed = text.split('\n').map((l) => (l.includes('"') ? l : l.replace(/(\S) +(?=\S)/g, '$1\t'))).join('\n');
    assert.notEqual(tabbed, text);
    const a = await parsed(text, format, `${format} spaces`);
    const b = await parsed(tabbed, format, `${format} tabs`);
    assert.deepEqual(b.j.summary, a.j.summary);
    assert.deepEqual(b.j.issues.map((i) => `${i.line} ${i.code}`), a.j.issues.map((i) => `${i.line} ${i.code}`));
  });
}

void test('parse: a last line cut short without its newline keeps every complete line', async () => {
  const cases: [string, string, string, number][] = [
    // format, full text, the summary key that counts complete entries, how many the cut leaves whole
    ['ip-route', 'default via 10.240.0.1 dev eth0\n10.244.0.0/24 dev cbr0 proto kernel scope link src 10.244.0.1\n10.244.1.0/24 via 10.24', 'routes', 2],
    ['route-n', `${EX('k8s-agent-0/route-n.txt').trimEnd()}\n10.244.1.0      10.240.0.5      255.255.2`, 'routes', 4],
    ['ip-rule', '0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all look', 'rules', 2],
  ];
  for (const [format, text, key, whole] of cases) {
    const { j } = await parsed(text, format, `${format} truncated`);
    assert.ok(Number(j.summary[key]) >= whole, `${format}: ${JSON.stringify(j.summary)}`);
    const last = text.split('\n').length;
    assert.ok(j.issues.some((i) => i.line === last && i.severity !== 'info'), `${format}: no issue on the cut line ${last}: ${JSON.stringify(j.issues)}`);
  }
});

void test('parse --format auto: an empty or blank file is undetectable: exit 2, file:1:1 on stderr, no stdout', async () => {
  for (const text of ['', '\n\n', '\r\n']) {
    const r = await run(['parse', 'empty.txt'], { 'empty.txt': text });
    assertSane(r, [2], JSON.stringify(text));
    assert.match(r.err, /^empty\.txt:1:1: error: /);
    assert.equal(r.out, '');
  }
});

void test('parse --format auto: byte soup is either undetectable (exit 2) or parsed with issues in bounds', async () => {
  for (let seed = 1; seed <= 12; seed++) {
    const text = junk(seed, 4096).toString('utf8');
    const r = await run(['parse', 'junk.bin', '--json'], { 'junk.bin': text });
    assertSane(r, [0, 1, 2], `seed ${seed}`);
    if (r.code === 2) assert.match(r.err, /^junk\.bin:1:1: /);
    else for (const i of parseJson(r.out, `seed ${seed}`).issues) assertInBounds(i, text, `seed ${seed}`);
  }
});

void test('parse --format auto: CRLF is detected as the same format as LF for every sample', async () => {
  for (const [format, sample] of SAMPLES) {
    const crlf = sample().replace(/\r?\n/g, '\r\n');
    const r = await run(['parse', 'in.txt', '--json'], withSources('in.txt', crlf));
    assertSane(r, [0, 1], format);
    assert.equal(parseJson(r.out, format).format, format);
  }
});

void test('parse: readable output of a bad file names file:line:col for every issue', async () => {
  const text = 'default via 10.240.0.1 dev eth0\r\n10.0.0.0/33 dev eth0\r\n';
  const r = await run(['parse', 'r.txt'], { 'r.txt': text });
  assertSane(r, [1], 'readable');
  assert.match(r.out, /^r\.txt:2:1: error: .* \[route-bad-prefix\]$/m);
  assert.doesNotMatch(r.out, /\r/);
});
