/**
 * `kube-netsim trace` with bad queries on the bundled example: an unknown
 * source, malformed ports, an unknown protocol, a name that does not resolve,
 * and `--batch` files with bad lines among good ones. A bad query on the
 * command line is exit 2 with one line on stderr; in a batch it is that line's
 * `error`, and every other line still gets its result, in order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSane, example, junk, run } from './harness';

const EX = example();
const T = 'cluster.netsim.yaml';

interface Result {
  version: number;
  query: { from: string; to: string; protocol: string; port?: number };
  source: { ip: string };
  dns: null | { nameserver: string; queries: { name: string; type: string; answer: unknown }[]; resolved: string[]; error?: string };
  outcomes: { probability: number; disposition: string }[];
  error?: string;
}

/** One stderr line naming the option at fault (`kube-netsim trace: --to: …`), nothing on stdout, exit 2. */
async function refused(args: string[], label: string): Promise<string> {
  const r = await run(['trace', T, ...args], EX);
  assertSane(r, [2], label);
  assert.equal(r.out, '', label);
  assert.match(r.err, /^kube-netsim trace: --(?:from|to|port|proto): [^\n]+\n$/, label);
  return r.err;
}

const REFUSED: [string, string[], RegExp][] = [
  ['an unknown source pod', ['--from', 'no-such-pod', '--to', '10.0.0.10:53'], /no-such-pod/],
  ['an unknown namespace/pod', ['--from', 'kube-system/ubuntu', '--to', '10.0.0.10'], /kube-system\/ubuntu/],
  ['a source address nobody owns', ['--from', '10.9.9.9', '--to', '10.0.0.10'], /10\.9\.9\.9/],
  ['port 99999 in the destination', ['--from', 'ubuntu', '--to', '10.0.0.10:99999'], /99999/],
  ['port abc in the destination', ['--from', 'ubuntu', '--to', '10.0.0.10:abc'], /abc/],
  ['an empty port in the destination', ['--from', 'ubuntu', '--to', '10.0.0.10:'], /port/],
  ['--port 99999', ['--from', 'ubuntu', '--to', '10.0.0.10', '--port', '99999'], /99999/],
  ['--port 0', ['--from', 'ubuntu', '--to', '10.0.0.10', '--port', '0'], /port/],
  ['--port -1', ['--from', 'ubuntu', '--to', '10.0.0.10', '--port=-1'], /port/],
  ['--port abc', ['--from', 'ubuntu', '--to', '10.0.0.10', '--port', 'abc'], /abc/],
  ['--proto sctp', ['--from', 'ubuntu', '--to', '10.0.0.10', '--proto', 'sctp'], /sctp/],
  ['--proto with nothing after =', ['--from', 'ubuntu', '--to', '10.0.0.10', '--proto='], /protocol/],
];

for (const [name, args, names] of REFUSED) {
  void test(`trace with ${name}: exit 2, one placed line naming it`, async () => {
    assert.match(await refused(args, name), names);
  });
}

void test('trace to an empty host name (":53") is refused, not looked up as ".default.svc.cluster.local."', async () => {
  await refused(['--from', 'ubuntu', '--to', ':53'], 'empty host');
});

/** Destinations that are neither an IPv4 address nor a DNS name, each with what it was taken for. */
const NOT_A_DESTINATION: [string, string][] = [
  ['fd00::1', 'split at its last colon: name "fd00:", port 1, sent through the DNS search list'],
  ['[fd00::1]:53', 'looked up as the DNS name "[fd00::1]"'],
  ['10.0.0.10:53:53', 'looked up as the DNS name "10.0.0.10:53"'],
];

for (const [to, taken] of NOT_A_DESTINATION) {
  void test(`trace to ${to.length > 30 ? `${to.slice(0, 20)}…` : to} is refused with one placed line (was ${taken})`, async () => {
    await refused(['--from', 'ubuntu', '--to', to], to);
  });
}

void test('trace to a name with a 64-character label is refused before any DNS query (a resolver refuses to encode it)', async () => {
  const name = `${'a'.repeat(64)}.default`;
  const err = await refused(['--from', 'ubuntu', '--to', name, '--json'], 'long label');
  assert.ok(err.includes(name), err);
  assert.match(err, /1-63/);
  // In a batch the same query is that line's error, with no DNS section and no outcome.
  const [r] = await batch(JSON.stringify({ from: 'ubuntu', to: name, protocol: 'udp', port: 53 }), 'long label in a batch');
  assert.ok(r.error?.includes(name), JSON.stringify(r));
  assert.equal(r.dns ?? null, null, JSON.stringify(r.dns));
  assert.deepEqual(r.outcomes, []);
});

void test('trace to a name that does not resolve: exit 0, no outcome, every cluster-domain query answered NXDOMAIN, and the readable text says so', async () => {
  const r = await run(['trace', T, '--from', 'ubuntu', '--to', 'no-such-svc.default', '--proto', 'udp', '--port', '53', '--json'], EX);
  assertSane(r, [0], 'nxdomain');
  const j = JSON.parse(r.out) as Result;
  assert.deepEqual(j.outcomes, []);
  assert.ok(j.dns, 'a name gives a dns section');
  assert.deepEqual(j.dns.resolved, []);
  assert.ok(j.dns.queries.length >= 4, JSON.stringify(j.dns.queries.map((q) => q.name)));
  for (const q of j.dns.queries) {
    assert.match(q.name, /^no-such-svc\.default\.(?:.*\.)?$/);
    // names in the cluster domain are known not to exist; others are outside what the topology knows
    assert.equal(q.answer, q.name.endsWith('.cluster.local.') ? 'NXDOMAIN' : 'unknown', q.name);
  }
  const text = await run(['trace', T, '--from', 'ubuntu', '--to', 'no-such-svc.default'], EX);
  assertSane(text, [0], 'nxdomain readable');
  // the last candidate, the name as is, goes to the upstream resolver: not known here, and said so
  assert.equal((j.dns as { unresolved?: string }).unresolved, 'upstream-unknown');
  assert.match(text.out, /depends on the upstream resolver/);
  assert.match(text.out, /no address known here/);
});

void test('trace to a name from a source that is not a pod uses that host\'s resolver or says why not; never a crash', async () => {
  for (const from of ['k8s-agent-0', 'azure-gateway', '10.240.0.5']) {
    const r = await run(['trace', T, '--from', from, '--to', 'kube-dns.kube-system.svc.cluster.local', '--json'], EX);
    assertSane(r, [0, 2], from);
    if (r.code === 0) {
      const j = JSON.parse(r.out) as Result;
      assert.ok(j.dns, from);
      assert.ok(j.outcomes.length > 0 || j.dns.resolved.length === 0, from);
    } else assert.match(r.err, /^(?:cluster\.netsim\.yaml:\d+:\d+|kube-netsim trace: --from): [^\n]+\n$/);
  }
});

const GOOD_1 = '{"from": "ubuntu", "to": "10.0.0.10", "protocol": "udp", "port": 53}';
const GOOD_2 = '{"from": "ubuntu", "to": "kube-dns.kube-system", "protocol": "udp", "port": 53}';
const GOOD_3 = '{"from": "default/ubuntu", "to": "10.0.0.1", "port": 443}';

/** [bad line, a word its error must name]. */
const BAD_LINES: [string, RegExp][] = [
  ['{"from": "ubuntu", "to": ', /JSON/],
  ['[1, 2]', /object/],
  ['"ubuntu"', /object/],
  ['null', /object/],
  ['{"from": "ubuntu"}', /to/],
  ['{"from": "ubuntu", "to": "10.0.0.10", "protocol": "sctp"}', /sctp/],
  ['{"from": "ubuntu", "to": "10.0.0.10", "port": 99999}', /99999/],
  ['{"from": "ubuntu", "to": "10.0.0.10", "port": "53"}', /port/],
  ['{"from": "ubuntu", "to": "10.0.0.10", "port": 1.5}', /port/],
  ['{"from": "no-such-pod", "to": "10.0.0.10"}', /no-such-pod/],
  ['{"from": "ubuntu", "to": "10.0.0.10:abc"}', /abc/],
  ['\u0000\u0001garbage', /JSON/],
];

/** Runs a batch file; returns one parsed result per stdout line. */
async function batch(text: string, label: string): Promise<Result[]> {
  const r = await run(['trace', T, '--batch', 'q.jsonl', '--json'], { ...EX, 'q.jsonl': text });
  assertSane(r, [0], label);
  assert.equal(r.err, '', label);
  return r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Result);
}

for (const [bad, names] of BAD_LINES) {
  void test(`--batch with ${JSON.stringify(bad)} between good lines: that line's error, the others' results, in order`, async () => {
    const results = await batch([GOOD_1, bad, GOOD_2, GOOD_3, ''].join('\n'), bad);
    assert.equal(results.length, 4);
    assert.equal(results[1].error !== undefined, true, JSON.stringify(results[1]));
    assert.match(results[1].error ?? '', names);
    assert.deepEqual(results[1].outcomes, []);
    assert.equal(results[1].version, 1);
    for (const i of [0, 2, 3]) {
      assert.equal(results[i].error, undefined, `line ${i + 1}: ${results[i].error}`);
      assert.ok(results[i].outcomes.length > 0, `line ${i + 1}`);
      assert.ok(Math.abs(results[i].outcomes.reduce((s, o) => s + o.probability, 0) - 1) < 1e-9, `line ${i + 1}`);
    }
    assert.deepEqual(results.map((x) => x.query.to), ['10.0.0.10', results[1].query.to, 'kube-dns.kube-system', '10.0.0.1']);
  });
}

void test('--batch: CRLF lines, blank lines and a last line without newline give the same results as LF', async () => {
  const lf = await batch([GOOD_1, BAD_LINES[0][0], GOOD_2, GOOD_3].join('\n') + '\n', 'lf');
  const crlf = await batch(['', GOOD_1, BAD_LINES[0][0], '', GOOD_2, GOOD_3].join('\r\n'), 'crlf');
  assert.deepEqual(crlf.map((x) => ({ ...x, error: x.error?.replace(/line \d+/, 'line N') })), lf.map((x) => ({ ...x, error: x.error?.replace(/line \d+/, 'line N') })));
});

void test('--batch of random bytes: one error result per non-blank line, never a crash', async () => {
  for (let seed = 1; seed <= 4; seed++) {
    const bytes = junk(seed * 101, 1500);
    for (let i = 50; i < bytes.length; i += 97) bytes[i] = 0x0a;
    const text = bytes.toString('utf8');
    const results = await batch(text, `junk ${seed}`);
    assert.equal(results.length, text.split(/\r?\n/).filter((l) => l.trim() !== '').length);
    for (const x of results) assert.equal(typeof x.error, 'string');
  }
});

void test('--batch with a missing file: exit 2, the option and the file named', async () => {
  const r = await run(['trace', T, '--batch', 'nope.jsonl', '--json'], EX);
  assertSane(r, [2], 'missing batch');
  assert.equal(r.err, 'kube-netsim trace: --batch nope.jsonl: no such file\n');
});
