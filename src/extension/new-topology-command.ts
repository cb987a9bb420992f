/**
 * "Kube NetSim: New Topology from kubectl Output": the selection (or clipboard)
 * holding `kubectl get nodes/pods/svc -o wide` output becomes a `*.netsim.yaml`
 * with the nodes, pods and Services it names, opened for the user to complete.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseKubectl } from '../core/parse/kubectl/parse-kubectl';
import { topologyFromKubectl } from './logic/topology-from-kubectl';

/** Arguments tests pass: `{text, path}` (absolute path of the file to create). */
function readArgs(x: unknown): { text?: string; path?: string } {
  if (typeof x !== 'object' || x === null) return {};
  const r = x as Record<string, unknown>;
  return { text: typeof r.text === 'string' ? r.text : undefined, path: typeof r.path === 'string' ? r.path : undefined };
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
    try {
      await vscode.workspace.fs.stat(target);
      log(`${a.path} exists; not overwritten`);
      void vscode.window.showWarningMessage(`Kube NetSim: ${a.path} exists; not overwritten.`);
      return undefined;
    } catch {
      // Does not exist: good.
    }
  } else {
    target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, 'cluster.netsim.yaml') : undefined, filters: { 'Kube NetSim topology': ['netsim.yaml'] }, title: 'Save the new topology' });
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
