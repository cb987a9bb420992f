/**
 * The extension host's side of the shared state: which topologies exist, which
 * files each one reads (from its last check), and keeping the service's copy of
 * unsaved editor texts in step with the editors.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServiceClient } from './service/client';
import { isTopologyPath } from './service/topologies';

/** The workspace folder that bounds what a topology may read: its own folder when it is in no workspace folder. */
export function boundaryOf(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
}

/** Topologies, their references, and editor-text sync. */
export class WorkspaceState {
  private readonly known = new Set<string>();
  private readonly refs = new Map<string, string[]>();
  /** Per file: the document version last sent to the service, or 'disk'. */
  private readonly sent = new Map<string, number | 'disk'>();

  constructor(readonly client: ServiceClient) {}

  /** Finds every `*.netsim.yaml` in the workspace. */
  async discover(): Promise<vscode.Uri[]> {
    const found = await vscode.workspace.findFiles('**/*.netsim.yaml', '**/node_modules/**', 500);
    for (const u of found) this.known.add(u.fsPath);
    return found;
  }

  /** Known topology paths. */
  topologies(): string[] {
    return [...this.known];
  }

  /** Records a topology and the files its last check read. */
  setRefs(topology: string, refs: string[] | undefined): void {
    if (refs === undefined) { this.known.delete(topology); this.refs.delete(topology); return; }
    this.known.add(topology);
    this.refs.set(topology, refs);
  }

  /** Files the topology read at its last check. */
  refsOf(topology: string): string[] {
    return this.refs.get(topology) ?? [];
  }

  /** Topologies whose last check read `p`. */
  topologiesFor(p: string): string[] {
    return [...this.refs].filter(([, r]) => r.includes(p)).map(([t]) => t);
  }

  /** The topology a file belongs to: itself, or the first one that reads it. */
  topologyOf(uri: vscode.Uri): string | undefined {
    if (isTopologyPath(uri.fsPath)) return uri.fsPath;
    return this.topologiesFor(uri.fsPath)[0];
  }

  /** Sends the service the unsaved text of `doc` (or tells it the disk is current again). */
  async sync(doc: vscode.TextDocument): Promise<void> {
    if (doc.uri.scheme !== 'file') return;
    const p = doc.uri.fsPath;
    const want: number | 'disk' = doc.isDirty && !doc.isClosed ? doc.version : 'disk';
    if (this.sent.get(p) === want || (want === 'disk' && !this.sent.has(p))) return;
    this.sent.set(p, want);
    await this.client.request('overlay', { path: p, text: want === 'disk' ? null : doc.getText() });
  }

  /** Syncs every open editor. */
  async syncAll(): Promise<void> {
    for (const d of vscode.workspace.textDocuments) await this.sync(d);
  }

  /** Forgets a closed editor (the disk is the truth again). */
  async closed(doc: vscode.TextDocument): Promise<void> {
    if (doc.uri.scheme !== 'file' || !this.sent.has(doc.uri.fsPath)) return;
    this.sent.delete(doc.uri.fsPath);
    await this.client.request('overlay', { path: doc.uri.fsPath, text: null });
  }
}
