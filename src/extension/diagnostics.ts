/**
 * Diagnostics as you type. A topology's parse, model and lint issues land on the
 * file and line they belong to (an error inside `agent-0/iptables-save.txt`
 * shows in that file); a dump opened on its own gets its parser's issues. Work
 * is debounced per topology or dump; a newer edit supersedes a pending one, and
 * an answer that arrives after a newer request was made is dropped.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { forgetFixes, severityOverrides, toDiagnostic } from './to-diagnostic';
import { DUMP_LANGUAGES } from './service/dumps';
import { isTopologyPath } from './service/topologies';
import { boundaryOf, type WorkspaceState } from './workspace';
import type { FileIssue } from './service/protocol';

/** Publishes every diagnostic of the extension. */
export class DiagnosticsManager implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kube-netsim');
  /** Diagnostics by producer (topology or dump path) and then by target file URI. */
  private readonly byOwner = new Map<string, Map<string, vscode.Diagnostic[]>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly generation = new Map<string, number>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri[]>();
  private readonly checked = new vscode.EventEmitter<string>();
  /** Fires with the files whose diagnostics were just published (tests wait on it instead of sleeping). */
  readonly onDidPublish = this.emitter.event;
  /** Fires with a topology path after each check (CodeLenses refresh on it). */
  readonly onDidCheckTopology = this.checked.event;

  constructor(private readonly ws: WorkspaceState, private readonly log: (m: string) => void) {}

  private delay(): number {
    return vscode.workspace.getConfiguration('kubeNetsim').get<number>('diagnostics.debounceMs', 300);
  }

  /** Schedules the checks an edit of `doc` calls for. */
  onEdit(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file') return;
    const p = doc.uri.fsPath;
    if (isTopologyPath(p)) { this.schedule(p, () => this.checkTopology(doc.uri)); return; }
    const owners = this.ws.topologiesFor(p);
    for (const t of owners) this.schedule(t, () => this.checkTopology(vscode.Uri.file(t)));
    if (owners.length === 0 && doc.languageId in DUMP_LANGUAGES) this.schedule(p, () => this.checkDump(doc));
  }

  /** A file changed on disk (not through an editor): re-check the topologies that read it. */
  onDiskChange(uri: vscode.Uri): void {
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.isDirty)) return;
    for (const t of this.ws.topologiesFor(uri.fsPath)) this.schedule(t, () => this.checkTopology(vscode.Uri.file(t)));
  }

  /** Checks a topology now. */
  async checkTopology(uri: vscode.Uri): Promise<void> {
    const p = uri.fsPath;
    const gen = this.bump(p);
    const t0 = Date.now();
    await this.ws.syncAll();
    const res = await this.ws.client.request('checkTopology', { path: p, root: boundaryOf(uri) });
    if (this.generation.get(p) !== gen) return;
    this.ws.setRefs(p, res.ok ? res.refs : undefined);
    const next = new Map<string, vscode.Diagnostic[]>();
    if (res.ok) {
      // Every file read gets an entry, so fixing its last problem clears it.
      next.set(uri.toString(), []);
      for (const r of res.refs) next.set(vscode.Uri.file(r).toString(), []);
      for (const k of next.keys()) forgetFixes(k);
      const overrides = severityOverrides();
      for (const i of res.issues) {
        const k = vscode.Uri.file(i.path).toString();
        if (!next.has(k)) next.set(k, []);
        const d = toDiagnostic(i, path.dirname(p), vscode.Uri.file(i.path), overrides);
        if (d) next.get(k)!.push(d);
      }
    }
    this.publish(p, next);
    // The topology owns its referenced files: drop what a standalone parse said about them.
    for (const r of res.refs) if (this.byOwner.has(r)) this.publish(r, new Map());
    this.checked.fire(p);
    const ms = Date.now() - t0;
    if (ms > 300) this.log(`checked ${p}: ${res.issues.length} issues in ${ms} ms`);
  }

  /** Checks a standalone dump now. */
  async checkDump(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return;
    const p = doc.uri.fsPath;
    const gen = this.bump(p);
    await this.ws.sync(doc);
    const res = await this.ws.client.request('checkDump', { path: p, languageId: doc.languageId });
    if (this.generation.get(p) !== gen || doc.isClosed) return;
    forgetFixes(doc.uri.toString());
    const overrides = severityOverrides();
    const diags = res.issues.flatMap((i) => toDiagnostic(i as FileIssue, path.dirname(p), doc.uri, overrides) ?? []);
    this.publish(p, new Map([[doc.uri.toString(), diags]]));
  }

  /** Forgets a closed standalone dump's diagnostics. */
  onClose(doc: vscode.TextDocument): void {
    const p = doc.uri.fsPath;
    if (isTopologyPath(p) || !this.byOwner.has(p)) return;
    this.bump(p);
    this.publish(p, new Map());
  }

  private bump(k: string): number {
    const g = (this.generation.get(k) ?? 0) + 1;
    this.generation.set(k, g);
    return g;
  }

  private schedule(k: string, work: () => Promise<void>): void {
    const pending = this.timers.get(k);
    if (pending) clearTimeout(pending);
    this.timers.set(k, setTimeout(() => {
      this.timers.delete(k);
      work().catch((e: unknown) => this.log(`diagnostics for ${k} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
    }, this.delay()));
  }

  private publish(owner: string, next: Map<string, vscode.Diagnostic[]>): void {
    const prev = this.byOwner.get(owner) ?? new Map<string, vscode.Diagnostic[]>();
    const touched = new Set([...prev.keys(), ...next.keys()]);
    if (next.size) this.byOwner.set(owner, next);
    else this.byOwner.delete(owner);
    const uris: vscode.Uri[] = [];
    for (const t of touched) {
      const all: vscode.Diagnostic[] = [];
      for (const m of this.byOwner.values()) all.push(...(m.get(t) ?? []));
      const uri = vscode.Uri.parse(t);
      this.collection.set(uri, all);
      uris.push(uri);
    }
    this.emitter.fire(uris);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.collection.dispose();
    this.emitter.dispose();
    this.checked.dispose();
  }
}
