/**
 * "Kube NetSim: New Topology from kubectl Output": the selection (or clipboard)
 * holding `kubectl get nodes/pods/svc -o wide` output becomes a `*.netsim.yaml`
 * with the nodes, pods and Services it names, opened for the user to complete.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseKubectl } from '../core/parse/kubectl/parse-kubectl';
import { topologyFromKubectl } from './logic/topology-from-kubectl';
import { asTopologyPath, freeTopologyName } from './logic/topology-file-name';

/** Arguments tests pass: `{text, path}` (absolute path of the file to create). */
function readArgs(x: unknown): { text?: string; path?: string } {
  if (typeof x !== 'object' || x === null) return {};
  const r = x as Record<string, unknown>;
  return { text: typeof r.text === 'string' ? r.text : undefined, path: typeof r.path === 'string' ? r.path : undefined };
}

async function exists(u: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(u);
    return true;
  } catch {
    return false;
  }
}

/** Runs the command; returns the created file. */
export async function newTopologyFromKubectl(raw: unknown, log: (m: string) => void): Promise<vscode.Uri | undefined> {
  const a = readArgs(raw);
  const editor = vscode.window.activeTextEditor;
  const text = a.text ?? (editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined) ?? (await vscode.env.clipboard.readText());
  const dump = parseKubectl(text).value;
  if (!dump.tables.some((t) => t.kind === 'nodes' || t.kind === 'pods' || t.kind === 'services')) {
    void vscode.window.showWarningMessage('Kube NetSim: select (or copy) the output of kubectl get nodes -o wide, kubectl get pods -A -o wide and kubectl get svc -A -o wide.');
    return undefined;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  let target: vscode.Uri | undefined;
  if (a.path) {
    target = vscode.Uri.file(a.path);
    if (await exists(target)) {
      log(`${a.path} exists; not overwritten`);
      void vscode.window.showWarningMessage(`Kube NetSim: ${a.path} exists; not overwritten.`);
      return undefined;
    }
  } else {
    const taken = folder ? new Set((await vscode.workspace.fs.readDirectory(folder)).map(([n]) => n)) : new Set<string>();
    const suggested = folder ? vscode.Uri.joinPath(folder, freeTopologyName((n) => taken.has(n))) : undefined;
    // The filter is plain `yaml`: with `netsim.yaml` some dialogs append it to a name that already ends in it.
    const chosen = await vscode.window.showSaveDialog({ defaultUri: suggested, filters: { 'Kube NetSim topology (*.netsim.yaml)': ['yaml'] }, title: 'Save the new topology' });
    target = chosen && vscode.Uri.file(asTopologyPath(chosen.fsPath));
    if (chosen && target && target.fsPath !== chosen.fsPath && (await exists(target))) {
      void vscode.window.showWarningMessage(`Kube NetSim: ${target.fsPath} exists; not overwritten.`);
      return undefined;
    }
  }
  if (!target) return undefined;
  const name = path.basename(target.fsPath).replace(/\.netsim\.yaml$/, '').replace(/[^a-z0-9-]+/gi, '-').toLowerCase() || 'cluster';
  const t = topologyFromKubectl(dump, name);
  await vscode.workspace.fs.writeFile(target, Buffer.from(t.text, 'utf8'));
  await vscode.window.showTextDocument(target);
  log(`created ${target.fsPath} from kubectl output: ${t.nodes} nodes, ${t.pods} pods, ${t.services} Services`);
  void vscode.window.showInformationMessage(`Kube NetSim: topology with ${t.nodes} nodes, ${t.pods} pods and ${t.services} Services created; add the routers and dumps kubectl cannot show.`);
  return target;
}
