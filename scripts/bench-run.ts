/**
 * One benchmark run (one process, so its peak memory is its own): generate a
 * kube-proxy dump of N services × M endpoints, parse it, build a one-node
 * cluster around it (client pod on cbr0, the endpoints on a backend host the
 * node routes to), index the chains, then trace ~1000 random pod → ClusterIP
 * connections. Prints one JSON line with the figures.
 *
 *   node --import tsx scripts/bench-run.ts SERVICES ENDPOINTS [TRACES] [DUMP_OUT]
 */
import { writeFileSync } from 'node:fs';
import { benchDump } from './bench-dump';
import { parseIptablesSave } from '../src/core/parse/iptables/parse-iptables-save';
import { formatIPv4, parseIPv4 } from '../src/core/net/ipv4';
import type { Cluster, Host, HostInterface } from '../src/core/model/cluster';
import { prepareChain } from '../src/core/sim/rule-index';
import { traceFlow } from '../src/core/sim/trace-flow';

const services = Number(process.argv[2] ?? 1000);
const endpoints = Number(process.argv[3] ?? 10);
const traces = Number(process.argv[4] ?? 1000);
const dumpOut = process.argv[5];

let peak = 0;
const sample = (): void => {
  peak = Math.max(peak, process.memoryUsage().rss);
};
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;


function iface(name: string, cidrs: [string, number][], extra: Partial<HostInterface> = {}): HostInterface {
  return { name, addresses: cidrs.map(([a, len]) => ({ ip: parseIPv4(a)!, prefixLen: len })), up: true, ...extra };
}

function route(dst: string, len: number, dev: string, via?: string) {
  const span = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { route: { table: 'main', type: 'unicast' as const, dst: { addr: parseIPv4(dst)!, len }, nexthops: [{ dev, via: via ? parseIPv4(via) : undefined }], metric: 0, raw: '', span } };
}

let t = process.hrtime.bigint();
const dump = benchDump(services, endpoints);
const genMs = ms(t);
if (dumpOut) writeFileSync(dumpOut, dump);
sample();

t = process.hrtime.bigint();
const parsed = parseIptablesSave(dump);
const parseMs = ms(t);
sample();

t = process.hrtime.bigint();
const nat = parsed.value.tables.get('nat');
const epIPs = new Set<string>();
const svcs: { ip: number; port: number }[] = [];
for (const r of nat?.chains.get('KUBE-SERVICES')?.rules ?? []) {
  const d = r.destination?.value;
  const port = r.matches.find((m) => m.module === 'tcp')?.options.find((o) => o.name === '--dport')?.values[0];
  if (d && port) svcs.push({ ip: parseIPv4(d.split('/')[0])!, port: Number(port) });
}
for (const [name, c] of nat?.chains ?? []) {
  if (!name.startsWith('KUBE-SEP-')) continue;
  for (const r of c.rules) if (r.target?.name === 'DNAT') epIPs.add((r.target.options[0]?.values[0] ?? '').split(':')[0]);
}
const node: Host = {
  id: 'node', kind: 'node', name: 'node',
  interfaces: [iface('lo', [['127.0.0.1', 8]], { isLoopback: true }), iface('eth0', [['192.168.0.2', 24]], { segment: 'lan' }), iface('cbr0', [['10.0.0.1', 8]], { segment: 'br', isBridge: true })],
  routing: { tables: new Map([['main', [route('192.168.0.0', 24, 'eth0'), route('10.0.0.0', 8, 'cbr0'), route('10.180.0.0', 16, 'eth0', '192.168.0.3')]]]), policy: [] },
  netfilter: { ruleset: parsed.value, origins: new Map(), generated: false },
  flags: { ipForward: true, brNetfilter: true },
};
const client: Host = {
  id: 'default/client', kind: 'pod', name: 'client', node: 'node', namespace: 'default',
  interfaces: [iface('eth0', [['10.0.0.2', 8]], { segment: 'br' })],
  routing: { tables: new Map([['main', [route('10.0.0.0', 8, 'eth0'), route('0.0.0.0', 0, 'eth0', '10.0.0.1')]]]), policy: [] },
  flags: { ipForward: false, brNetfilter: false },
};
const backends: Host = {
  id: 'backends', kind: 'host', name: 'backends',
  interfaces: [iface('eth0', [['192.168.0.3', 24]], { segment: 'lan' }), iface('dummy0', [...epIPs].map((a): [string, number] => [a, 32]))],
  routing: { tables: new Map([['main', [route('192.168.0.0', 24, 'eth0'), route('0.0.0.0', 0, 'eth0', '192.168.0.2')]]]), policy: [] },
  flags: { ipForward: false, brNetfilter: false },
};
const cluster: Cluster = {
  hosts: new Map([[node.id, node], [client.id, client], [backends.id, backends]]),
  segments: new Map([
    ['lan', { id: 'lan', kind: 'network', members: [{ host: 'node', iface: 'eth0' }, { host: 'backends', iface: 'eth0' }] }],
    ['br', { id: 'br', kind: 'bridge', members: [{ host: 'node', iface: 'cbr0' }, { host: 'default/client', iface: 'eth0' }], bridge: { host: 'node', iface: 'cbr0' } }],
  ]),
  addressOwner: new Map(),
  services: [],
  dnsDomain: 'cluster.local',
  issues: [],
};
for (const h of cluster.hosts.values()) for (const i of h.interfaces) for (const a of i.addresses) if (!cluster.addressOwner.has(a.ip)) cluster.addressOwner.set(a.ip, { host: h.id, iface: i.name });
const buildMs = ms(t);
t = process.hrtime.bigint();
for (const table of parsed.value.tables.values()) for (const c of table.chains.values()) prepareChain(c);
const indexMs = ms(t);
sample();

// Warm-up (JIT), then the measured traces over random services.
let seed = 7;
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
for (let i = 0; i < 50; i++) {
  const s = svcs[Math.floor(rand() * svcs.length)];
  traceFlow(cluster, { srcHost: 'default/client', src: parseIPv4('10.0.0.2')!, dst: s.ip, protocol: 'tcp', srcPort: 40000, dstPort: s.port });
}
const lat: number[] = [];
let delivered = 0;
let outcomes = 0;
for (let i = 0; i < traces; i++) {
  const s = svcs[Math.floor(rand() * svcs.length)];
  const t0 = process.hrtime.bigint();
  const os = traceFlow(cluster, { srcHost: 'default/client', src: parseIPv4('10.0.0.2')!, dst: s.ip, protocol: 'tcp', srcPort: 40000, dstPort: s.port });
  lat.push(ms(t0));
  outcomes += os.length;
  if (os.every((o) => o.disposition === 'delivered' && o.connection === 'ok')) delivered++;
  if (i % 100 === 0) sample();
}
sample();
lat.sort((a, b) => a - b);
const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
const rules = [...parsed.value.tables.values()].reduce((n, tb) => n + [...tb.chains.values()].reduce((m, c) => m + c.rules.length, 0), 0);
process.stdout.write(JSON.stringify({
  services, endpoints, rules, bytes: dump.length, genMs: +genMs.toFixed(1), parseMs: +parseMs.toFixed(1),
  parseMBs: +(dump.length / 1e6 / (parseMs / 1000)).toFixed(1), buildMs: +buildMs.toFixed(1), indexMs: +indexMs.toFixed(1),
  traces, traceMedianMs: +q(0.5).toFixed(3), traceP99Ms: +q(0.99).toFixed(3), outcomesPerTrace: +(outcomes / traces).toFixed(1),
  allDeliveredOk: delivered === traces, peakRssMB: +(peak / 2 ** 20).toFixed(0), issues: parsed.issues.length,
  sample: formatIPv4(svcs[0]?.ip ?? 0),
}) + '\n');
