/** The Trace Packet command called with arguments (no UI): it returns the TraceResult and opens the trace view. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TraceResult } from '../../../src/core/sim/types';
import { activated, exampleUri, ws } from './helpers';

describe('trace command', () => {
  before(async () => { await activated(); });

  it('traces ubuntu → 10.0.0.10:53/udp in the example: two kube-dns endpoints, 50% each', async () => {
    const r = await vscode.commands.executeCommand<TraceResult>('kubeNetsim.tracePacket', { topology: exampleUri().fsPath, from: 'ubuntu', to: '10.0.0.10', protocol: 'udp', port: 53 });
    assert.ok(r, 'a result');
    assert.equal(r.error, undefined);
    const delivered = r.outcomes.filter((o) => o.disposition === 'delivered').map((o) => [o.delivered?.ip, o.probability]).sort();
    assert.deepEqual(delivered, [['10.244.0.2', 0.5], ['10.244.1.2', 0.5]]);
    assert.ok(vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('kubeNetsim.trace'))), 'trace view open');
  });

  it('accepts ip:port in `to` and traces through a file-backed node', async () => {
    const topology = path.join(ws(), 'loose', 'mini.netsim.yaml');
    const r = await vscode.commands.executeCommand<TraceResult>('kubeNetsim.tracePacket', { topology, from: 'client', to: '10.0.0.80:80', protocol: 'tcp' });
    assert.equal(r.query.port, 80);
    assert.deepEqual(r.outcomes.map((o) => [o.disposition, o.delivered?.ip]), [['delivered', '10.244.1.3']]);
    const dnat = r.outcomes[0].hops.find((h) => h.kind === 'nat');
    assert.ok(dnat?.origin, 'the DNAT hop points at its line');
    assert.match(dnat.origin.file, /node-a\/iptables-save\.txt$/);
  });
});
