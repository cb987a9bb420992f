/**
 * Topologies in the service: each loaded once per version of itself and of every
 * file it read, with the reverse map from a referenced file to its topologies.
 */
import * as path from 'node:path';
import { loadCluster, type LoadedCluster } from '../../core/build/load';
import { formatIPv4 } from '../../core/net/ipv4';
import type { FileReader } from '../../core/model/topology';
import { resolveInside } from '../logic/contain-path';
import type { Documents } from './documents';
import type { FileIssue, Lens, TopologyCheck } from './protocol';
import { lintIssues } from './lint-adapter';
import { capIssues, truncationNote } from '../logic/cap-issues';

/** Most diagnostics shown per file. */
export const MAX_ISSUES_PER_FILE = 500;

/** A loaded topology and what it read. */
export interface TopologyEntry {
  path: string;
  dir: string;
  root: string;
  key: string;
  loaded: LoadedCluster;
  /** Referenced files: absolute path → path as written. */
  refs: Map<string, string>;
  /** The check of this version, once computed (lint runs once per version). */
  checked?: TopologyCheck;
}

/** Whether a path is a topology file. */
export function isTopologyPath(p: string): boolean {
  return p.endsWith('.netsim.yaml');
}

/** The cache of loaded topologies. */
export class Topologies {
  private readonly entries = new Map<string, TopologyEntry>();
  /** How many loads ran. */
  loads = 0;

  constructor(private readonly docs: Documents, private readonly log: (m: string) => void) {}

  /** The loaded topology at `p`, re-loaded only when it or a file it read changed. */
  get(p: string, root: string): TopologyEntry | undefined {
    const prev = this.entries.get(p);
    if (prev && prev.root === root && prev.key === this.keyOf(p, prev)) return prev;
    const own = this.docs.read(p);
    if ('error' in own) { this.entries.delete(p); return undefined; }
    const dir = path.dirname(p);
    const refs = new Map<string, string>();
    const reader: FileReader = {
      read: (rel) => {
        const r = resolveInside(root, dir, rel);
        if ('error' in r) return r;
        refs.set(r.path, rel);
        const t = this.docs.read(r.path);
        return 'error' in t ? { error: `${rel} ${t.error}` } : { text: t.text };
      },
    };
    const t0 = Date.now();
    const loaded = loadCluster(own.text, path.basename(p), reader);
    this.loads++;
    const ms = Date.now() - t0;
    if (ms > 200) this.log(`loaded ${p} in ${ms} ms`);
    const entry: TopologyEntry = { path: p, dir, root, key: '', loaded, refs };
    entry.key = this.keyOf(p, entry);
    this.entries.set(p, entry);
    return entry;
  }

  /** Loaded topologies that read `p`. */
  referencing(p: string): TopologyEntry[] {
    return [...this.entries.values()].filter((e) => e.refs.has(p));
  }

  /** Parse, model and lint issues of a topology, each on its file. */
  check(p: string, root: string): TopologyCheck {
    const e = this.get(p, root);
    if (!e) return { ok: false, issues: [], refs: [], lenses: [] };
    if (e.checked) return e.checked;
    const all: FileIssue[] = [...e.loaded.issues, ...lintIssues(e.loaded, this.log)].map((i) => ({ ...i, path: i.file ? path.resolve(e.dir, i.file) : p }));
    const issues = capIssues(all, MAX_ISSUES_PER_FILE, (i) => i.path, (file, first, n) => ({ ...truncationNote(first, n), file: first.file, path: file }));
    e.checked = { ok: true, issues, refs: [...e.refs.keys()], lenses: lensesOf(e) };
    return e.checked;
  }

  private keyOf(p: string, e: TopologyEntry): string {
    const parts = [this.docs.key(p)];
    for (const abs of e.refs.keys()) parts.push(this.docs.key(abs));
    return parts.join('|');
  }
}

/** "Trace from here…" on pods; "Trace to …" on Services, one per port (its own protocol and number). */
function lensesOf(e: TopologyEntry): Lens[] {
  const t = e.loaded.topology;
  const out: Lens[] = [];
  for (const p of t.pods) {
    const s = p.nameSpan;
    out.push({ line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn, title: 'Trace from here…', args: { topology: e.path, from: `${p.namespace}/${p.name}` } });
  }
  for (const svc of t.services) {
    const to = svc.clusterIP !== undefined ? formatIPv4(svc.clusterIP) : `${svc.name}.${svc.namespace}`;
    const s = svc.nameSpan;
    const ports = svc.ports.filter((x) => x.protocol !== 'SCTP');
    if (!ports.length) out.push({ line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn, title: `Trace to ${to}…`, args: { topology: e.path, to } });
    for (const port of ports) {
      out.push({
        line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn,
        title: `Trace to ${to}:${port.port}/${port.protocol}…`,
        args: { topology: e.path, to, protocol: port.protocol === 'UDP' ? 'udp' : 'tcp', port: port.port },
      });
    }
  }
  return out;
}
