/**
 * What the editor and `kube-netsim lint` do with a big dump: load a topology
 * whose node references the generated kube-proxy dump (parse + cluster build),
 * lint it, and answer hovers on ClusterIPs the way the hover provider does
 * (describe the address, trace from the node, render the markdown), uncached.
 * Usage: node --import tsx scripts/bench-editor.ts SERVICES ENDPOINTS HOVERS
 * Prints one JSON line.
 */
import { benchDump } from './bench-dump';
import { loadCluster } from '../src/core/build/load';
import { lintCluster } from '../src/core/lint/index';
import { trace } from '../src/core/query/trace';
import { describeAddress } from '../src/extension/logic/ip-info';
import { addressHoverMarkdown } from '../src/extension/logic/hover-text';

const services = Number(process.argv[2] ?? 1000);
const endpoints = Number(process.argv[3] ?? 10);
const hovers = Number(process.argv[4] ?? 300);
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

const TOPOLOGY = `apiVersion: kube-netsim/v1
kind: Cluster
metadata: {name: bench}
spec:
  clusterCIDR: 10.180.0.0/16
  serviceCIDR: 172.30.0.0/16
  routers:
    - name: gw
      ip: 10.240.0.1
      routes:
        - {to: 10.180.0.0/17, via: 10.240.0.4}
        - {to: 10.180.128.0/17, via: 10.240.0.5}
  nodes:
    - name: n0
      ip: 10.240.0.4
      podCIDR: 10.180.0.0/17
      iptables: {file: kube-proxy.iptables-save.txt}
    - {name: n1, ip: 10.240.0.5, podCIDR: 10.180.128.0/17}
`;

const dump = benchDump(services, endpoints);
let t = process.hrtime.bigint();
const loaded = loadCluster(TOPOLOGY, 'bench.netsim.yaml', { read: (p) => (p === 'kube-proxy.iptables-save.txt' ? { text: dump } : { error: 'no such file' }) });
const loadMs = ms(t);
t = process.hrtime.bigint();
const issues = lintCluster(loaded);
const lintMs = ms(t);

const clusterIPs = [...(loaded.cluster.hosts.get('n0')?.netfilter?.ruleset.tables.get('nat')?.chains.get('KUBE-SERVICES')?.rules ?? [])]
  .map((r) => ({ ip: r.destination?.value.replace(/\/32$/, ''), port: r.matches.find((m) => m.module === 'tcp')?.options.find((o) => o.name === '--dport')?.values[0] }))
  .filter((x): x is { ip: string; port: string } => !!x.ip && !!x.port);
let seed = 7;
const rand = (): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296; };
const lat: number[] = [];
for (let i = 0; i < hovers + 20; i++) {
  const s = clusterIPs[Math.floor(rand() * clusterIPs.length)];
  const t0 = process.hrtime.bigint();
  const info = describeAddress(loaded.cluster, s.ip);
  const q = { from: 'n0', to: `${s.ip}:${s.port}`, protocol: 'tcp' as const };
  const r = trace(loaded.cluster, q);
  const md = info ? addressHoverMarkdown(info, { from: 'n0', why: 'default', topology: 'bench.netsim.yaml' }, { topology: 'bench.netsim.yaml', ...q, port: Number(s.port) }, r) : '';
  if (i >= 20) lat.push(ms(t0));
  if (!md || r.outcomes.length === 0) throw new Error(`hover on ${s.ip} produced nothing`);
}
lat.sort((a, b) => a - b);
const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
const byCode: Record<string, number> = {};
for (const i of issues) byCode[i.code] = (byCode[i.code] ?? 0) + 1;
process.stdout.write(JSON.stringify({
  services, endpoints, dumpMB: dump.length / 1e6, loadMs, lintMs, lintIssues: issues.length, lintByCode: byCode,
  hoverMedianMs: q(0.5), hoverP99Ms: q(0.99), hovers: lat.length, rssMB: process.memoryUsage().rss / 1e6,
}) + '\n');
