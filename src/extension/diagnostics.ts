/**
 * Diagnostics as you type. A topology's parse, model and lint issues land on the
 * file and line they belong to (an error inside `agent-0/iptables-save.txt`
 * shows in that file); a dump opened on its own gets its parser's issues. Work
 * is debounced per topology or dump, and a newer edit supersedes a pending one.
 */
import * as vscode from 'vscode';
import type { TopologyStore } from './topology-store';
import { isTopologyPath } from './topology-store';
import { groupByFile, toDiagnostic } from './to-diagnostic';
import { lintIssues } from './lint-adapter';
import { DumpCache, isDump } from './dump-cache';

/** Publishes every diagnostic of the extension. */
export class DiagnosticsManager implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kube-netsim');
  /** Diagnostics by producer (topology or dump URI) and then by target file URI. */
  private readonly byOwner = new Map<string, Map<string, vscode.Diagnostic[]>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri[]>();
  /** Fires with the files whose diagnostics were just published (tests wait on it instead of sleeping). */
  readonly onDidPublish = this.emitter.event;

  constructor(private readonly store: TopologyStore, readonly dumps: DumpCache, private readonly log: (m: string) => void) {}

  /** Debounce delay from the settings. */
  private delay(): number {
    return vscode.workspace.getConfiguration('kubeNetsim').get<number>('diagnostics.debounceMs', 300);
  }

  /** Schedules the checks an edit of `doc` calls for. */
  onEdit(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file') return;
    if (isTopologyPath(doc.uri.fsPath)) { this.schedule(doc.uri, () => this.checkTopology(doc.uri)); return; }
    const owners = this.store.referencing(doc.uri.fsPath);
    for (const t of owners) this.schedule(t.uri, () => this.checkTopology(t.uri));
    if (owners.length === 0 && isDump(doc)) this.schedule(doc.uri, () => this.checkDump(doc));
  }

  /** Checks a topology now (at activation, on discovery). */
  checkTopology(uri: vscode.Uri): void {
    const t0 = Date.now();
    const entry = this.store.get(uri);
    if (!entry) { this.publish(uri.toString(), new Map()); return; }
    const issues = [...entry.loaded.issues, ...lintIssues(entry.loaded, this.log)];
    const grouped = groupByFile(issues, entry.dir, uri);
    const next = new Map<string, vscode.Diagnostic[]>();
    next.set(uri.toString(), []);
    // Every referenced file gets an entry, so fixing its last problem clears it.
    for (const abs of entry.refs.keys()) next.set(vscode.Uri.file(abs).toString(), []);
    for (const [k, v] of grouped) next.set(k, v.diags);
    this.publish(uri.toString(), next);
    // The topology owns its referenced files: drop what a standalone parse said about them.
    for (const abs of entry.refs.keys()) this.publish(vscode.Uri.file(abs).toString(), new Map());
    const ms = Date.now() - t0;
    if (ms > 100) this.log(`checked ${uri.fsPath}: ${issues.length} issues in ${ms} ms`);
  }

  /** Checks a standalone dump. */
  checkDump(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const max = vscode.workspace.getConfiguration('kubeNetsim').get<number>('diagnostics.maxFileSizeMB', 64) * 1024 * 1024;
    if (doc.getText().length > max) { this.log(`${doc.uri.fsPath}: larger than diagnostics.maxFileSizeMB, not parsed`); return; }
    const parse = this.dumps.get(doc);
    const diags = parse.issues.map((i) => toDiagnostic(i, '', doc.uri));
    this.publish(doc.uri.toString(), new Map([[doc.uri.toString(), diags]]));
  }

  /** Forgets a closed standalone dump's diagnostics. */
  onClose(doc: vscode.TextDocument): void {
    if (isTopologyPath(doc.uri.fsPath)) return;
    this.dumps.delete(doc.uri);
    if (this.byOwner.has(doc.uri.toString())) this.publish(doc.uri.toString(), new Map());
  }

  private schedule(uri: vscode.Uri, work: () => void): void {
    const k = uri.toString();
    const pending = this.timers.get(k);
    if (pending) clearTimeout(pending);
    this.timers.set(k, setTimeout(() => {
      this.timers.delete(k);
      try {
        work();
      } catch (e) {
        this.log(`diagnostics for ${uri.fsPath} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      }
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
  }
}
