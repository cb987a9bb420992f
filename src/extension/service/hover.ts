/**
 * Hover answers: on an address, what it is and where a packet to it goes from the
 * host the file belongs to (a node's dump: that node; the topology: the default
 * source); on a chain name in an iptables dump, its rule count and who jumps to it.
 */
import * as path from 'node:path';
import { trace } from '../../core/query/trace';
import type { TraceQuery, TraceResult } from '../../core/sim/types';
import { addressAt, wordAt } from '../logic/ip-at';
import { describeAddress, servicePortOf, type AddressInfo } from '../logic/ip-info';
import { addressHoverMarkdown, chainHoverMarkdown, type HoverSource, type TraceArgs } from '../logic/hover-text';
import { defaultSource, hostForFile } from '../logic/host-of-file';
import { chainsNamed } from '../logic/chain-index';
import { builtinTargetPage } from '../logic/builtin-targets';
import { chainOwner, ownersFromServices, type ChainOwner } from '../logic/chain-owner';
import type { Documents } from './documents';
import { IPTABLES_LANGUAGES, type Dumps } from './dumps';
import { isTopologyPath, type Topologies, type TopologyEntry } from './topologies';
import type { Methods } from './protocol';

type Params = Methods['hover']['params'];
type Answer = Methods['hover']['result'];

/** The line `line` (0-based) of a text, without scanning the whole text into lines. */
export function lineOf(text: string, line: number): string | undefined {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

/** Where a hover in file `p` traces from: the source picked for the topology, the host the file belongs to, or the default. */
export function hoverSource(entry: TopologyEntry, p: string, setting: string, picked?: string): { from: string; why: HoverSource['why'] } | undefined {
  if (picked) return { from: picked, why: 'picked' };
  if (!isTopologyPath(p)) {
    const rel = entry.refs.get(p) ?? path.relative(entry.dir, p);
    const host = hostForFile(entry.loaded.topology, rel);
    if (host) return { from: host, why: 'file' };
  }
  const d = defaultSource(entry.loaded.topology, setting);
  return d ? { from: d, why: 'default' } : undefined;
}

/** Whether `from` (a host id or short pod name) is one of the address's owners: a hover there would trace the host to itself. */
function isOwnAddress(info: AddressInfo, from: string): boolean {
  return info.owners.some((o) => o.host === from || o.host === `default/${from}` || o.host.endsWith(`/${from}`)) || info.ip === from;
}

/** Computes hovers; caches traces per topology version. */
export class Hovers {
  private readonly traces = new Map<string, TraceResult>();
  private owners: { key: string; map: Map<string, ChainOwner> } | undefined;

  constructor(private readonly docs: Documents, private readonly topologies: Topologies, private readonly dumps: Dumps, private readonly log: (m: string) => void) {}

  hover(q: Params): Answer {
    const t = this.docs.read(q.path);
    if ('error' in t) return null;
    const line = lineOf(t.text, q.line);
    if (line === undefined) return null;
    const addr = addressAt(line, q.character);
    if (addr) {
      const entry = isTopologyPath(q.path) ? this.topologies.get(q.path, q.root) : this.topologies.referencing(q.path)[0];
      if (!entry) return null;
      const info = describeAddress(entry.loaded.cluster, addr.text);
      if (!info) return null;
      const src = hoverSource(entry, q.path, q.defaultSource, q.pickedSource);
      const self = src !== undefined && isOwnAddress(info, src.from);
      let query: TraceArgs | undefined;
      let result: TraceResult | undefined;
      if (src) {
        const svc = info.services[0] ? servicePortOf(info.services[0]) : undefined;
        const protocol = svc?.protocol ?? 'tcp';
        const port = addr.port ?? svc?.port;
        query = { topology: entry.path, from: src.from, to: addr.text, protocol, port };
        if (!self) result = this.traceCached(entry, { from: src.from, to: addr.text, protocol, port });
      }
      const source = src && { ...src, topology: entry.path, self };
      return { markdown: addressHoverMarkdown(info, source, query, result), start: addr.start, end: addr.end, trusted: true };
    }
    if (IPTABLES_LANGUAGES.includes(q.languageId)) {
      const w = wordAt(line, q.character);
      const idx = w ? this.dumps.index(q.path) : undefined;
      const chains = w && idx ? chainsNamed(idx, w.text) : [];
      if (w && chains.length) {
        const entry = this.topologies.referencing(q.path)[0];
        const owners = this.ownersFor(entry);
        return { markdown: chainHoverMarkdown(chains, (c) => chainOwner(c, idx!, owners, entry?.loaded.cluster.services)), start: w.start, end: w.end, trusted: false };
      }
      const page = w && builtinTargetPage(w.text);
      if (w && page) return { markdown: page.replace(/^# (.*)/, '**$1**'), start: w.start, end: w.end, trusted: false };
    }
    return null;
  }

  /** kube-proxy chain names of a topology's Service ports, once per version of the topology. */
  private ownersFor(entry: TopologyEntry | undefined): Map<string, ChainOwner> | undefined {
    if (!entry) return undefined;
    if (this.owners?.key !== `${entry.path}|${entry.key}`) this.owners = { key: `${entry.path}|${entry.key}`, map: ownersFromServices(entry.loaded.cluster.services) };
    return this.owners.map;
  }

  private traceCached(entry: TopologyEntry, q: TraceQuery): TraceResult {
    const k = `${entry.path}|${entry.key}|${q.from}|${q.to}|${q.protocol}|${q.port ?? ''}`;
    const hit = this.traces.get(k);
    if (hit) return hit;
    let r: TraceResult;
    try {
      r = trace(entry.loaded.cluster, q);
    } catch (e) {
      this.log(`trace for hover failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      r = { version: 1, query: { ...q }, source: { ip: '' }, dns: null, outcomes: [], error: 'the simulator failed (see the Kube NetSim output)' };
    }
    if (this.traces.size > 200) this.traces.clear();
    this.traces.set(k, r);
    return r;
  }
}
