/**
 * The extension's entry: registers diagnostics, hovers, chain navigation, the
 * outline, CodeLenses, the trace view and the commands, all into
 * `context.subscriptions`. Activation is timed (output channel "Kube NetSim")
 * and a failure is shown to the user instead of leaving a silent half-extension.
 */
import * as vscode from 'vscode';
import { TopologyStore, isTopologyPath } from './topology-store';
import { DiagnosticsManager } from './diagnostics';
import { DumpCache, DUMP_LANGUAGES } from './dump-cache';
import { NetsimHoverProvider } from './hover-provider';
import { ChainDefinitionProvider, ChainReferenceProvider, DumpSymbolProvider, IPTABLES_LANGUAGES, forgetChainIndex } from './chain-navigation';
import { TraceCommand } from './trace-command';
import { TracePanel, TRACE_VIEW_TYPE } from './trace-panel';
import { detectLanguage } from './language-detect';
import { TopologyCodeLensProvider } from './codelens';
import { ImportCommand } from './import-command';
import type { TraceResult } from '../core/sim/types';

/** What the extension exports to tests and other extensions. */
export interface KubeNetsimApi {
  /** Resolves when activation has scanned the workspace and published the first diagnostics. */
  ready: Promise<void>;
  /** Fires with the files whose diagnostics were just published. */
  onDidPublishDiagnostics: vscode.Event<vscode.Uri[]>;
  /** How many standalone dump parses ran (unchanged versions are never parsed twice). */
  dumpParses(): number;
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
    log(`activated in ${(performance.now() - t0).toFixed(1)} ms`);
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
  const store = new TopologyStore(log);
  const dumps = new DumpCache();
  const diagnostics = new DiagnosticsManager(store, dumps, log);
  const codeLens = new TopologyCodeLensProvider(store);
  const traceCmd = new TraceCommand(context, store, log);
  const importCmd = new ImportCommand(store, log);
  let last: TraceResult | undefined;
  subs.push(diagnostics);

  const dumpSelectors: vscode.DocumentFilter[] = Object.keys(DUMP_LANGUAGES).map((language) => ({ language }));
  const iptablesSelectors: vscode.DocumentFilter[] = IPTABLES_LANGUAGES.map((language) => ({ language }));
  subs.push(
    vscode.languages.registerHoverProvider([TOPOLOGY_SELECTOR, ...dumpSelectors], new NetsimHoverProvider(store, log)),
    vscode.languages.registerDefinitionProvider(iptablesSelectors, new ChainDefinitionProvider()),
    vscode.languages.registerReferenceProvider(iptablesSelectors, new ChainReferenceProvider()),
    vscode.languages.registerDocumentSymbolProvider([...iptablesSelectors, { language: 'route-table' }], new DumpSymbolProvider(dumps)),
    vscode.languages.registerCodeLensProvider(TOPOLOGY_SELECTOR, codeLens),
    vscode.commands.registerCommand('kubeNetsim.tracePacket', async (args?: unknown) => {
      const r = await traceCmd.run(args);
      if (r) last = r;
      return r;
    }),
    vscode.commands.registerCommand('kubeNetsim.importCommandOutput', (args?: unknown) => importCmd.run(args)),
    vscode.window.registerWebviewPanelSerializer(TRACE_VIEW_TYPE, TracePanel.serializer(context.extensionUri, (t, q) => traceCmd.retrace(t, q), log)),
    vscode.workspace.onDidOpenTextDocument((d) => { void detectLanguage(d, log); diagnostics.onEdit(d); }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0) return;
      diagnostics.onEdit(e.document);
      if (isTopologyPath(e.document.uri.fsPath)) codeLens.refresh();
    }),
    vscode.workspace.onDidSaveTextDocument((d) => diagnostics.onEdit(d)),
    vscode.workspace.onDidCloseTextDocument((d) => { diagnostics.onClose(d); forgetChainIndex(d.uri); }),
  );

  const watcher = vscode.workspace.createFileSystemWatcher('**/*.netsim.yaml');
  subs.push(
    watcher,
    watcher.onDidCreate((u) => diagnostics.checkTopology(u)),
    watcher.onDidChange((u) => { if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString())) diagnostics.checkTopology(u); }),
    watcher.onDidDelete((u) => { store.forget(u); diagnostics.checkTopology(u); }),
  );

  // The first pass runs after activation returns: the workspace scan must not delay it.
  const ready = (async () => {
    const t0 = performance.now();
    const found = await store.discover();
    for (const u of found) diagnostics.checkTopology(u);
    for (const d of vscode.workspace.textDocuments) {
      await detectLanguage(d, log);
      if (!isTopologyPath(d.uri.fsPath)) diagnostics.onEdit(d);
    }
    log(`workspace scan: ${found.length} topologies checked in ${(performance.now() - t0).toFixed(1)} ms`);
  })().catch((e: unknown) => log(`workspace scan failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));

  return {
    ready,
    onDidPublishDiagnostics: diagnostics.onDidPublish,
    dumpParses: () => dumps.parses,
    lastTrace: () => last,
  };
}

/** Nothing to do: everything registered is in `context.subscriptions`. */
export function deactivate(): void {}
