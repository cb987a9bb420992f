/**
 * Lint in the editor: with the gateway's route for k8s-agent-1's pods removed
 * from a copy of the example, `unreachable-pod-cidr` appears on the gateway's
 * route table file, and its quick fix puts the route back in the table's format.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activated, waitForDiagnostics, ws } from './helpers';

describe('lint quick fix', () => {
  before(async () => { await activated(); });

  it('restores the missing gateway route from the unreachable-pod-cidr diagnostic', async () => {
    const src = path.join(ws(), 'azure-kubenet');
    const dir = path.join(ws(), 'azure-kubenet-broken');
    fs.cpSync(src, dir, { recursive: true });
    const table = path.join(dir, 'gateway-route-table.txt');
    const lines = fs.readFileSync(table, 'utf8').split('\n');
    const removed = lines.findIndex((l) => l.includes('10.244.1.0/24'));
    assert.ok(removed >= 0, 'the example table has the route');
    fs.writeFileSync(table, lines.filter((_, i) => i !== removed).join('\n'));

    const topo = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'cluster.netsim.yaml')));
    await vscode.window.showTextDocument(topo);
    const tableUri = vscode.Uri.file(table);
    const diags = await waitForDiagnostics(tableUri, (d) => d.some((x) => x.code === 'unreachable-pod-cidr'), 'unreachable-pod-cidr on the gateway table');
    const d = diags.find((x) => x.code === 'unreachable-pod-cidr')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /k8s-agent-1/);

    const doc = await vscode.workspace.openTextDocument(tableUri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', tableUri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.includes('10.244.1.0/24'));
    assert.ok(fix?.edit, `a quick fix adding 10.244.1.0/24, got: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const restored = doc.getText().split('\n').find((l) => l.includes('10.244.1.0/24'));
    assert.ok(restored, 'the route line is back');
    assert.match(restored, /\|\s*10\.244\.1\.0\/24\s*\|\s*10\.240\.0\.5\s*\|/);
    await doc.save();
    await waitForDiagnostics(tableUri, (x) => !x.some((y) => y.code === 'unreachable-pod-cidr'), 'the diagnostic cleared after the fix');
  });
});
