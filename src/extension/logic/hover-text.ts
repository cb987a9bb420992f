/**
 * Hover contents as Markdown: what an address is and where a packet to it goes
 * (each outcome with its probability and its end, one line each), and, for a
 * chain name, how many rules it holds, who jumps to it and whose Service it is.
 * Command links use VS Code's `command:` URIs with JSON arguments.
 */
import type { TraceResult, Outcome } from '../../core/sim/types';
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

/** How the hover says which source it traced from, and how to pick another. */
export interface HoverSource {
  /** The source traced from (`default/ubuntu`, `k8s-agent-0`). */
  from: string;
  /** Why this one: picked for this topology, the file's own host, or the default. */
  why: 'picked' | 'file' | 'default';
  /** The topology, for the link that picks another source. */
  topology: string;
  /** The address is the source's own: nothing was traced. */
  self?: boolean;
}

const WHY: Record<HoverSource['why'], string> = { picked: 'picked', file: 'this file\'s host', default: 'default' };

/**
 * Markdown for an address hover, short enough to read without scrolling: what
 * the address is, one line per outcome of the trace from the source, the source
 * and a link to pick another, and links to the trace view. No hop lists: the
 * trace view shows them.
 */
export function addressHoverMarkdown(info: AddressInfo, source: HoverSource | undefined, query: TraceArgs | undefined, result: TraceResult | undefined): string {
  const out: string[] = [];
  out.push(`**${esc(info.ip)}** — ${esc(addressLabel(info))}`);
  for (const s of info.services) {
    const ports = s.ports.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`).join(', ');
    if (ports) out.push('', `Ports ${esc(ports)} · ${s.endpoints.length} endpoint${s.endpoints.length === 1 ? '' : 's'}`);
  }
  if (info.endpointOf.length) out.push('', `Endpoint of ${info.endpointOf.map((s) => `Service ${esc(`${s.namespace}/${s.name}`)}`).join(', ')}`);
  if (info.ranges.length) out.push('', `In ${info.ranges.map((r) => `${esc(r.cidr)} (${esc(r.what)})`).join(', ')}`);
  if (source) {
    const pick = `[pick another source](${commandLink('kubeNetsim.pickHoverSource', { topology: source.topology })})`;
    if (source.self) out.push('', `This is the address of **${esc(source.from)}**, the source hovers trace from: ${pick} to trace to it.`);
    else if (result) {
      const q = result.query;
      out.push('', `From **${esc(source.from)}** (${WHY[source.why]}), ${q.protocol}${q.port !== undefined ? `/${q.port}` : ''} · ${pick}`);
      if (result.error) out.push('', `Trace not possible: ${esc(result.error)}`);
      if (result.outcomes.length) out.push('');
      for (const o of result.outcomes) out.push(`- **${pct(o.probability)}** ${esc(outcomeEnd(o))}`);
    }
  }
  const links: string[] = [];
  if (query && !source?.self) links.push(`[Show in trace view](${commandLink('kubeNetsim.tracePacket', query)})`);
  // "To here": any source, any port of the address (a Service's own ports are offered first).
  if (query) links.push(`[Trace to here…](${commandLink('kubeNetsim.tracePacket', { topology: query.topology, to: query.to })})`);
  if (links.length) out.push('', links.join(' · '));
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
