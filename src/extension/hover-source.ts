/**
 * The source hovers trace from, picked per topology from a hover's link and
 * remembered in the workspace state (so a reload keeps it); the
 * `kubeNetsim.defaultSource` setting and the first pod are the fallbacks.
 */
import * as vscode from 'vscode';
import { boundaryOf, type WorkspaceState } from './workspace';

const KEY = 'kubeNetsim.hoverSource';

/** The picked sources, by topology path. */
export class HoverSources {
  constructor(private readonly state: vscode.Memento, private readonly ws: WorkspaceState) {}

  /** The source picked for `topology`, if any. */
  get(topology: string | undefined): string | undefined {
    return topology ? this.state.get<Record<string, string>>(KEY, {})[topology] : undefined;
  }

  /** Asks which source hovers in `topology` trace from, and remembers it. Args: `{topology, from?}` (`from` skips the question). */
  async pick(raw: unknown): Promise<string | undefined> {
    const a = (typeof raw === 'object' && raw !== null ? raw : {}) as { topology?: unknown; from?: unknown };
    const active = vscode.window.activeTextEditor?.document.uri;
    const topology = typeof a.topology === 'string' ? a.topology : active ? this.ws.topologyOf(active) : undefined;
    if (!topology) { void vscode.window.showWarningMessage('Kube NetSim: open a topology (or a file it reads) to pick the source its hovers trace from.'); return undefined; }
    let from = typeof a.from === 'string' && a.from.trim() ? a.from.trim() : undefined;
    if (!from) {
      const items = await this.ws.client.request('pickItems', { topology, root: boundaryOf(vscode.Uri.file(topology)) });
      if (!items) return undefined;
      const current = this.get(topology);
      const pick = await vscode.window.showQuickPick(items.sources.map((s) => ({ label: s.label, description: [s.description, s.value === current ? '(current)' : ''].filter(Boolean).join(' '), detail: s.detail, value: s.value })), {
        title: 'Hovers trace from',
        placeHolder: `The source hovers in ${vscode.workspace.asRelativePath(topology)} trace from`,
        matchOnDescription: true,
      });
      from = pick?.value;
    }
    if (!from) return undefined;
    await this.state.update(KEY, { ...this.state.get<Record<string, string>>(KEY, {}), [topology]: from });
    void vscode.window.setStatusBarMessage(`Kube NetSim: hovers trace from ${from}`, 4000);
    return from;
  }
}
