/** `kube-netsim trace` through cli(argv, io) over the seed example: JSON shape, batch, readable output, exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cli } from '../../src/cli/cli';
import type { CliIO } from '../../src/cli/io';

const CWD = new URL('../../examples/azure-kubenet/', import.meta.url).pathname.replace(/\/$/, '');

/** Reads real files, plus in-memory ones; collects output and writes. */
function io(extra: Record<string, string> = {}): CliIO & { out: string; err: string; written: Record<string, string> } {
  const x = {
    out: '', err: '', written: {} as Record<string, string>, cwd: CWD,
    readFile(path: string) {
      if (path in extra) return { text: extra[path] };
      try {
        return { text: readFileSync(path, 'utf8') };
      } catch {
        return { error: 'no such file' };
      }
    },
    writeFile(path: string, text: string) {
      x.written[path] = text;
      return {};
    },
    stdout(t: string) { x.out += t; },
    stderr(t: string) { x.err += t; },
  };
  return x;
}

void test('trace --json: one line with the spec fields; exit 0', async () => {
  const o = io();
  assert.equal(await cli(['trace', 'cluster.netsim.yaml', '--from', 'default/ubuntu', '--to', '10.244.1.2', '--proto', 'udp', '--port', '53', '--json'], o), 0);
  assert.equal(o.out.trim().split('\n').length, 1);
  const r = JSON.parse(o.out) as Record<string, unknown> & { outcomes: Record<string, unknown>[]; source: Record<string, unknown> };
  assert.deepEqual(Object.keys(r).slice(0, 5), ['version', 'query', 'source', 'dns', 'outcomes']);
  assert.deepEqual(r.query, { from: 'default/ubuntu', to: '10.244.1.2', protocol: 'udp', port: 53 });
  assert.deepEqual(r.source, { ip: '10.244.0.6', pod: 'default/ubuntu', node: 'k8s-agent-0' });
  assert.equal(r.dns, null);
  assert.equal(r.outcomes.length, 1);
  const out = r.outcomes[0] as { probability: number; disposition: string; delivered: Record<string, unknown>; at: string; hops: { host: string; kind: string; text: string }[]; reply: { disposition: string } };
  assert.equal(out.probability, 1);
  assert.equal(out.disposition, 'delivered');
  assert.deepEqual(out.delivered, { ip: '10.244.1.2', port: 53, pod: 'kube-system/kube-dns-v20-3003781527-njvzk', node: 'k8s-agent-1' });
  assert.equal(out.reply.disposition, 'delivered');
  assert.ok(out.hops.every((h) => typeof h.host === 'string' && typeof h.kind === 'string' && typeof h.text === 'string'));
  assert.equal(o.err, '');
});

/** Command-line mistakes: each names the option at fault, not a place in the topology. */
const bad: { name: string; argv: string[]; err: RegExp }[] = [
  { name: 'unknown source', argv: ['--from', 'nobody', '--to', '10.244.1.2:53'], err: /^kube-netsim trace: --from: unknown source 'nobody': no pod, node, router or host has that name \(sources include [^)]+\)\n$/ },
  { name: 'mistyped source', argv: ['--from', 'ubunto', '--to', '10.244.1.2:53'], err: /^kube-netsim trace: --from: unknown source 'ubunto': .* \(closest: ubuntu\)\n$/ },
  { name: 'mistyped node', argv: ['--from', 'k8s-agent-3', '--to', '10.244.1.2:53'], err: /\(closest: k8s-agent-0, k8s-agent-1, k8s-master-0\)\n$/ },
  { name: 'malformed port in DST', argv: ['--from', 'ubuntu', '--to', '10.244.1.2:99999'], err: /^kube-netsim trace: --to: malformed port '99999' in '10\.244\.1\.2:99999' \(1-65535\)\n$/ },
  { name: 'malformed --port', argv: ['--from', 'ubuntu', '--to', '10.244.1.2', '--port', 'dns'], err: /^kube-netsim trace: --port: malformed port 'dns'/ },
  { name: 'unknown protocol', argv: ['--from', 'ubuntu', '--to', '10.244.1.2', '--proto', 'sctp'], err: /^kube-netsim trace: --proto: unknown protocol 'sctp' \(tcp, udp or icmp\)\n$/ },
  { name: 'malformed --size', argv: ['--from', 'ubuntu', '--to', '10.244.1.2', '--size', 'big'], err: /^kube-netsim trace: --size: malformed size 'big' \(IP packet bytes, \d+-65535\)\n$/ },
  { name: '--size out of range', argv: ['--from', 'ubuntu', '--to', '10.244.1.2', '--size', '70000'], err: /^kube-netsim trace: --size: malformed size '70000'/ },
  { name: '--port conflicting with :PORT', argv: ['--from', 'ubuntu', '--to', '10.0.0.10:53', '--port', '80'], err: /^kube-netsim trace: --port: 80 conflicts with the port in --to 10\.0\.0\.10:53/ },
];
for (const b of bad) {
  void test(`trace: ${b.name} → exit 2, one line naming the option`, async () => {
    const o = io();
    assert.equal(await cli(['trace', 'cluster.netsim.yaml', ...b.argv], o), 2);
    assert.equal(o.out, '');
    assert.match(o.err, b.err);
    assert.doesNotMatch(o.err, /cluster\.netsim\.yaml/);
  });
}

void test('trace: --port equal to the port in --to is no conflict', async () => {
  const o = io();
  assert.equal(await cli(['trace', 'cluster.netsim.yaml', '--from', 'ubuntu', '--to', '10.0.0.10:53', '--port', '53', '--proto', 'udp', '--json'], o), 0);
  assert.equal((JSON.parse(o.out) as { query: { to: string } }).query.to, '10.0.0.10:53');
});

void test('trace, lint and parse of a missing file: one format, `kube-netsim CMD: FILE: no such file`', async () => {
  for (const [cmd, args] of [['trace', ['--from', 'a', '--to', '1.2.3.4']], ['lint', []], ['parse', []]] as const) {
    const o = io();
    assert.equal(await cli([cmd, 'missing.yaml', ...args], o), 2);
    assert.equal(o.err, `kube-netsim ${cmd}: missing.yaml: no such file\n`);
    assert.equal(o.out, '');
  }
});

void test('trace --batch --json: one result per line, in order; a bad line gives an error result', async () => {
  const q = [
    '{"from": "default/ubuntu", "to": "10.244.1.2", "protocol": "udp", "port": 53}',
    'not json',
    '{"from": "nobody", "to": "10.244.1.2"}',
    '',
    '{"from": "k8s-agent-0", "to": "10.244.1.2:53", "protocol": "udp"}',
  ].join('\n');
  const o = io({ [`${CWD}/q.jsonl`]: q });
  assert.equal(await cli(['trace', 'cluster.netsim.yaml', '--batch', 'q.jsonl', '--json'], o), 0);
  const lines = o.out.trim().split('\n').map((l) => JSON.parse(l) as { error?: string; outcomes: unknown[]; source: { ip: string } });
  assert.equal(lines.length, 4);
  assert.equal(lines[0].error, undefined);
  assert.equal(lines[0].outcomes.length, 1);
  assert.match(lines[1].error ?? '', /line 2/);
  assert.match(lines[2].error ?? '', /unknown source/);
  assert.equal(lines[3].source.ip, '10.240.0.4');
});

void test('trace (readable): steps with file:line and the reply', async () => {
  const o = io();
  assert.equal(await cli(['trace', 'cluster.netsim.yaml', '--from', 'ubuntu', '--to', '10.244.1.2:53', '--proto', 'udp'], o), 0);
  assert.match(o.out, /^trace ubuntu → 10\.244\.1\.2:53\/udp\n/);
  assert.match(o.out, /\[gateway-route-table\.txt:4\]/);
  assert.match(o.out, /\n {2}reply: delivered at default\/ubuntu/);
});

void test('trace --html OUT: writes the page and says where, nothing else; with --json the JSON stays alone on stdout', async () => {
  const o = io();
  assert.equal(await cli(['trace', 'cluster.netsim.yaml', '--from', 'ubuntu', '--to', '10.244.1.2:53', '--proto', 'udp', '--html', 'out.html'], o), 0);
  assert.equal(o.out, 'wrote out.html\n');
  assert.equal(o.err, '');
  assert.match(o.written[`${CWD}/out.html`] ?? '', /^<!DOCTYPE html>/i);
  const j = io();
  assert.equal(await cli(['trace', 'cluster.netsim.yaml', '--from', 'ubuntu', '--to', '10.244.1.2:53', '--proto', 'udp', '--html', 'out.html', '--json'], j), 0);
  assert.equal((JSON.parse(j.out) as { version: number }).version, 1);
  assert.equal(j.err, 'wrote out.html\n');
});

void test('trace (readable): the ClusterIP overview names the KUBE-SERVICES rule and each way with its share', async () => {
  const o = io();
  assert.equal(await cli(['trace', 'cluster.netsim.yaml', '--from', 'ubuntu', '--to', '10.0.0.10:53', '--proto', 'udp'], o), 0);
  assert.match(o.out, /\n10\.0\.0\.10 is no interface's address \(ClusterIP of Service kube-system\/kube-dns\)/);
  assert.match(o.out, /\nKUBE-SERVICES \(k8s-agent-0\/iptables-nat-L-n-v\.txt:\d+\) sends it to KUBE-SVC-/);
  assert.match(o.out, /\n {2}50% → 10\.244\.0\.2:53 \(kube-system\/kube-dns-v20-3003781527-lc299 on k8s-agent-0\) via cbr0\n/);
  assert.match(o.out, /\n {2}50% → 10\.244\.1\.2:53 \(kube-system\/kube-dns-v20-3003781527-njvzk on k8s-agent-1\) via 10\.240\.0\.1 → 10\.240\.0\.5 → cbr0\n/);
});

void test('trace (readable): a DNAT step names the destination it replaces and the new one, not the source', async () => {
  const o = io();
  assert.equal(await cli(['trace', 'cluster.netsim.yaml', '--from', 'ubuntu', '--to', '10.0.0.10:53', '--proto', 'udp'], o), 0);
  assert.match(o.out, /: DNAT 10\.0\.0\.10:53 → 10\.244\.0\.2:53\/udp /);
  assert.match(o.out, /: DNAT 10\.0\.0\.10:53 → 10\.244\.1\.2:53\/udp /);
  assert.doesNotMatch(o.out, /DNAT:? 10\.244\.0\.6 →/);
});

void test('trace: a topology with an error-level issue → exit 2 naming file:line:col and the code', async () => {
  const bad = 'apiVersion: kube-netsim/v1\nkind: Cluster\nspec:\n  nodes:\n    - name: n0\n      ip: 10.240.0.300\n';
  const o = io({ [`${CWD}/bad.netsim.yaml`]: bad });
  assert.equal(await cli(['trace', 'bad.netsim.yaml', '--from', 'n0', '--to', '10.0.0.1'], o), 2);
  assert.equal(o.out, '');
  assert.match(o.err, /^bad\.netsim\.yaml:6:\d+: .*\[topology-[a-z-]+\]\n$/);
});

void test('trace to a name (readable): the search-list walk, each query answered 50/50 by the kube-dns pods, then the connection', async () => {
  const o = io();
  assert.equal(await cli(['trace', 'cluster.netsim.yaml', '--from', 'ubuntu', '--to', 'kube-dns.kube-system:53', '--proto', 'udp'], o), 0);
  const lines = o.out.split('\n');
  const first = lines.findIndex((l) => /^\s+A kube-dns\.kube-system\.default\.svc\.cluster\.local\. → NXDOMAIN/.test(l));
  const second = lines.findIndex((l) => /^\s+A kube-dns\.kube-system\.svc\.cluster\.local\. → 10\.0\.0\.10/.test(l));
  assert.ok(first >= 0 && second > first, o.out);
  for (const i of [first, second]) assert.match(lines[i], /answered by 50% kube-system\/kube-dns-v20-3003781527-lc299, 50% kube-system\/kube-dns-v20-3003781527-njvzk/);
  assert.ok(lines.some((l) => /resolved: 10\.0\.0\.10$/.test(l)));
  const outcomes = lines.filter((l) => /^\d+\. 50% delivered to kube-system\/kube-dns-v20-3003781527-(lc299|njvzk)/.test(l));
  assert.equal(outcomes.length, 2, o.out);
});
