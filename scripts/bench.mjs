// `npm run bench`: the simulator's benchmark. For 1k and 10k kube-proxy services × 10
// endpoints (scripts/gen-kube-proxy-dump.ts), each in its own process (scripts/bench-run.ts):
// parse speed, cluster build + rule index time, trace latency (median, p99 over ~1000 random
// service traces), peak RSS; then `iptables-restore --test` on the same dump inside a
// throwaway network namespace (root only). Prints a table and writes BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';

const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);
const traces = Number(process.argv[3] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'kube-netsim-bench-'));
const rows = [];

function restoreTest(file) {
  if (process.getuid?.() !== 0) return { note: 'skipped: not root' };
  const which = spawnSync('sh', ['-c', 'command -v iptables-restore && command -v ip'], { encoding: 'utf8' });
  if (which.status !== 0) return { note: 'skipped: iptables-restore or ip not installed' };
  const ns = `knsbench${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
  if (add.status !== 0) return { note: `skipped: ip netns add failed (${add.stderr.trim()})` };
  try {
    const input = readFileSync(file);
    const t0 = process.hrtime.bigint();
    const r = spawnSync('ip', ['netns', 'exec', ns, 'iptables-restore', '--test'], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const version = spawnSync('iptables-restore', ['--version'], { encoding: 'utf8' }).stdout.trim();
    return { ms, ok: r.status === 0, note: r.status === 0 ? version : `exit ${r.status}: ${(r.stderr || '').trim().split('\n')[0]}` };
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

for (const n of sizes) {
  const dump = join(dir, `kube-proxy-${n}.txt`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench-run.ts', String(n), '10', String(traces), dump], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(1);
  }
  const m = JSON.parse(r.stdout.trim().split('\n').pop());
  m.restore = restoreTest(dump);
  rows.push(m);
}
rmSync(dir, { recursive: true, force: true });

// The editor's and `kube-netsim lint`'s view of the same dumps: a topology whose node
// references the dump, loaded (parse + topology build), linted, and hovered.
const editorRows = [];
for (const n of sizes) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench-editor.ts', String(n), '10', '300'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(1);
  }
  editorRows.push(JSON.parse(r.stdout.trim().split('\n').pop()));
}
const editorTable = ['| services × endpoints | topology load ms (parse + build) | lint ms | lint findings | hover median ms | hover p99 ms | RSS MB |', '|---|---|---|---|---|---|---|',
  ...editorRows.map((m) => `| ${m.services} × ${m.endpoints} | ${m.loadMs.toFixed(0)} | ${m.lintMs.toFixed(0)} | ${m.lintIssues} (${Object.entries(m.lintByCode).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}) | ${m.hoverMedianMs.toFixed(2)} | ${m.hoverP99Ms.toFixed(2)} | ${m.rssMB.toFixed(0)} |`)].join('\n');
console.log(editorTable);

const fmt = (v, d = 1) => (v === undefined ? '–' : Number(v).toFixed(d));
const header = '| services × endpoints | rules | dump MB | parse ms | parse MB/s | cluster build ms | index ms | parse+index ms | trace median ms | trace p99 ms | outcomes/trace | peak RSS MB | iptables-restore --test ms |';
const sep = '|---|---|---|---|---|---|---|---|---|---|---|---|---|';
const lines = rows.map((m) => `| ${m.services} × ${m.endpoints} | ${m.rules} | ${fmt(m.bytes / 1e6)} | ${fmt(m.parseMs, 0)} | ${fmt(m.parseMBs)} | ${fmt(m.buildMs, 0)} | ${fmt(m.indexMs, 0)} | ${fmt(m.parseMs + m.indexMs, 0)} | ${fmt(m.traceMedianMs, 3)} | ${fmt(m.traceP99Ms, 3)} | ${m.outcomesPerTrace} | ${m.peakRssMB} | ${m.restore.ms === undefined ? m.restore.note : fmt(m.restore.ms, 0)} |`);
const table = [header, sep, ...lines].join('\n');
console.log(table);
for (const m of rows) console.log(`${m.services}: all traces delivered with a working reply: ${m.allDeliveredOk}; parser issues: ${m.issues}; iptables-restore: ${m.restore.note ?? ''}${m.restore.ok === false ? ' (FAILED)' : ''}`);

const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const md = `# Benchmarks

Measured by \`npm run bench\` (scripts/bench.mjs) on ${now}, on the development machine:
${cpus().length} CPU cores (${cpus()[0]?.model ?? 'unknown'}) shared with other work, Node ${process.version}.
Figures vary run to run on a shared machine; re-run to compare.

What is measured, per size (each in its own process, so peak RSS is that run's own):

- the dump: \`scripts/gen-kube-proxy-dump.ts\` (N ClusterIP services × 10 endpoints, kube-proxy's
  chain names and statistic cascades), plus the built-in chains and their jumps into
  KUBE-SERVICES/KUBE-POSTROUTING/KUBE-FORWARD that kube-proxy inserts, so packets reach the rules;
- parse: \`parseIptablesSave\` on the whole text;
- cluster build: a one-node cluster around the ruleset (a client pod on cbr0, every endpoint
  address on a backend host the node routes to); this stands in for the topology builder, which
  the benchmark does not exercise;
- index: the per-chain rule index (src/core/sim/rule-index.ts) built for every chain;
- trace: \`traceFlow\` for ~${traces} random pod → ClusterIP:port connections after a 50-trace
  warm-up: the full walk (bridge + br_netfilter PREROUTING, KUBE-SERVICES through the index,
  the 10-way statistic cascade, DNAT, FORWARD, POSTROUTING, delivery) and, for each of the 10
  outcomes, the reply with conntrack reversing the DNAT;
- \`iptables-restore --test\` of the same file inside a throwaway \`ip netns\` (touches nothing else).

${table}

Targets: a 10k-service dump parsed and indexed in < 0.6 s; a trace in < 1 ms.
${rows.map((m) => `- ${m.services} services: parse + index ${fmt(m.parseMs + m.indexMs, 0)} ms (index alone ${fmt(m.indexMs, 0)} ms)${m.parseMs + m.indexMs < 600 ? ' (within target)' : ' (over the 0.6 s target)'}; trace median ${fmt(m.traceMedianMs, 3)} ms${m.traceMedianMs < 1 ? ' (within target)' : ' (over the 1 ms target)'}, p99 ${fmt(m.traceP99Ms, 3)} ms.`).join('\n')}

The p99 includes garbage-collection pauses and whatever else the shared machine was doing;
a trace here returns 10 outcomes, each with its reply walk.

## Topology load, lint and hover on the same dumps

\`scripts/bench-editor.ts\`: a two-node topology behind one router whose node n0 references the
dump with \`{file: …}\`; loaded with \`loadCluster\` (parse + the real topology builder), linted with
\`lintCluster\` (every check, including class-based reachability), then 300 uncached hovers on random
ClusterIPs as the hover provider answers them (describe the address, trace from n0, render the
markdown). Lint reads every rule of the dump (320k at 10k Services).

${editorTable}

Targets: lint of the 10k-service topology < 1 s; hover p99 < 50 ms.
`;
// Sections measured by other scripts (scripts/bench-parse.ts) follow a marker and are kept.
const MARKER = '<!-- measured by other scripts: kept by npm run bench -->';
let kept = '';
try {
  const prev = readFileSync('BENCHMARKS.md', 'utf8');
  const at = prev.indexOf(MARKER);
  if (at >= 0) kept = prev.slice(at);
} catch { /* first run */ }
writeFileSync('BENCHMARKS.md', kept ? `${md}\n${kept}` : md);
console.log('wrote BENCHMARKS.md');

// NetworkPolicy: matrix on 1,000 workloads × 500 policies, and a whole cluster's objects (writes its own section).
const policyBench = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench-policy.ts'], { stdio: 'inherit' });
if (policyBench.status !== 0) process.exit(1);
