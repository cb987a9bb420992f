/** Shared waiting and lookup helpers for the in-editor tests: wait on events, never sleep. */
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The API the extension returns from activate. */
export interface Api {
  ready: Promise<void>;
  onDidPublishDiagnostics: vscode.Event<vscode.Uri[]>;
  stats(): Promise<{ dumpParses: number; topologyLoads: number }>;
  threaded: boolean;
}

/** Activates the extension and waits for its first workspace pass. */
export async function activated(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>('kube-netsim.kube-netsim');
  if (!ext) throw new Error('extension kube-netsim.kube-netsim is not installed');
  const api = await ext.activate();
  if (!api) throw new Error('activation returned nothing (activation failed: see the Kube NetSim output)');
  await api.ready;
  return api;
}

/** The test workspace folder. */
export function ws(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder');
  return f.uri.fsPath;
}

/** The example topology in the workspace. */
export function exampleUri(): vscode.Uri {
  return vscode.Uri.file(path.join(ws(), 'azure-kubenet', 'cluster.netsim.yaml'));
}

/** Resolves when `pred` holds for the diagnostics of `uri`, re-checking on every diagnostics change. */
export function waitForDiagnostics(uri: vscode.Uri, pred: (d: readonly vscode.Diagnostic[]) => boolean, what: string, ms = 20000): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const d = vscode.languages.getDiagnostics(uri);
      if (pred(d)) { sub.dispose(); clearTimeout(timer); resolve(d); return true; }
      return false;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => { if (e.uris.some((u) => u.toString() === uri.toString())) check(); });
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out waiting for ${what}; diagnostics now: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((x) => [x.code, x.range.start.line, x.message]))}`)); }, ms);
    check();
  });
}

/** Resolves when an event fires with a value satisfying `pred`. */
export function waitForEvent<T>(ev: vscode.Event<T>, pred: (v: T) => boolean, what: string, ms = 20000): Promise<T> {
  return new Promise((resolve, reject) => {
    const sub = ev((v) => { if (pred(v)) { sub.dispose(); clearTimeout(timer); resolve(v); } });
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out waiting for ${what}`)); }, ms);
  });
}

/** The position of the first occurrence of `needle` (after `after`, if given) in a document. */
export function positionOf(doc: vscode.TextDocument, needle: string, after?: string): vscode.Position {
  const text = doc.getText();
  const from = after ? text.indexOf(after) : 0;
  const i = text.indexOf(needle, Math.max(0, from));
  if (i < 0) throw new Error(`${needle} not found in ${doc.uri.fsPath}`);
  return doc.positionAt(i + 1);
}

/** Hover contents as plain text. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}
