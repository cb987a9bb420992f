/**
 * Every topology of the workspace, loaded once per version of itself and of the
 * files it references, and the reverse map from a referenced dump to the
 * topologies that use it (so an edit in `agent-0/iptables-save.txt` re-checks
 * its topology, and a hover there knows which node the file describes).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadCluster, type LoadedCluster } from '../core/model/load';
import { workspaceReader, openText } from './workspace-reader';

/** A loaded topology and what it read. */
export interface TopologyEntry {
  uri: vscode.Uri;
  dir: string;
  /** Version key the entry was loaded at (the topology's and every referenced file's). */
  key: string;
  loaded: LoadedCluster;
  /** Referenced files: absolute path → path as written. */
  refs: Map<string, string>;
}

/** Whether a document or path is a topology file. */
export function isTopologyPath(p: string): boolean {
  return p.endsWith('.netsim.yaml');
}

function versionOf(fsPath: string): string {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === fsPath);
  if (doc) return `v${doc.version}${doc.isDirty ? '*' : ''}`;
  try {
    const st = fs.statSync(fsPath);
    return `m${st.mtimeMs}:${st.size}`;
  } catch {
    return 'missing';
  }
}

/** The workspace's topologies. */
export class TopologyStore {
  private readonly entries = new Map<string, TopologyEntry>();
  private readonly known = new Set<string>();

  constructor(private readonly log: (m: string) => void) {}

  /** Finds every `*.netsim.yaml` in the workspace. */
  async discover(): Promise<vscode.Uri[]> {
    const found = await vscode.workspace.findFiles('**/*.netsim.yaml', '**/node_modules/**', 200);
    for (const u of found) this.known.add(u.toString());
    return found;
  }

  /** Every topology known (found or opened). */
  all(): vscode.Uri[] {
    return [...this.known].map((s) => vscode.Uri.parse(s));
  }

  /** Forgets a deleted topology. */
  forget(uri: vscode.Uri): void {
    this.known.delete(uri.toString());
    this.entries.delete(uri.toString());
  }

  /** The loaded topology, re-loaded only when it or a file it read changed. */
  get(uri: vscode.Uri): TopologyEntry | undefined {
    this.known.add(uri.toString());
    const prev = this.entries.get(uri.toString());
    const key = this.keyOf(uri, prev);
    if (prev && prev.key === key) return prev;
    const text = openText(uri.fsPath) ?? readOr(uri.fsPath);
    if (text === undefined) { this.forget(uri); return undefined; }
    const refs = new Map<string, string>();
    const t0 = Date.now();
    const loaded = loadCluster(text, path.basename(uri.fsPath), workspaceReader(uri, (abs, rel) => refs.set(abs, rel)));
    const ms = Date.now() - t0;
    if (ms > 200) this.log(`loaded ${uri.fsPath} in ${ms} ms`);
    const entry: TopologyEntry = { uri, dir: path.dirname(uri.fsPath), key: '', loaded, refs };
    entry.key = this.keyOf(uri, entry);
    this.entries.set(uri.toString(), entry);
    return entry;
  }

  /** Topologies (loaded) that reference `fsPath`. */
  referencing(fsPath: string): TopologyEntry[] {
    const out: TopologyEntry[] = [];
    for (const s of this.known) {
      const e = this.entries.get(s) ?? this.get(vscode.Uri.parse(s));
      if (e && e.refs.has(fsPath)) out.push(e);
    }
    return out;
  }

  /** The topology a document belongs to: itself, or the first topology referencing it. */
  forDocument(uri: vscode.Uri): TopologyEntry | undefined {
    if (isTopologyPath(uri.fsPath)) return this.get(uri);
    const e = this.referencing(uri.fsPath)[0];
    return e ? this.get(e.uri) : undefined;
  }

  private keyOf(uri: vscode.Uri, prev: TopologyEntry | undefined): string {
    const parts = [versionOf(uri.fsPath)];
    if (prev) for (const abs of prev.refs.keys()) parts.push(versionOf(abs));
    return parts.join('|');
  }
}

function readOr(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}
