/** Hovers on addresses and chain names, answered by the service (it owns the parsed cluster). */
import * as vscode from 'vscode';
import { boundaryOf, type WorkspaceState } from './workspace';
import type { HoverSources } from './hover-source';

/** The hover provider for topologies and dumps. */
export class NetsimHoverProvider implements vscode.HoverProvider {
  constructor(private readonly ws: WorkspaceState, private readonly sources: HoverSources) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (doc.uri.scheme !== 'file') return undefined;
    // Cheap check first: only addresses and chain-like words can have a hover.
    const line = doc.lineAt(pos.line).text;
    if (!/[0-9A-Za-z]/.test(line.charAt(pos.character) || line.charAt(pos.character - 1))) return undefined;
    await this.ws.sync(doc);
    const topology = this.ws.topologyOf(doc.uri);
    const root = boundaryOf(topology ? vscode.Uri.file(topology) : doc.uri);
    const defaultSource = vscode.workspace.getConfiguration('kubeNetsim').get<string>('defaultSource', '');
    const pickedSource = this.sources.get(topology);
    const r = await this.ws.client.request('hover', { path: doc.uri.fsPath, root, line: pos.line, character: pos.character, languageId: doc.languageId, defaultSource, pickedSource });
    if (!r || token.isCancellationRequested) return undefined;
    const md = new vscode.MarkdownString(r.markdown);
    if (r.trusted) md.isTrusted = { enabledCommands: ['kubeNetsim.tracePacket', 'kubeNetsim.pickHoverSource'] };
    return new vscode.Hover(md, new vscode.Range(pos.line, r.start, pos.line, r.end));
  }
}
