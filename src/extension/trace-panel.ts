/**
 * The trace view's host side: one webview panel that shows TraceResults drawn
 * over the cluster. The page is the webview bundle from dist/webview only
 * (CSP `default-src 'none'`, a crypto nonce on the one script); data goes over
 * postMessage, never into the HTML. A click on a hop opens the input line it
 * came from. After a reload the serializer re-creates the panel and the page
 * restores itself from its own saved state.
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TraceResult } from '../core/sim/types';
import { isFromWebview, type TraceMessage, type ToWebview } from '../protocol/messages';
import type { ClusterView } from '../protocol/cluster-view';
import { resolveInside } from './logic/contain-path';
import { boundaryOf } from './workspace';

/** The panel's view type (also in package.json's `onWebviewPanel` activation event). */
export const TRACE_VIEW_TYPE = 'kubeNetsim.trace';

/** What the panel shows: results, the cluster drawn behind them, and the topology they came from (to resolve hop origins). */
export interface TraceShown {
  results: TraceResult[];
  view: ClusterView;
  topology: vscode.Uri | undefined;
  problems: string[];
}

/** Re-runs a query from the view (`retrace`): returns fresh results, or undefined to ignore. */
export type Retrace = (topology: vscode.Uri, q: TraceResult['query']) => Promise<TraceShown | undefined>;

/** The topology a restored panel belongs to (its results came from the page's saved state, not from a command run). */
export type RestoredTopology = () => vscode.Uri | undefined;

/** The HTML shell: the bundle's script and stylesheet, nothing else. */
export function traceViewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = crypto.randomBytes(18).toString('base64');
  const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'style.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style.toString()}">
<title>Packet trace</title>
</head>
<body>
<main id="root" aria-busy="true"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** The single trace panel. */
export class TracePanel {
  private static current: TracePanel | undefined;
  private shown: TraceShown | undefined;
  private ready = false;

  private constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly retrace: Retrace, private readonly log: (m: string) => void, private readonly restored: RestoredTopology = () => undefined) {
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
    panel.webview.html = traceViewHtml(panel.webview, extensionUri);
    panel.onDidDispose(() => { if (TracePanel.current === this) TracePanel.current = undefined; });
    panel.webview.onDidReceiveMessage((m: unknown) => { void this.receive(m); });
  }

  /** Shows `shown` in the panel, creating or revealing it. */
  static show(extensionUri: vscode.Uri, shown: TraceShown, retrace: Retrace, log: (m: string) => void): TracePanel {
    let p = TracePanel.current;
    if (!p) {
      const panel = vscode.window.createWebviewPanel(TRACE_VIEW_TYPE, 'Packet trace', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
        enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
      });
      p = TracePanel.current = new TracePanel(panel, extensionUri, retrace, log);
    } else {
      p.panel.reveal(undefined, false);
    }
    p.shown = shown;
    p.panel.title = shown.results[0] ? `Trace ${shown.results[0].query.from} → ${shown.results[0].query.to}` : 'Packet trace';
    if (p.ready) void p.post();
    return p;
  }

  /** Serializer: re-creates the panel after a window reload; the page restores its own state. */
  static serializer(extensionUri: vscode.Uri, retrace: Retrace, log: (m: string) => void, restored: RestoredTopology): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        TracePanel.current?.panel.dispose();
        TracePanel.current = new TracePanel(panel, extensionUri, retrace, log, restored);
      },
    };
  }

  private async post(): Promise<void> {
    if (!this.shown) return;
    const msg: TraceMessage = {
      type: 'trace',
      results: this.shown.results,
      view: this.shown.view,
      problems: this.shown.problems,
    };
    await this.send(msg);
  }

  private async send(msg: ToWebview): Promise<void> {
    if (!(await this.panel.webview.postMessage(msg))) this.log('trace view did not take the message (panel hidden or disposed)');
  }

  private async receive(m: unknown): Promise<void> {
    if (!isFromWebview(m)) { this.log(`trace view sent an unknown message: ${JSON.stringify(m).slice(0, 200)}`); return; }
    switch (m.type) {
      case 'ready':
        this.ready = true;
        await this.post();
        return;
      case 'open':
        await this.open(m.file, m.line, m.column);
        return;
      case 'maximize':
        // The view's own group, made the whole window (again: back to side by side).
        this.panel.reveal(undefined, false);
        await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
        return;
      case 'retrace': {
        const topo = this.shown?.topology ?? this.restored();
        if (!topo) return;
        const next = await this.retrace(topo, m.query);
        if (next) { this.shown = next; await this.post(); }
        return;
      }
    }
  }

  /** Opens a hop's origin: `file` as written in the topology (relative to its folder), at a 1-based line. */
  private async open(file: string, line: number, column: number): Promise<void> {
    const topo = this.shown?.topology ?? this.restored();
    let uri: vscode.Uri;
    if (topo) {
      const r = resolveInside(boundaryOf(topo), path.dirname(topo.fsPath), file);
      if ('error' in r) { void vscode.window.showWarningMessage(`Kube NetSim: cannot open ${file}: ${r.error}`); return; }
      uri = vscode.Uri.file(r.path);
    } else if (path.isAbsolute(file)) {
      uri = vscode.Uri.file(file);
    } else {
      return;
    }
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const l = Math.min(Math.max(0, line - 1), doc.lineCount - 1);
      const text = doc.lineAt(l);
      // The whole input line selected and lit, in the middle of the editor: the reader sees which row it was.
      const range = new vscode.Range(l, Math.min(Math.max(column - 1, text.firstNonWhitespaceCharacterIndex), text.range.end.character), l, text.range.end.character);
      const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: range });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      highlight(editor, range);
    } catch (e) {
      void vscode.window.showWarningMessage(`Kube NetSim: cannot open ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** The line a hop click opened, lit until the next click or edit of that editor. */
const HOP_LINE = vscode.window.createTextEditorDecorationType({
  isWholeLine: true,
  backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
  borderColor: new vscode.ThemeColor('focusBorder'),
  borderStyle: 'solid',
  borderWidth: '1px 0',
  overviewRulerColor: new vscode.ThemeColor('focusBorder'),
  overviewRulerLane: vscode.OverviewRulerLane.Center,
});
let lit: vscode.TextEditor | undefined;

function highlight(editor: vscode.TextEditor, range: vscode.Range): void {
  lit?.setDecorations(HOP_LINE, []);
  editor.setDecorations(HOP_LINE, [range]);
  lit = editor;
}
