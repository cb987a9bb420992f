/**
 * Turns a running lab into what a user would give the simulator: each
 * namespace's real dumps written to files, and a `*.netsim.yaml` topology
 * (docs/topology.md) that names the namespaces (router, nodes, pods,
 * Services) and references those files. Then loads it with `loadCluster` and
 * traces, exactly as the CLI would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, relative, isAbsolute } from 'node:path';
import { stringify } from 'yaml';
import { loadCluster } from '../../src/core/build/load';
import { trace } from '../../src/core/query/trace';
import type { TraceQuery, TraceResult } from '../../src/core/sim/types';
import type { Issue } from '../../src/core/source';
import type { FileReader } from '../../src/core/model/topology';
import type { SeedLab } from './seed-lab';
import type { DumpFiles } from './netns';

/** Which pasted formats the topology references (the simulator must read them all). */
export interface DumpFormats {
  /** `ip route` (default) or `route -n` (falls back to `ip route` when net-tools is absent). */
  routes?: 'ip-route' | 'route-n' | 'ip-route-table-all';
  /** One `iptables-save` (default) or per-table `iptables -t T -L -n -v` listings. */
  iptables?: 'save' | 'list';
  /** `ip addr` (default) or `ifconfig -a` (falls back to `ip addr` when net-tools is absent). */
  interfaces?: 'ip-addr' | 'ifconfig' | 'ip-o-addr';
  /** Give each pod its own interfaces dump too (its side of the veth, `eth0@ifN`). */
  podInterfaces?: boolean;
}

/** A topology written to a temporary folder. */
export interface WrittenTopology {
  dir: string;
  file: string;
  text: string;
  /** Deletes the folder (kept when KNS_KEEP is set, for looking at a failure). */
  remove(): void;
}

/** Dumps every namespace of the lab and writes `cluster.netsim.yaml` beside the dumps. */
export function writeTopology(seed: SeedLab, formats: DumpFormats = {}): WrittenTopology {
  const dir = mkdtempSync(join(tmpdir(), 'kube-netsim-kernel-'));
  const lab = seed.lab;
  const dumps = new Map<string, DumpFiles>();
  const dumpOf = (ns: string): DumpFiles => {
    const d = dumps.get(ns) ?? lab.dump(ns, dir);
    dumps.set(ns, d);
    return d;
  };
  const routesOf = (ns: string): { file: string } => {
    const d = dumpOf(ns);
    if (formats.routes === 'ip-route-table-all') return { file: d.ipRouteAll };
    return { file: formats.routes === 'route-n' && d.routeN ? d.routeN : d.ipRoute };
  };
  const machine = (ns: string): Record<string, unknown> => {
    const d = dumpOf(ns);
    const iptables = formats.iptables === 'list'
      ? { nat: { file: d.natList }, filter: { file: d.filterList } }
      : { file: d.iptablesSave };
    // A namespace that never had a rule dumps nothing with iptables-save (nft
    // creates no tables); a user would leave `iptables:` out, so do the same.
    const hasTables = /^\*/m.test(readFileSync(join(dir, d.iptablesSave), 'utf8'));
    const interfaces = { file: formats.interfaces === 'ip-o-addr' ? d.ipOneLineAddr : formats.interfaces === 'ifconfig' && d.ifconfig ? d.ifconfig : d.ipAddr };
    return { interfaces, routes: routesOf(ns), ...(hasTables || formats.iptables === 'list' ? { iptables } : {}) };
  };

  const services = new Map<string, Record<string, unknown> & { ports: unknown[] }>();
  for (const s of seed.services) {
    const key = `${s.namespace}/${s.name}`;
    const entry = services.get(key) ?? {
      name: s.name, namespace: s.namespace, clusterIP: s.clusterIP,
      endpoints: [...new Set(s.endpoints.map((e) => e.ip))], ports: [],
    };
    if (s.nodePort !== undefined) entry.type = 'NodePort';
    entry.ports.push({ name: s.portName, port: s.port, targetPort: s.endpoints[0]?.port ?? s.port, protocol: s.protocol.toUpperCase(), ...(s.nodePort !== undefined ? { nodePort: s.nodePort } : {}) });
    services.set(key, entry);
  }

  const doc = {
    apiVersion: 'kube-netsim/v1',
    kind: 'Cluster',
    metadata: { name: 'kernel-lab' },
    spec: {
      clusterCIDR: seed.clusterCIDR,
      serviceCIDR: seed.serviceCIDR,
      routers: [{ name: seed.router.id, ip: seed.router.ip, ...machine(seed.router.ns) }],
      ...(seed.hosts.length > 0 ? { hosts: seed.hosts.map((h) => ({ name: h.id, ip: h.ip, ...machine(h.ns) })) } : {}),
      nodes: seed.nodes.map((n) => ({
        name: n.id, ip: n.ip, podCIDR: n.podCIDR, bridge: 'cbr0', ...machine(n.ns),
        bridgeNfCallIptables: true, hairpinMode: n.hairpin,
      })),
      pods: seed.pods.map((p) => ({
        name: p.name, namespace: p.namespace, node: p.node, ip: p.ip, routes: routesOf(p.ns),
        ...(formats.podInterfaces ? { interfaces: machine(p.ns).interfaces } : {}),
      })),
      services: [...services.values()],
    },
  };
  const text = stringify(doc);
  const file = join(dir, 'cluster.netsim.yaml');
  writeFileSync(file, text);
  return { dir, file, text, remove: () => { if (!process.env.KNS_KEEP) rmSync(dir, { recursive: true, force: true }); } };
}

/** Reads files relative to the topology folder, refusing paths that leave it. */
export function folderReader(dir: string): FileReader {
  return {
    read(path: string) {
      const full = resolve(dir, path);
      const rel = relative(dir, full);
      if (rel.startsWith('..') || isAbsolute(rel)) return { error: `${path} is outside ${dir}` };
      try { return { text: readFileSync(full, 'utf8') }; } catch (e) { return { error: String(e) }; }
    },
  };
}

/** What the simulator said for one query, with the load issues (errors there usually explain a disagreement). */
export interface Simulated {
  result: TraceResult;
  issues: Issue[];
}

/** Loads the written topology and traces `query`, as `kube-netsim trace` would. */
export function simulate(topo: WrittenTopology, query: TraceQuery): Simulated {
  const loaded = loadCluster(topo.text, 'cluster.netsim.yaml', folderReader(topo.dir));
  return { result: trace(loaded.cluster, query), issues: loaded.issues };
}
