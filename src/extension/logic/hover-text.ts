/**
 * Hover contents as Markdown: what an address is and where a packet to it goes
 * (each outcome with its probability, its final endpoint and its hops, one line
 * each), and, for a chain name, how many rules it holds and who jumps to it.
 * Command links use VS Code's `command:` URIs with JSON arguments.
 */
import type { TraceResult, Outcome, Hop } from '../../core/sim/types';
import type { AddressInfo } from './ip-info';
import { addressLabel } from './ip-info';
import type { ChainInfo } from './chain-index';
import type { ChainOwner } from './chain-owner';

/** Arguments of `kubeNetsim.tracePacket`, as a command link carries them. */
export interface TraceArgs {
  /** Topology file (absolute path or URI string). */
  topology?: string;
  from?: string;
  to?: string;
  protocol?: 'tcp' | 'udp' | 'icmp';
  port?: number;
}

/** A `command:` link to a command with one argument object. */
export function commandLink(command: string, arg: object): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([arg]))}`;
}

// Markdown in hovers renders `*`, `_`, `[`, `<`…; dump text is full of them.
function esc(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
}

function pct(p: number): string {
  const v = p * 100;
  return `${Number.isInteger(v) ? v : v.toFixed(1)}%`;
}

/** The endpoint of an outcome in words: "10.244.0.2:53 (kube-system/kube-dns-…) on k8s-agent-0", or the disposition and where. */
export function outcomeEnd(o: Outcome): string {
  if (o.disposition === 'delivered' && o.delivered) {
    const d = o.delivered;
    const who = d.pod ?? d.host;
    return `delivered to ${d.ip}${d.port !== undefined ? `:${d.port}` : ''}${who ? ` (${who})` : ''}${d.node && d.node !== who ? ` on ${d.node}` : ''}`;
  }
  return `${o.disposition} at ${o.at}`;
}

function hopLine(h: Hop): string {
  const where = h.origin ? ` — ${esc(h.origin.file)}:${h.origin.line}` : '';
  return `- \`${h.kind}\` ${esc(h.host)}: ${esc(h.text)}${where}`;
}

/** Markdown for an address hover. `result` is the trace from `from`; omitted when no trace could run. */
export function addressHoverMarkdown(info: AddressInfo, from: string | undefined, query: TraceArgs | undefined, result: TraceResult | undefined, maxHops = 12): string {
  const out: string[] = [];
  out.push(`**${esc(info.ip)}** — ${esc(addressLabel(info))}`);
  for (const s of info.services) {
    const ports = s.ports.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`).join(', ');
    if (ports) out.push('', `Service ports: ${esc(ports)}; endpoints: ${s.endpoints.length}`);
  }
  for (const s of info.endpointOf) out.push('', `Endpoint of Service ${esc(`${s.namespace}/${s.name}`)}`);
  for (const r of info.ranges) out.push('', `In ${esc(r.cidr)}: ${esc(r.what)}`);
  // Links come before the hops: a long walk would push them out of the hover's visible area.
  if (query) {
    // "From here…": same source and destination, protocol and port asked for.
    const traceFrom = `[Trace from here…](${commandLink('kubeNetsim.tracePacket', { topology: query.topology, from: query.from, to: query.to })})`;
    out.push('', `${traceFrom} · [Show in trace view](${commandLink('kubeNetsim.tracePacket', query)})`);
  }
  if (result && from) {
    const q = result.query;
    out.push('', '---', '', `**From ${esc(from)}** (${q.protocol}${q.port !== undefined ? `/${q.port}` : ''}):`);
    if (result.error) out.push('', `Trace not possible: ${esc(result.error)}`);
    // Every outcome first (what a reader wants at a glance), then each one's hops.
    if (result.outcomes.length) out.push('');
    for (const o of result.outcomes) out.push(`- **${pct(o.probability)}** ${o.disposition} — ${esc(outcomeEnd(o))}`);
    result.outcomes.forEach((o, i) => {
      out.push('', `Outcome ${i + 1} (${pct(o.probability)}), ${o.hops.length} hop${o.hops.length === 1 ? '' : 's'}:`, '');
      const hops = o.hops.slice(0, maxHops);
      for (const h of hops) out.push(hopLine(h));
      if (o.hops.length > hops.length) out.push(`- … ${o.hops.length - hops.length} more in the trace view`);
    });
  }
  return out.join('\n');
}

/** Markdown for a chain-name hover; `ownerOf` names the Service port a kube-proxy chain belongs to. */
export function chainHoverMarkdown(chains: ChainInfo[], ownerOf: (c: ChainInfo) => ChainOwner | undefined = () => undefined): string {
  const out: string[] = [];
  for (const c of chains) {
    const head = `**${esc(c.name)}**${c.table ? ` (table ${esc(c.table)})` : ''}${c.policy ? `, policy ${esc(c.policy)}` : ''}`;
    out.push(head);
    const o = ownerOf(c);
    if (o) {
      const said = o.from === 'comment' ? 'the rule comments' : 'the topology\'s Services, hashed as kube-proxy does';
      out.push('', `Service **${esc(o.service)}**, port ${esc(o.port)}${o.endpoint ? `, endpoint ${esc(o.endpoint)}` : ''}: ${esc(o.role)} (from ${esc(said)})`);
    }
    out.push('', `${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}`);
    if (c.jumpedFrom.length === 0) out.push('', c.policy ? 'built-in chain (a hook calls it)' : 'no rule jumps here');
    else {
      const from = new Map<string, number>();
      for (const j of c.jumpedFrom) from.set(j.from, (from.get(j.from) ?? 0) + 1);
      out.push('', `jumped to from: ${[...from].map(([n, k]) => `${esc(n)}${k > 1 ? ` ×${k}` : ''}`).join(', ')}`);
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}
