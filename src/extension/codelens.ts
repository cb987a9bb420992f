/** CodeLenses in a topology: "Trace from here…" on each pod, "Trace to …" on each Service (computed at each check). */
import * as vscode from 'vscode';
import { boundaryOf, type WorkspaceState } from './workspace';

/** The topology CodeLens provider. */
export class TopologyCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly ws: WorkspaceState) {}

  /** Asks the editor to ask again (after a check changed the topology). */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    await this.ws.sync(doc);
    const res = await this.ws.client.request('checkTopology', { path: doc.uri.fsPath, root: boundaryOf(doc.uri) });
    return res.lenses.map((l) => new vscode.CodeLens(
      new vscode.Range(l.line - 1, l.column - 1, l.endLine - 1, l.endColumn - 1),
      { title: l.title, command: 'kubeNetsim.tracePacket', arguments: [l.args] },
    ));
  }
}
