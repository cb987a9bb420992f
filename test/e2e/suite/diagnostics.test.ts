/**
 * Diagnostics as you type: an error in a topology appears on its line and clears
 * when fixed; an error inside a referenced dump appears in that dump's file.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activated, waitForDiagnostics, waitForEvent, ws, type Api } from './helpers';

async function replaceFirst(doc: vscode.TextDocument, from: string, to: string): Promise<void> {
  const i = doc.getText().indexOf(from);
  assert.ok(i >= 0, `${from} in ${doc.uri.fsPath}`);
  const e = new vscode.WorkspaceEdit();
  e.replace(doc.uri, new vscode.Range(doc.positionAt(i), doc.positionAt(i + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(e));
}

const hasCode = (code: string, line?: number) => (d: readonly vscode.Diagnostic[]) => d.some((x) => x.code === code && (line === undefined || x.range.start.line === line));
const lacksErrors = (d: readonly vscode.Diagnostic[]) => !d.some((x) => x.severity === vscode.DiagnosticSeverity.Error);

describe('diagnostics', () => {
  const topo = () => vscode.Uri.file(path.join(ws(), 'loose', 'mini.netsim.yaml'));
  const dump = () => vscode.Uri.file(path.join(ws(), 'loose', 'node-a', 'iptables-save.txt'));

  let theApi: Api | undefined;
  const api = (): Api => theApi!;
  before(async () => { theApi = await activated(); });

  it('shows a bad address on its line in the topology and clears it when fixed', async () => {
    const doc = await vscode.workspace.openTextDocument(topo());
    await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(topo(), lacksErrors, 'a clean topology');
    const line = doc.positionAt(doc.getText().indexOf('ip: 10.240.0.5')).line;
    await replaceFirst(doc, 'ip: 10.240.0.5', 'ip: 10.240.0.500');
    const d = await waitForDiagnostics(topo(), hasCode('topology-bad-ip', line), 'topology-bad-ip on the edited line');
    assert.equal(d.find((x) => x.code === 'topology-bad-ip')!.severity, vscode.DiagnosticSeverity.Error);
    await replaceFirst(doc, 'ip: 10.240.0.500', 'ip: 10.240.0.5');
    await waitForDiagnostics(topo(), (x) => !hasCode('topology-bad-ip')(x), 'topology-bad-ip cleared');
  });

  it('shows an error inside a referenced dump in that file, and clears it', async () => {
    await vscode.workspace.openTextDocument(topo());
    const doc = await vscode.workspace.openTextDocument(dump());
    await vscode.window.showTextDocument(doc);
    const line = doc.positionAt(doc.getText().indexOf('-A KUBE-SVC-WEB')).line;
    await replaceFirst(doc, '-A KUBE-SVC-WEB -m comment', '-A KUBE-SVC-WEB -m nosuchmodule --frobnicate 1 -m comment');
    const d = await waitForDiagnostics(dump(), (x) => x.some((y) => y.range.start.line === line && String(y.code).startsWith('iptables-')), 'an iptables-* diagnostic on the edited dump line');
    assert.ok(d.length >= 1);
    // Nothing about the dump is reported on the topology itself.
    assert.ok(!vscode.languages.getDiagnostics(topo()).some((x) => String(x.code).startsWith('iptables-')));
    await replaceFirst(doc, ' -m nosuchmodule --frobnicate 1', '');
    await waitForDiagnostics(dump(), (x) => !x.some((y) => y.range.start.line === line && String(y.code).startsWith('iptables-')), 'the dump diagnostic cleared');
  });

  it('re-checks a topology when a dump it reads changes on disk, with no editor open', async () => {
    // In the existing `loose/` folder: the file watcher may not yet cover a folder created a moment ago.
    const dir = path.join(ws(), 'loose');
    const good = fs.readFileSync(dump().fsPath, 'utf8');
    const dumpFile = path.join(dir, 'disk-iptables-save.txt');
    fs.writeFileSync(dumpFile, good);
    const first = waitForEvent(api().onDidPublishDiagnostics, (uris) => uris.some((u) => u.fsPath === dumpFile), 'first check of disk.netsim.yaml', 30000);
    fs.writeFileSync(path.join(dir, 'disk.netsim.yaml'), fs.readFileSync(topo().fsPath, 'utf8').replace('{file: node-a/iptables-save.txt}', '{file: disk-iptables-save.txt}'));
    await first;
    const uri = vscode.Uri.file(dumpFile);
    const line = good.split('\n').findIndex((l) => l.startsWith('-A KUBE-SVC-WEB'));
    fs.writeFileSync(dumpFile, good.replace('-A KUBE-SVC-WEB -m comment', '-A KUBE-SVC-WEB -m nosuchmodule --frobnicate 1 -m comment'));
    await waitForDiagnostics(uri, (x) => x.some((y) => y.range.start.line === line && String(y.code).startsWith('iptables-')), 'a diagnostic after the disk change', 30000);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === dumpFile), 'the dump was never opened');
  });

  it('parses a standalone dump and never re-parses an unchanged version', async () => {
    const api = await activated();
    const uri = vscode.Uri.file(path.join(ws(), 'loose', 'node0.route-n.txt'));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'route-table');
    await vscode.window.showTextDocument(doc);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.ok(symbols && symbols.length > 3, 'routes in the outline');
    const before = (await api.stats()).dumpParses;
    await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', uri);
    assert.equal((await api.stats()).dumpParses, before, 'same version: no new parse');
  });
});
