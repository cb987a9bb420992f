/**
 * "Kube NetSim: Import Command Output": take pasted output (the selection, else
 * the clipboard), recognise its format, ask which host it came from, save it next
 * to the topology (`k8s-agent-0/iptables-save.txt`) and point the host at it with
 * a WorkspaceEdit (undoable, like any edit).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { detectFormat } from '../core/parse/text/detect';
import { importTargetOf, folderOfHost, tableOfListing } from './logic/import-target';
import { setSourceFileEdit, type HostSection } from './logic/topology-edit';
import { boundaryOf, type WorkspaceState } from './workspace';
import { pickTopology } from './trace-command';

/** Arguments tests pass: `{topology, host, text}`; what is missing is asked for. */
interface ImportArgs {
  topology?: string;
  host?: string;
  text?: string;
}

function readArgs(x: unknown): ImportArgs {
  if (typeof x !== 'object' || x === null) return {};
  const r = x as Record<string, unknown>;
  return {
    topology: typeof r.topology === 'string' ? r.topology : undefined,
    host: typeof r.host === 'string' ? r.host : undefined,
    text: typeof r.text === 'string' ? r.text : undefined,
  };
}

const SECTION: Record<string, HostSection> = { pod: 'pods', node: 'nodes', router: 'routers', host: 'hosts' };

/** The command's implementation. */
export class ImportCommand {
  constructor(private readonly ws: WorkspaceState, private readonly log: (m: string) => void) {}

  /** Runs the import; returns the saved file's URI. */
  async run(raw?: unknown): Promise<vscode.Uri | undefined> {
    const a = readArgs(raw);
    const editor = vscode.window.activeTextEditor;
    const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
    const text = a.text ?? selected ?? (await vscode.env.clipboard.readText());
    if (!text.trim()) { void vscode.window.showWarningMessage('Kube NetSim: nothing to import: select command output or copy it to the clipboard.'); return undefined; }
    const format = detectFormat(text);
    const target = format ? importTargetOf(format, tableOfListing(text)) : undefined;
    if (!format || !target) {
      void vscode.window.showWarningMessage(`Kube NetSim: ${format ? `${format} output is not a host source` : 'this does not look like iptables, route, ip addr/ifconfig or resolv.conf output'}.`);
      return undefined;
    }
    const topo = await pickTopology(this.ws, a.topology, 'Add to which topology?');
    if (!topo) return undefined;
    await this.ws.syncAll();
    const all = await this.ws.client.request('pickItems', { topology: topo.fsPath, root: boundaryOf(topo) });
    if (!all) return undefined;
    const items = all.sources.filter((i) => target.key !== 'resolvConf' || i.group === 'pod');
    const host = a.host ?? (await vscode.window.showQuickPick(items.map((i) => ({ label: i.label, description: i.detail, item: i })), { placeHolder: `Which host is this ${format} output from?` }))?.item.value;
    if (!host) return undefined;
    const item = items.find((i) => i.value === host);
    const section = item ? SECTION[item.group] : undefined;
    if (!section) { void vscode.window.showWarningMessage(`Kube NetSim: no host ${host} in ${path.basename(topo.fsPath)}.`); return undefined; }

    const rel = `${folderOfHost(host)}/${target.fileName}`;
    const fileUri = vscode.Uri.file(path.join(path.dirname(topo.fsPath), rel));
    const doc = await vscode.workspace.openTextDocument(topo);
    const te = setSourceFileEdit(doc.getText(), section, host, target.key, rel, target.table);
    if (!te) { void vscode.window.showWarningMessage(`Kube NetSim: cannot edit ${path.basename(topo.fsPath)} (YAML errors, or ${host} not found).`); return undefined; }
    const we = new vscode.WorkspaceEdit();
    we.createFile(fileUri, { overwrite: true, contents: Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8') });
    we.replace(topo, new vscode.Range(doc.positionAt(te.offset), doc.positionAt(te.offset + te.length)), te.text);
    // The topology edit stays unsaved (and undoable) like any other edit; the dump file is written at once.
    if (!(await vscode.workspace.applyEdit(we))) { void vscode.window.showErrorMessage('Kube NetSim: the import edit was not applied.'); return undefined; }
    this.log(`imported ${format} output for ${host} into ${rel}`);
    void vscode.window.showInformationMessage(`Kube NetSim: saved ${format} output as ${rel} and added it to ${host}.`);
    return fileUri;
  }
}
