/** CodeLenses in a topology: "Trace from here…" on each pod, "Trace to this Service…" on each Service. */
import * as vscode from 'vscode';
import { formatIPv4 } from '../core/net/ipv4';
import type { TopologyStore } from './topology-store';
import { rangeOf } from './to-diagnostic';

/** The topology CodeLens provider. */
export class TopologyCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly store: TopologyStore) {}

  /** Asks the editor to ask again (after an edit changed the topology). */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const entry = this.store.get(doc.uri);
    if (!entry) return [];
    const t = entry.loaded.topology;
    const topology = doc.uri.fsPath;
    const out: vscode.CodeLens[] = [];
    for (const p of t.pods) {
      out.push(new vscode.CodeLens(rangeOf(p.nameSpan), { title: 'Trace from here…', command: 'kubeNetsim.tracePacket', arguments: [{ topology, from: `${p.namespace}/${p.name}` }] }));
    }
    for (const s of t.services) {
      const port = s.ports.find((x) => x.protocol !== 'SCTP');
      const to = s.clusterIP !== undefined ? formatIPv4(s.clusterIP) : `${s.name}.${s.namespace}`;
      const args = { topology, to, protocol: port?.protocol === 'UDP' ? 'udp' : 'tcp', port: port?.port };
      out.push(new vscode.CodeLens(rangeOf(s.nameSpan), { title: `Trace to ${to}${port ? `:${port.port}/${port.protocol}` : ''}…`, command: 'kubeNetsim.tracePacket', arguments: [args] }));
    }
    return out;
  }
}
