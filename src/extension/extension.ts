/**
 * The extension's entry: registers diagnostics, hovers, chain navigation, the
 * outline, CodeLenses, the trace view and the commands, all into
 * `context.subscriptions`. Parsing and tracing run in a worker thread (the
 * service). Activation is timed (output channel "Kube NetSim") and a failure is
 * shown to the user instead of leaving a silent half-extension.
 */
import { QuickFixProvider } from './quick-fix';
import * as vscode from 'vscode';
import { ServiceClient } from './service/client';
import { DUMP_LANGUAGES, IPTABLES_LANGUAGES } from './service/dumps';
import { isTopologyPath } from './service/topologies';
import type { Methods } from './service/protocol';
import { WorkspaceState } from './workspace';
import { DiagnosticsManager } from './diagnostics';
import { NetsimHoverProvider } from './hover-provider';
import { HoverSources } from './hover-source';
import { BuiltinTargetPages, ChainDefinitionProvider, ChainReferenceProvider, DumpSymbolProvider, TARGET_SCHEME } from './chain-navigation';
import { TraceCommand } from './trace-command';
import { TracePanel, TRACE_VIEW_TYPE } from './trace-panel';
import { detectLanguage } from './language-detect';
import { TopologyCodeLensProvider } from './codelens';
import { ImportCommand } from './import-command';
import { newTopologyFromKubectl } from './new-topology-command';
import type { TraceResult } from '../core/sim/types';

/** What the extension exports to tests and other extensions. */
export interface KubeNetsimApi {
  /** Resolves when activation has scanned the workspace and published the first diagnostics. */
  ready: Promise<void>;
  /** Fires with the files whose diagnostics were just published. */
  onDidPublishDiagnostics: vscode.Event<vscode.Uri[]>;
  /** Parse and load counts of the service (unchanged versions are never parsed twice). */
  stats(): Promise<Methods['stats']['result']>;
  /** Whether parsing runs in a worker thread. */
  threaded: boolean;
  /** The result of the last trace run from the command. */
  lastTrace(): TraceResult | undefined;
}

const TOPOLOGY_SELECTOR: vscode.DocumentFilter = { scheme: 'file', pattern: '**/*.netsim.yaml' };

/** Activates the extension. */
export function activate(context: vscode.ExtensionContext): KubeNetsimApi | undefined {
  const t0 = performance.now();
  const out = vscode.window.createOutputChannel('Kube NetSim');
  context.subscriptions.push(out);
  const log = (m: string): void => out.appendLine(`[${new Date().toISOString().slice(11, 23)}] ${m}`);
  try {
    const api = register(context, log);
    log(`activated in ${(performance.now() - t0).toFixed(1)} ms (${api.threaded ? 'parsing in a worker thread' : 'parsing in the extension host'})`);
    return api;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    log(`activation failed: ${e instanceof Error ? e.stack ?? msg : msg}`);
    void vscode.window.showErrorMessage(`Kube NetSim failed to start: ${msg}`, 'Show log').then((c) => { if (c) out.show(); });
    return undefined;
  }
}

function register(context: vscode.ExtensionContext, log: (m: string) => void): KubeNetsimApi {
  const subs = context.subscriptions;
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
  const client = new ServiceClient(vscode.Uri.joinPath(dist, 'netsim-worker.js').fsPath, log, process.env.KUBE_NETSIM_IN_PROCESS === '1', vscode.Uri.joinPath(dist, 'extension.js').fsPath);
  subs.push({ dispose: () => client.dispose() });
  const ws = new WorkspaceState(client);
  const diagnostics = new DiagnosticsManager(ws, log);
  const codeLens = new TopologyCodeLensProvider(ws);
  const traceCmd = new TraceCommand(context, ws, log);
  const importCmd = new ImportCommand(ws, log);
  const hoverSources = new HoverSources(context.workspaceState, ws);
  let last: TraceResult | undefined;
  subs.push(diagnostics, diagnostics.onDidCheckTopology(() => codeLens.refresh()));

  const dumpSelectors: vscode.DocumentFilter[] = Object.keys(DUMP_LANGUAGES).map((language) => ({ scheme: 'file', language }));
  const iptablesSelectors: vscode.DocumentFilter[] = IPTABLES_LANGUAGES.map((language) => ({ scheme: 'file', language }));
  subs.push(
    vscode.languages.registerHoverProvider([TOPOLOGY_SELECTOR, ...dumpSelectors], new NetsimHoverProvider(ws, hoverSources)),
    vscode.languages.registerDefinitionProvider(iptablesSelectors, new ChainDefinitionProvider(ws)),
    vscode.workspace.registerTextDocumentContentProvider(TARGET_SCHEME, new BuiltinTargetPages()),
    vscode.languages.registerReferenceProvider(iptablesSelectors, new ChainReferenceProvider(ws)),
    vscode.languages.registerDocumentSymbolProvider([...iptablesSelectors, { scheme: 'file', language: 'route-table' }], new DumpSymbolProvider(ws)),
    vscode.languages.registerCodeLensProvider(TOPOLOGY_SELECTOR, codeLens),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new QuickFixProvider(), { providedCodeActionKinds: QuickFixProvider.kinds }),
    vscode.commands.registerCommand('kubeNetsim.tracePacket', async (args?: unknown) => {
      const r = await traceCmd.run(args);
      if (r) last = r;
      return r;
    }),
    vscode.commands.registerCommand('kubeNetsim.importCommandOutput', (args?: unknown) => importCmd.run(args)),
    vscode.commands.registerCommand('kubeNetsim.pickHoverSource', (args?: unknown) => hoverSources.pick(args)),
    vscode.commands.registerCommand('kubeNetsim.newTopologyFromKubectl', (args?: unknown) => newTopologyFromKubectl(args, log)),
    vscode.window.registerWebviewPanelSerializer(TRACE_VIEW_TYPE, TracePanel.serializer(context.extensionUri, (t, q) => traceCmd.retrace(t, q), log, () => {
      // A restored view has results but no topology: take the active editor's, else the workspace's only one.
      const active = vscode.window.activeTextEditor?.document.uri;
      const fromActive = active ? ws.topologyOf(active) : undefined;
      const all = ws.topologies();
      const p = fromActive ?? (all.length === 1 ? all[0] : undefined);
      return p ? vscode.Uri.file(p) : undefined;
    })),
    vscode.workspace.onDidOpenTextDocument((d) => { void detectLanguage(d, log); diagnostics.onEdit(d); }),
    vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length > 0) diagnostics.onEdit(e.document); }),
    vscode.workspace.onDidSaveTextDocument((d) => diagnostics.onEdit(d)),
    vscode.workspace.onDidCloseTextDocument((d) => { diagnostics.onClose(d); void ws.closed(d); }),
  );

  const watcher = vscode.workspace.createFileSystemWatcher('**/*.netsim.yaml');
  const recheck = (u: vscode.Uri): void => { diagnostics.checkTopology(u).catch((e: unknown) => log(`check of ${u.fsPath} failed: ${String(e)}`)); };
  subs.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('kubeNetsim.lint.severity')) for (const t of ws.topologies()) recheck(vscode.Uri.file(t));
  }));
  subs.push(
    watcher,
    watcher.onDidCreate(recheck),
    watcher.onDidChange((u) => { if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString() && d.isDirty)) recheck(u); }),
    watcher.onDidDelete(recheck),
  );

  // Dumps a topology reads may change on disk (a new paste saved by another tool, a git checkout).
  const anyFile = vscode.workspace.createFileSystemWatcher('**/*', true, false, false);
  subs.push(anyFile, anyFile.onDidChange((u) => diagnostics.onDiskChange(u)), anyFile.onDidDelete((u) => diagnostics.onDiskChange(u)));

  // The first pass runs after activation returns: the workspace scan must not delay it.
  const ready = (async () => {
    const t0 = performance.now();
    const found = await ws.discover();
    for (const d of vscode.workspace.textDocuments) await detectLanguage(d, log);
    for (const u of found) await diagnostics.checkTopology(u);
    for (const d of vscode.workspace.textDocuments) if (!isTopologyPath(d.uri.fsPath)) diagnostics.onEdit(d);
    log(`workspace scan: ${found.length} topologies checked in ${(performance.now() - t0).toFixed(1)} ms`);
  })().catch((e: unknown) => log(`workspace scan failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));

  return {
    ready,
    onDidPublishDiagnostics: diagnostics.onDidPublish,
    stats: () => client.request('stats', {}),
    threaded: client.threaded,
    lastTrace: () => last,
  };
}

/** Nothing to do: everything registered is in `context.subscriptions`. */
export function deactivate(): void {}
