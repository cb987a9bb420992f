/**
 * The iptables-save parser's own benchmark: for each size (kube-proxy dumps of
 * N services × 10 endpoints from scripts/gen-kube-proxy-dump.ts, or files given
 * with --file), parse the text RUNS times and print, per size, the median wall
 * time, CPU time (user + system, from process.cpuUsage: the machine may be
 * shared, and CPU time varies less with load than wall time), MB/s (over wall
 * time) and the heap in use after the parse with the result still held (after
 * a forced GC, so it measures the model, not garbage).
 *
 *   node --expose-gc --import tsx scripts/bench-parse.ts [SIZES] [RUNS]
 *   node --expose-gc --import tsx scripts/bench-parse.ts --file dump.txt [RUNS]
 *   # through an esbuild bundle, as the CLI runs:
 *   npx esbuild scripts/bench-parse.ts --bundle --platform=node --outfile=/tmp/bench-parse.js
 *   node --expose-gc /tmp/bench-parse.js 1000,10000 5
 *   # hot spots: add --cpu-prof --cpu-prof-dir=/tmp/prof to the node command.
 *
 * SIZES defaults to 1000,10000 and RUNS to 5. Prints one JSON line per size and a
 * Markdown table.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { generateKubeProxyDump } from './gen-kube-proxy-dump';
import { parseIptablesSave } from '../src/core/parse/iptables/parse-iptables-save';

interface Input {
  label: string;
  text: string;
}

interface Row {
  label: string;
  mb: number;
  lines: number;
  rules: number;
  issues: number;
  wallMs: number;
  cpuMs: number;
  mbPerS: number;
  heapMb: number;
  /** Main-thread garbage-collection pauses during the parse (median over runs); concurrent marking threads are in CPU time only. */
  gcMs: number;
  wallAll: number[];
  cpuAll: number[];
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) process.stderr.write('bench-parse: run node with --expose-gc for a heap figure that excludes garbage\n');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function inputs(argv: string[]): { list: Input[]; runs: number } {
  if (argv[0] === '--file') {
    return { list: [{ label: argv[1], text: readFileSync(argv[1], 'utf8') }], runs: Number(argv[2] ?? 5) };
  }
  const sizes = (argv[0] ?? '1000,10000').split(',').map(Number);
  return {
    list: sizes.map((n) => ({ label: `${n / 1000}k services × 10`, text: generateKubeProxyDump({ services: n, endpointsPerService: 10, seed: 1 }) })),
    runs: Number(argv[1] ?? 5),
  };
}

/** Sum of GC pause durations reported since the last call (entries arrive asynchronously: read after a tick). */
let gcPause = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPause += e.duration;
}).observe({ entryTypes: ['gc'] });
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

async function measure(input: Input, runs: number): Promise<Row> {
  const gcAll: number[] = [];
  const wallAll: number[] = [];
  const cpuAll: number[] = [];
  const heaps: number[] = [];
  let rules = 0;
  let issues = 0;
  for (let r = 0; r < runs; r++) {
    gc?.();
    await tick();
    gcPause = 0;
    const before = process.memoryUsage().heapUsed;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const result = parseIptablesSave(input.text);
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    wallAll.push(wall);
    cpuAll.push((c.user + c.system) / 1000);
    await tick();
    gcAll.push(gcPause);
    gc?.();
    // Held until here, so the heap figure is the model's own size.
    heaps.push(process.memoryUsage().heapUsed - before);
    rules = 0;
    for (const t of result.value.tables.values()) for (const ch of t.chains.values()) rules += ch.rules.length;
    issues = result.issues.length;
  }
  const mb = input.text.length / 1e6;
  const wallMs = median(wallAll);
  return {
    label: input.label,
    mb,
    lines: input.text.split('\n').length,
    rules,
    issues,
    wallMs,
    cpuMs: median(cpuAll),
    mbPerS: mb / (wallMs / 1000),
    heapMb: median(heaps) / 1e6,
    gcMs: median(gcAll),
    wallAll,
    cpuAll,
  };
}

async function main(): Promise<void> {
  const { list, runs } = inputs(process.argv.slice(2));
  const rows: Row[] = [];
  for (const input of list) {
    const row = await measure(input, runs);
    rows.push(row);
    process.stdout.write(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v)) + '\n');
    input.text = '';
  }
  const f = (x: number): string => x.toFixed(0);
  process.stdout.write(`\n| dump | MB | rules | wall ms (median of ${runs}) | CPU ms | MB/s | heap after parse, MB | GC pauses ms |\n|---|---|---|---|---|---|---|---|\n`);
  for (const r of rows) {
    process.stdout.write(`| ${r.label} | ${r.mb.toFixed(1)} | ${r.rules} | ${f(r.wallMs)} | ${f(r.cpuMs)} | ${r.mbPerS.toFixed(1)} | ${f(r.heapMb)} | ${f(r.gcMs)} |\n`);
  }
}

void main();
