/**
 * The editor as a person uses it (issue: a diagram readable beside the code,
 * hovers that fit, each problem said once), checked in the real extension host:
 * each problem once with one quick fix, hovers without hop lists and without a
 * self-trace, one CodeLens per Service port, chain hovers naming their Service,
 * Go to Definition on a built-in target, an outline without counters, and a
 * new topology from kubectl output that lints clean.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activated, exampleUri, hoverText, positionOf, waitForDiagnostics, ws } from './helpers';

describe('the editor as a person uses it', () => {
  before(async () => { await activated(); });

  it('a deleted gateway row is one error past the table\'s last row, with its quick fix listed once', async () => {
    const dir = path.join(ws(), 'azure-kubenet-once');
    fs.cpSync(path.join(ws(), 'azure-kubenet'), dir, { recursive: true });
    const table = path.join(dir, 'gateway-route-table.txt');
    const lines = fs.readFileSync(table, 'utf8').split('\n');
    fs.writeFileSync(table, lines.filter((l) => !l.includes('10.244.1.0/24')).join('\n'));
    const topo = vscode.Uri.file(path.join(dir, 'cluster.netsim.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(topo));
    const tableUri = vscode.Uri.file(table);
    const diags = await waitForDiagnostics(tableUri, (d) => d.some((x) => x.code === 'unreachable-pod-cidr'), 'unreachable-pod-cidr');
    const all = [...diags, ...vscode.languages.getDiagnostics(topo)].filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(all.map((d) => d.code), ['unreachable-pod-cidr'], all.map((d) => d.message).join('\n'));
    const d = all[0];
    assert.ok(d.range.isEmpty, 'an empty range past the row, not a squiggle over a correct row');
    await vscode.workspace.openTextDocument(tableUri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', tableUri, d.range, vscode.CodeActionKind.QuickFix.value);
    assert.equal(actions.filter((a) => a.title.includes('10.244.1.0/24')).length, 1, actions.map((a) => a.title).join(' | '));
  });

  it('a hover on a ClusterIP fits: one line per outcome, the source and a link to pick another, no hop list', async () => {
    const doc = await vscode.workspace.openTextDocument(exampleUri());
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '10.0.0.10', 'services:')));
    assert.match(text, /From \*\*default\/ubuntu\*\*/);
    assert.match(text, /command:kubeNetsim\.pickHoverSource/);
    assert.match(text, /\[Trace to here…\]/);
    assert.ok(!/Outcome \d|hops?:/.test(text), 'no hop list');
    assert.ok(text.split('\n').length <= 16, `short: ${text.split('\n').length} lines`);
  });

  it('a hover on the source pod\'s own address does not trace it to itself; a picked source is used and remembered', async () => {
    const doc = await vscode.workspace.openTextDocument(exampleUri());
    const own = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '10.244.0.6', 'name: ubuntu')));
    assert.match(own, /This is the address of \*\*default\/ubuntu\*\*/);
    assert.ok(!/\*\*100%\*\*/.test(own));
    await vscode.commands.executeCommand('kubeNetsim.pickHoverSource', { topology: doc.uri.fsPath, from: 'k8s-agent-1' });
    const picked = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '10.244.0.6', 'name: ubuntu')));
    assert.match(picked, /From \*\*k8s-agent-1\*\* \(picked\)/);
    await vscode.commands.executeCommand('kubeNetsim.pickHoverSource', { topology: doc.uri.fsPath, from: 'default/ubuntu' });
  });

  it('one CodeLens per Service port, with its own protocol', async () => {
    const doc = await vscode.workspace.openTextDocument(exampleUri());
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.includes('Trace to 10.0.0.10:53/UDP…'), titles.join(' | '));
    assert.ok(titles.includes('Trace to 10.0.0.10:53/TCP…'), titles.join(' | '));
  });

  it('in a dump: a hashed chain names its Service port, F12 on MASQUERADE explains it, the outline has no counters', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(ws(), 'azure-kubenet', 'k8s-agent-0', 'iptables-nat-L-n-v.txt')));
    const chain = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'KUBE-SVC-TCOU7JCQXEZGVUNU', 'Chain KUBE-SVC-TCOU7JCQXEZGVUNU').translate(0, 8)));
    assert.match(chain.replace(/\\(.)/g, '$1'), /Service \*\*kube-system\/kube-dns\*\*, port dns \(53\/UDP\)/);
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'MASQUERADE').translate(0, 2));
    const target = defs.map((x) => ('uri' in x ? x.uri : x.targetUri))[0];
    assert.equal(target?.scheme, 'kube-netsim-target');
    const page = await vscode.workspace.openTextDocument(target);
    assert.match(page.getText(), /^# MASQUERADE\n\nA built-in iptables target/);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    const rules = symbols.flatMap((c) => c.children).map((r) => r.name);
    assert.ok(rules.length > 10);
    assert.deepEqual(rules.filter((n) => /^\d+: \d/.test(n)), []);
  });

  it('New Topology from kubectl Output writes a file that lints clean but for info, pod labels carried', async () => {
    const text = [
      'NAME          STATUS   ROLES   AGE   VERSION   INTERNAL-IP   EXTERNAL-IP',
      'k8s-agent-0   Ready    agent   4h    v1.7.7    10.240.0.4    <none>',
      'k8s-agent-1   Ready    agent   4h    v1.7.7    10.240.0.5    <none>',
      '',
      'NAMESPACE     NAME                            READY   STATUS    RESTARTS   AGE   IP           NODE          LABELS',
      'kube-system   kube-dns-v20-3003781527-lc299   3/3     Running   0          4h    10.244.0.2   k8s-agent-0   k8s-app=kube-dns',
      'kube-system   kube-dns-v20-3003781527-njvzk   3/3     Running   0          4h    10.244.1.2   k8s-agent-1   k8s-app=kube-dns',
      '',
      'NAMESPACE     NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)         AGE   SELECTOR',
      'kube-system   kube-dns   ClusterIP   10.0.0.10    <none>        53/UDP,53/TCP   4h    k8s-app=kube-dns',
    ].join('\n');
    const target = path.join(ws(), 'clean-from-kubectl.netsim.yaml');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('kubeNetsim.newTopologyFromKubectl', { text, path: target });
    assert.equal(uri?.fsPath, target);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /labels: \{ k8s-app: kube-dns \}/);
    assert.match(doc.getText(), /selector: \{ k8s-app: kube-dns \}/);
    const diags = await waitForDiagnostics(uri, (d) => d.length > 0, 'the new topology checked');
    assert.deepEqual(diags.filter((d) => d.severity !== vscode.DiagnosticSeverity.Information).map((d) => `${String(d.code)}: ${d.message}`), []);
  });
});
