/** The extension activates in a workspace holding a topology, without `*` activation, and registers its commands. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated } from './helpers';

describe('activation', () => {
  it('activates, parses in a worker thread, and registers its commands', async () => {
    const api = await activated();
    assert.equal(api.threaded, true, 'dist/netsim-worker.js is loaded');
    const cmds = await vscode.commands.getCommands(true);
    for (const c of ['kubeNetsim.tracePacket', 'kubeNetsim.importCommandOutput']) assert.ok(cmds.includes(c), `${c} registered`);
  });

  it('declares no * activation and supports untrusted workspaces', () => {
    const pkg = vscode.extensions.getExtension('kube-netsim.kube-netsim')!.packageJSON as { activationEvents: string[]; capabilities: { untrustedWorkspaces: { supported: boolean } } };
    assert.ok(!pkg.activationEvents.includes('*'));
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/*.netsim.yaml'));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
  });
});
