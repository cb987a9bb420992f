/**
 * Hovers: on an address, what it is and where a packet to it goes from the host
 * the file belongs to (a node's dump: that node; the topology: the configured
 * default source); on a chain name in an iptables dump, its rule count and who
 * jumps to it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { trace } from '../core/sim/trace';
import type { TraceResult } from '../core/sim/types';
import { addressAt, wordAt } from './logic/ip-at';
import { describeAddress, servicePortOf } from './logic/ip-info';
import { addressHoverMarkdown, chainHoverMarkdown, type TraceArgs } from './logic/hover-text';
import { defaultSource, hostForFile } from './logic/host-of-file';
import { chainsNamed } from './logic/chain-index';
import { chainIndexOf, IPTABLES_LANGUAGES } from './chain-navigation';
import { isTopologyPath, type TopologyStore, type TopologyEntry } from './topology-store';

/** Where a hover in `doc` traces from: the host the file belongs to, or the default source. */
export function hoverSource(entry: TopologyEntry, doc: vscode.Uri): string | undefined {
  const setting = vscode.workspace.getConfiguration('kubeNetsim').get<string>('defaultSource');
  if (!isTopologyPath(doc.fsPath)) {
    const rel = entry.refs.get(doc.fsPath) ?? path.relative(entry.dir, doc.fsPath);
    const host = hostForFile(entry.loaded.topology, rel);
    if (host) return host;
  }
  return defaultSource(entry.loaded.topology, setting);
}

/** The hover provider for topologies and dumps. */
export class NetsimHoverProvider implements vscode.HoverProvider {
  private readonly traces = new Map<string, TraceResult>();

  constructor(private readonly store: TopologyStore, private readonly log: (m: string) => void) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const line = doc.lineAt(pos.line).text;
    const addr = addressAt(line, pos.character);
    if (addr) return this.addressHover(doc, pos.line, addr.text, addr.start, addr.end, addr.port);
    if (IPTABLES_LANGUAGES.includes(doc.languageId)) {
      const w = wordAt(line, pos.character);
      const chains = w ? chainsNamed(chainIndexOf(doc), w.text) : [];
      if (w && chains.length) return new vscode.Hover(new vscode.MarkdownString(chainHoverMarkdown(chains)), new vscode.Range(pos.line, w.start, pos.line, w.end));
    }
    return undefined;
  }

  private addressHover(doc: vscode.TextDocument, line: number, ip: string, start: number, end: number, port: number | undefined): vscode.Hover | undefined {
    const entry = this.store.forDocument(doc.uri);
    if (!entry) return undefined;
    const info = describeAddress(entry.loaded.cluster, ip);
    if (!info) return undefined;
    const from = hoverSource(entry, doc.uri);
    let query: TraceArgs | undefined;
    let result: TraceResult | undefined;
    if (from) {
      const svc = info.services[0] ? servicePortOf(info.services[0]) : undefined;
      const protocol = svc?.protocol ?? 'tcp';
      const p = port ?? svc?.port;
      query = { topology: entry.uri.fsPath, from, to: ip, protocol, port: p };
      result = this.traceCached(entry, { from, to: ip, protocol, port: p });
    }
    const md = new vscode.MarkdownString(addressHoverMarkdown(info, from, query, result));
    md.isTrusted = { enabledCommands: ['kubeNetsim.tracePacket'] };
    return new vscode.Hover(md, new vscode.Range(line, start, line, end));
  }

  private traceCached(entry: TopologyEntry, q: { from: string; to: string; protocol: 'tcp' | 'udp' | 'icmp'; port?: number }): TraceResult {
    const k = `${entry.uri.toString()}|${entry.key}|${q.from}|${q.to}|${q.protocol}|${q.port ?? ''}`;
    const hit = this.traces.get(k);
    if (hit) return hit;
    let r: TraceResult;
    try {
      r = trace(entry.loaded.cluster, q);
    } catch (e) {
      this.log(`trace for hover failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      r = { version: 1, query: q, source: { ip: '' }, dns: null, outcomes: [], error: 'the simulator failed (see the Kube NetSim output)' };
    }
    if (this.traces.size > 200) this.traces.clear();
    this.traces.set(k, r);
    return r;
  }
}
