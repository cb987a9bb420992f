/** The Trace Packet command called with arguments (no UI): it returns the TraceResult and opens the trace view. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TraceResult } from '../../../src/core/sim/types';
import { activated, exampleUri, waitForEvent, ws, type Api } from './helpers';

describe('trace command', () => {
  before(async () => { await activated(); });

  it('traces ubuntu → 10.0.0.10:53/udp in the example: two kube-dns endpoints, 50% each', async () => {
    const r = await vscode.commands.executeCommand<TraceResult>('kubeNetsim.tracePacket', { topology: exampleUri().fsPath, from: 'ubuntu', to: '10.0.0.10', protocol: 'udp', port: 53 });
    assert.ok(r, 'a result');
    assert.equal(r.error, undefined);
    const delivered = r.outcomes.filter((o) => o.disposition === 'delivered').map((o) => [o.delivered?.ip, o.probability]).sort();
    assert.deepEqual(delivered, [['10.244.0.2', 0.5], ['10.244.1.2', 0.5]]);
    // The tab model reaches the extension host after the panel is created: wait for it.
    const isOpen = () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('kubeNetsim.trace')));
    if (!isOpen()) await waitForEvent(vscode.window.tabGroups.onDidChangeTabs, isOpen, 'the trace view tab');
  });

  it('resolves a Service DNS name the way the pod would, then traces the connection', async () => {
    const r = await vscode.commands.executeCommand<TraceResult>('kubeNetsim.tracePacket', { topology: exampleUri().fsPath, from: 'default/ubuntu', to: 'kube-dns.kube-system:53', protocol: 'udp' });
    assert.deepEqual(r.dns?.resolved, ['10.0.0.10']);
    assert.equal(r.dns?.queries[0].name, 'kube-dns.kube-system.default.svc.cluster.local.');
    assert.deepEqual(r.outcomes.map((o) => o.delivered?.ip).sort(), ['10.244.0.2', '10.244.1.2']);
  });

  it('accepts ip:port in `to` and traces through a file-backed node', async () => {
    const topology = path.join(ws(), 'loose', 'mini.netsim.yaml');
    const r = await vscode.commands.executeCommand<TraceResult>('kubeNetsim.tracePacket', { topology, from: 'client', to: '10.0.0.80:80', protocol: 'tcp' });
    assert.equal(r.query.port, 80);
    assert.deepEqual(r.outcomes.map((o) => [o.disposition, o.delivered?.ip]), [['delivered', '10.244.1.3']]);
    const dnat = r.outcomes[0].hops.find((h) => /\bDNAT\b/.test(h.text));
    assert.ok(dnat?.origin, 'the DNAT hop points at its line');
    assert.match(dnat.origin.file, /node-a\/iptables-save\.txt$/);
  });
});

describe('import command', () => {
  let api: Api;
  before(async () => { api = await activated(); });

  it('saves pasted route -n output next to the topology and points the node at it', async () => {
    const topology = path.join(ws(), 'loose', 'mini.netsim.yaml');
    const text = 'Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n0.0.0.0         10.240.0.1      0.0.0.0         UG    0      0        0 eth0\n10.240.0.0      0.0.0.0         255.255.255.0   U     0      0        0 eth0\n10.244.1.0      0.0.0.0         255.255.255.0   U     0      0        0 cbr0\n';
    const saved = await vscode.commands.executeCommand<vscode.Uri>('kubeNetsim.importCommandOutput', { topology, host: 'node-b', text });
    assert.ok(saved, 'a file was saved');
    assert.equal(path.relative(path.dirname(topology), saved.fsPath), path.join('node-b', 'route-n.txt'));
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(saved)).toString('utf8'), text);
    const doc = await vscode.workspace.openTextDocument(topology);
    assert.match(doc.getText(), /- name: node-b\n {6}ip: 10\.240\.0\.5\n {6}podCIDR: 10\.244\.1\.0\/24\n {6}routes: \{file: node-b\/route-n\.txt\}\n/);
    assert.equal(doc.isDirty, true, 'the topology edit is left for the user to save (or undo)');
    // The unsaved edit already counts: the new routes file is now one of the topology's sources.
    await waitForEvent(api.onDidPublishDiagnostics, (uris) => uris.some((u) => u.fsPath === saved.fsPath), 'a check that reads the imported file');
  });
});

describe('new topology from kubectl output', () => {
  before(async () => { await activated(); });

  it('creates a topology file with the nodes, pods and Services, and opens it', async () => {
    const text = [
      'NAME          STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION   CONTAINER-RUNTIME',
      'k8s-agent-0   Ready    agent    4h    v1.7.7    10.240.0.4    <none>        Ubuntu 16.04.3 LTS   4.11.0           docker://1.12.6',
      '',
      'NAMESPACE     NAME                            READY   STATUS    RESTARTS   AGE   IP           NODE',
      'kube-system   kube-dns-v20-3003781527-lc299   3/3     Running   0          4h    10.244.0.2   k8s-agent-0',
      '',
      'NAMESPACE     NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)         AGE',
      'kube-system   kube-dns   ClusterIP   10.0.0.10    <none>        53/UDP,53/TCP   4h',
    ].join('\n');
    const target = path.join(ws(), 'from-kubectl.netsim.yaml');
    assert.ok(!fs.existsSync(target));
    const uri = await vscode.commands.executeCommand<vscode.Uri>('kubeNetsim.newTopologyFromKubectl', { text, path: target });
    assert.equal(uri?.fsPath, target);
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.fsPath, target);
    assert.match(doc.getText(), /- name: k8s-agent-0\n {6}ip: 10\.240\.0\.4\n {6}podCIDR: 10\.244\.0\.0\/24/);
    assert.match(doc.getText(), /namespace: kube-system\n {6}clusterIP: 10\.0\.0\.10/);
    const again = await vscode.commands.executeCommand<vscode.Uri | undefined>('kubeNetsim.newTopologyFromKubectl', { text, path: target });
    assert.equal(again, undefined, 'an existing file is not overwritten');
  });
});
