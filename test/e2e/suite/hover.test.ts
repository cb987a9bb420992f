/** Hovers on addresses (what they are, where a packet goes) and on chain names. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activated, exampleUri, hoverText, positionOf, ws } from './helpers';

describe('hover', () => {
  before(async () => { await activated(); });

  it('on 10.0.0.10 in the example: both kube-dns endpoints at 50%', async () => {
    const doc = await vscode.workspace.openTextDocument(exampleUri());
    const pos = positionOf(doc, '10.0.0.10', 'services:');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const text = hoverText(hovers);
    assert.match(text, /kube-dns/);
    assert.match(text, /50%[^\n]*10\.244\.0\.2/);
    assert.match(text, /50%[^\n]*10\.244\.1\.2/);
    assert.match(text, /command:kubeNetsim\.tracePacket/);
  });

  it('on a Service address in a small topology: the endpoint it reaches, with 100%', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(ws(), 'loose', 'mini.netsim.yaml')));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '10.0.0.80'));
    const text = hoverText(hovers);
    assert.match(text, /Service default\\?\/web/);
    assert.match(text, /100%[^\n]*10\.244\.1\.3/);
  });

  it('on a chain name in a dump: rule count and who jumps to it', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(ws(), 'loose', 'node-a', 'iptables-save.txt')));
    assert.equal(doc.languageId, 'iptables-save');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'KUBE-SVC-WEB', '-A'));
    const text = hoverText(hovers);
    assert.match(text, /1 rule\b/);
    assert.match(text, /KUBE-SERVICES/);
  });
});
