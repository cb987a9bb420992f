/**
 * "Kube NetSim: Trace Packet": pick a source, a destination, a protocol and a
 * port (recent choices first), run the trace, show it in the trace view, and
 * return the TraceResult (tests and other extensions call the command with
 * `{topology, from, to, protocol, port}` and read the answer).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { trace } from '../core/sim/trace';
import type { TraceQuery, TraceResult } from '../core/sim/types';
import type { TraceArgs } from './logic/hover-text';
import { readTraceArgs, withPortFromDestination } from './logic/trace-args';
import { sourceItems, destinationItems, withRecent, remember, splitHostPort, type PickItem } from './logic/quick-picks';
import { isTopologyPath, type TopologyStore, type TopologyEntry } from './topology-store';
import { TracePanel, type TraceShown } from './trace-panel';

const RECENT_FROM = 'kubeNetsim.recent.from';
const RECENT_TO = 'kubeNetsim.recent.to';

/** Runs a query against a loaded topology; never throws. */
export function runTrace(entry: TopologyEntry, q: TraceQuery, log: (m: string) => void): TraceShown {
  let r: TraceResult;
  try {
    r = trace(entry.loaded.cluster, q);
  } catch (e) {
    log(`trace failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    r = { version: 1, query: { ...q }, source: { ip: '' }, dns: null, outcomes: [], error: 'the simulator failed (see the Kube NetSim output)' };
  }
  const problems = entry.loaded.issues.filter((i) => i.severity === 'error').map((i) => `${i.file ?? path.basename(entry.uri.fsPath)}:${i.span.line}: ${i.message}`);
  return { results: [r], cluster: entry.loaded.cluster, topology: entry.uri, problems };
}

/** The command's implementation. */
export class TraceCommand {
  constructor(private readonly ctx: vscode.ExtensionContext, private readonly store: TopologyStore, private readonly log: (m: string) => void) {}

  /** Entry point; `raw` is whatever the caller passed. */
  async run(raw?: unknown): Promise<TraceResult | undefined> {
    const args = withPortFromDestination(readTraceArgs(raw));
    const topo = await this.pickTopology(args.topology);
    if (!topo) return undefined;
    const entry = this.store.get(topo);
    if (!entry) { void vscode.window.showErrorMessage(`Kube NetSim: cannot read ${topo.fsPath}`); return undefined; }
    const q = await this.complete(entry, args);
    if (!q) return undefined;
    const shown = runTrace(entry, q, this.log);
    TracePanel.show(this.ctx.extensionUri, shown, (t, query) => this.retrace(t, query), this.log);
    return shown.results[0];
  }

  /** Re-runs a query from the trace view against the files as they are now. */
  retrace(topology: vscode.Uri, q: TraceResult['query']): TraceShown | undefined {
    const entry = this.store.get(topology);
    if (!entry) return undefined;
    const protocol = q.protocol === 'udp' || q.protocol === 'icmp' ? q.protocol : 'tcp';
    return runTrace(entry, { from: q.from, to: q.to, protocol, port: q.port }, this.log);
  }

  private async pickTopology(given: string | undefined): Promise<vscode.Uri | undefined> {
    if (given) return given.includes('://') ? vscode.Uri.parse(given) : vscode.Uri.file(path.resolve(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', given));
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && isTopologyPath(active.fsPath)) return active;
    if (active) {
      const owner = this.store.referencing(active.fsPath)[0];
      if (owner) return owner.uri;
    }
    const all = this.store.all();
    if (all.length === 0) await this.store.discover();
    const found = this.store.all();
    if (found.length === 0) { void vscode.window.showWarningMessage('Kube NetSim: no *.netsim.yaml topology in this workspace.'); return undefined; }
    if (found.length === 1) return found[0];
    const pick = await vscode.window.showQuickPick(found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { placeHolder: 'Topology to trace in' });
    return pick?.uri;
  }

  private async complete(entry: TopologyEntry, a: TraceArgs): Promise<TraceQuery | undefined> {
    const t = entry.loaded.topology;
    const state = this.ctx.workspaceState;
    const from = a.from ?? (await pickOrType('Where does the packet start? (pod, node, or an address)', withRecent(sourceItems(t), state.get<string[]>(RECENT_FROM, []))))?.value;
    if (!from) return undefined;
    let to = a.to;
    let protocol = a.protocol;
    let port = a.port;
    if (!to) {
      const item = await pickOrType('Where to? (Service, pod, A.B.C.D:PORT or a DNS name)', withRecent(destinationItems(t), state.get<string[]>(RECENT_TO, [])));
      if (!item) return undefined;
      const hp = splitHostPort(item.value);
      to = hp.to;
      port = port ?? item.port ?? hp.port;
      protocol = protocol ?? item.protocol;
      await state.update(RECENT_TO, remember(state.get<string[]>(RECENT_TO, []), item.value));
    }
    if (!protocol) {
      const p = await vscode.window.showQuickPick(['tcp', 'udp', 'icmp'], { placeHolder: 'Protocol' });
      if (p !== 'tcp' && p !== 'udp' && p !== 'icmp') return undefined;
      protocol = p;
    }
    if (port === undefined && protocol !== 'icmp') {
      const s = await vscode.window.showInputBox({ prompt: 'Destination port', value: '80', validateInput: (v) => (/^\d{1,5}$/.test(v) && Number(v) <= 65535 ? undefined : 'a port number, 0–65535') });
      if (s === undefined) return undefined;
      port = Number(s);
    }
    await state.update(RECENT_FROM, remember(state.get<string[]>(RECENT_FROM, []), from));
    return { from, to, protocol, port };
  }
}

const GROUP_LABEL: Record<PickItem['group'], string> = { recent: 'recent', pod: 'pods', node: 'nodes', router: 'routers', host: 'hosts', service: 'Services' };

/** A quick pick that also accepts what the user typed (an address, a name). */
async function pickOrType(placeHolder: string, items: PickItem[]): Promise<PickItem | undefined> {
  type Q = vscode.QuickPickItem & { item?: PickItem };
  const qp = vscode.window.createQuickPick<Q>();
  const base: Q[] = [];
  let group: string | undefined;
  for (const i of items) {
    if (i.group !== group) { group = i.group; base.push({ label: GROUP_LABEL[i.group], kind: vscode.QuickPickItemKind.Separator }); }
    base.push({ label: i.label, description: i.description, detail: i.detail, item: i });
  }
  qp.placeholder = placeHolder;
  qp.matchOnDescription = true;
  qp.items = base;
  qp.onDidChangeValue((v) => {
    const typed = v.trim();
    qp.items = typed && !items.some((i) => i.value === typed) ? [{ label: typed, description: 'as typed', item: { label: typed, value: typed, group: 'recent' } }, ...base] : base;
  });
  return new Promise<PickItem | undefined>((resolve) => {
    qp.onDidAccept(() => { resolve(qp.selectedItems[0]?.item); qp.hide(); });
    qp.onDidHide(() => { resolve(undefined); qp.dispose(); });
    qp.show();
  });
}
