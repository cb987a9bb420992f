/** Chain navigation, the outline, and content detection for dumps whose names say nothing. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activated, positionOf, waitForEvent, ws } from './helpers';

describe('navigation', () => {
  const dump = () => vscode.Uri.file(path.join(ws(), 'loose', 'node-a', 'iptables-save.txt'));
  before(async () => { await activated(); });

  it('goes from a jump to the chain declaration', async () => {
    const doc = await vscode.workspace.openTextDocument(dump());
    const pos = positionOf(doc, 'KUBE-SVC-WEB', '-j KUBE-SVC-WEB');
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, pos);
    const line = doc.positionAt(doc.getText().indexOf(':KUBE-SVC-WEB')).line;
    assert.deepEqual(defs.map((d) => ('range' in d ? d.range : d.targetRange).start.line), [line]);
  });

  it('finds the rules that jump to a chain', async () => {
    const doc = await vscode.workspace.openTextDocument(dump());
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, positionOf(doc, 'KUBE-MARK-MASQ'));
    const lines = refs.map((r) => doc.lineAt(r.range.start.line).text);
    assert.equal(lines.filter((l) => l.includes('-j KUBE-MARK-MASQ')).length, 2);
  });

  it('outlines tables, chains and rules', async () => {
    const syms = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', dump());
    assert.deepEqual(syms.map((s) => s.name), ['nat']);
    const sep = syms[0].children.find((c) => c.name === 'KUBE-SEP-WEB1');
    assert.equal(sep?.children.length, 2);
  });

  it('gives a plain .txt dump the language its content says', async () => {
    const uri = vscode.Uri.file(path.join(ws(), 'loose', 'node1-dump.txt'));
    const changed = waitForEvent(vscode.workspace.onDidOpenTextDocument, (d) => d.uri.toString() === uri.toString() && d.languageId === 'iptables-save', 'language iptables-save');
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'iptables-save') await changed;
    const now = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    assert.equal(now?.languageId, 'iptables-save');
  });
});
