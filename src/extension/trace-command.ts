/**
 * "Kube NetSim: Trace Packet": pick a source, a destination, a protocol and a
 * port (recent choices first), run the trace, show it in the trace view, and
 * return the TraceResult (tests and other extensions call the command with
 * `{topology, from, to, protocol, port}` and read the answer).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TraceQuery, TraceResult } from '../core/sim/types';
import type { TraceArgs } from './logic/hover-text';
import { readTraceArgs, withPortFromDestination } from './logic/trace-args';
import { withRecent, remember, splitHostPort, type PickItem } from './logic/quick-picks';
import { isTopologyPath } from './service/topologies';
import { boundaryOf, type WorkspaceState } from './workspace';
import { TracePanel, type TraceShown } from './trace-panel';

const RECENT_FROM = 'kubeNetsim.recent.from';
const RECENT_TO = 'kubeNetsim.recent.to';

/** Picks the topology a command works on: the given path, the active editor's, or the only/picked one. */
export async function pickTopology(ws: WorkspaceState, given: string | undefined, placeHolder: string): Promise<vscode.Uri | undefined> {
  if (given) return given.includes('://') ? vscode.Uri.parse(given) : vscode.Uri.file(path.resolve(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', given));
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isTopologyPath(active.fsPath)) return active;
  const owner = active ? ws.topologyOf(active) : undefined;
  if (owner) return vscode.Uri.file(owner);
  if (ws.topologies().length === 0) await ws.discover();
  const found = ws.topologies().map((p) => vscode.Uri.file(p));
  if (found.length === 0) { void vscode.window.showWarningMessage('Kube NetSim: no *.netsim.yaml topology in this workspace.'); return undefined; }
  if (found.length === 1) return found[0];
  const pick = await vscode.window.showQuickPick(found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { placeHolder });
  return pick?.uri;
}

/** The command's implementation. */
export class TraceCommand {
  constructor(private readonly ctx: vscode.ExtensionContext, private readonly ws: WorkspaceState, private readonly log: (m: string) => void) {}

  /** Entry point; `raw` is whatever the caller passed. */
  async run(raw?: unknown): Promise<TraceResult | undefined> {
    const args = withPortFromDestination(readTraceArgs(raw));
    const topo = await pickTopology(this.ws, args.topology, 'Topology to trace in');
    if (!topo) return undefined;
    await this.ws.syncAll();
    const items = await this.ws.client.request('pickItems', { topology: topo.fsPath, root: boundaryOf(topo) });
    if (!items) { void vscode.window.showErrorMessage(`Kube NetSim: cannot read ${topo.fsPath}`); return undefined; }
    const q = await this.complete(items, args);
    if (!q) return undefined;
    const shown = await this.runTrace(topo, q);
    if (!shown) return undefined;
    TracePanel.show(this.ctx.extensionUri, shown, (t, query) => this.retrace(t, query), this.log);
    return shown.results[0];
  }

  /** Runs a query in the service. */
  private async runTrace(topo: vscode.Uri, q: TraceQuery): Promise<TraceShown | undefined> {
    const a = await this.ws.client.request('trace', { topology: topo.fsPath, root: boundaryOf(topo), query: q });
    if ('error' in a) { void vscode.window.showErrorMessage(`Kube NetSim: ${a.error}`); return undefined; }
    return { results: [a.result], view: a.view, topology: topo, problems: a.problems };
  }

  /** Re-runs a query from the trace view against the files as they are now. */
  async retrace(topology: vscode.Uri, q: TraceResult['query']): Promise<TraceShown | undefined> {
    await this.ws.syncAll();
    const protocol = q.protocol === 'udp' || q.protocol === 'icmp' ? q.protocol : 'tcp';
    return this.runTrace(topology, { from: q.from, to: q.to, protocol, port: q.port });
  }

  private async complete(items: { sources: PickItem[]; destinations: PickItem[] }, a: TraceArgs): Promise<TraceQuery | undefined> {
    const state = this.ctx.workspaceState;
    const from = a.from ?? (await pickOrType('Where does the packet start? (pod, node, or an address)', withRecent(items.sources, state.get<string[]>(RECENT_FROM, []))))?.value;
    if (!from) return undefined;
    let to = a.to;
    let protocol = a.protocol;
    let port = a.port;
    if (!to) {
      const item = await pickOrType('Where to? (Service, pod, A.B.C.D:PORT or a DNS name)', withRecent(items.destinations, state.get<string[]>(RECENT_TO, [])));
      if (!item) return undefined;
      const hp = splitHostPort(item.value);
      to = hp.to;
      port = port ?? item.port ?? hp.port;
      protocol = protocol ?? item.protocol;
      await state.update(RECENT_TO, remember(state.get<string[]>(RECENT_TO, []), item.value));
    }
    if (!protocol || (port === undefined && protocol !== 'icmp')) {
      // The destination's own ports first (a Service's), each with its protocol.
      const own = items.destinations.filter((d) => d.group === 'service' && d.port !== undefined && splitHostPort(d.value).to === to
        && (!protocol || d.protocol === protocol) && (port === undefined || d.port === port));
      if (own.length) {
        type Q = vscode.QuickPickItem & { item?: PickItem };
        const picked = await vscode.window.showQuickPick<Q>([
          ...own.map((d) => ({ label: `${d.port}/${d.protocol?.toUpperCase()}`, description: d.label, detail: d.detail, item: d })),
          { label: 'Another protocol or port…' },
        ], { title: `Trace to ${to}`, placeHolder: `Which of ${to}'s ports?` });
        if (!picked) return undefined;
        if (picked.item) { protocol = picked.item.protocol; port = picked.item.port; }
      }
    }
    if (!protocol) {
      type P = vscode.QuickPickItem & { value: 'tcp' | 'udp' | 'icmp' };
      const p = await vscode.window.showQuickPick<P>([
        { label: 'TCP', description: 'a connection: SYN, then the reply', value: 'tcp' },
        { label: 'UDP', description: 'one datagram (DNS, for example)', value: 'udp' },
        { label: 'ICMP', description: 'an echo request (ping)', value: 'icmp' },
      ], { title: `Trace to ${to}: protocol`, placeHolder: 'Protocol of the packet' });
      if (!p) return undefined;
      protocol = p.value;
    }
    if (port === undefined && protocol !== 'icmp') {
      const s = await vscode.window.showInputBox({ title: `Trace to ${to}: ${protocol.toUpperCase()} port`, prompt: `Destination ${protocol.toUpperCase()} port`, placeHolder: 'a port number, e.g. 80', validateInput: (v) => (/^\d{1,5}$/.test(v) && Number(v) <= 65535 ? undefined : 'a port number, 0–65535') });
      if (s === undefined) return undefined;
      port = Number(s);
    }
    await state.update(RECENT_FROM, remember(state.get<string[]>(RECENT_FROM, []), from));
    return { from, to, protocol, port };
  }
}

const GROUP_LABEL: Record<PickItem['group'], string> = { recent: 'recent', pod: 'pods', node: 'nodes', router: 'routers', host: 'hosts', service: 'Services', dns: 'Services by DNS name' };

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
