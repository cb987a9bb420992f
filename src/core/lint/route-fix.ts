/**
 * The quick fix for an unreachable pod CIDR: the missing route, written in the
 * format of the table it goes into (an Azure route table row, a `route -n` row
 * or an `ip route` line), inserted after that table's last route.
 */
import type { IssueFix } from '../source';
import type { Host, RouteEntry } from '../model/cluster';
import { formatIPv4, formatPrefix, maskOf, type IPv4, type Prefix } from '../net/ipv4';

/** Builds the fix adding `dst.cidr` via the destination node's address on a network `at` shares with it. */
export function routeFix(at: Host, end: RouteEntry, dst: { node: Host; cidr: Prefix }): IssueFix | undefined {
  const via = nextHopTowards(at, dst.node);
  // Routes given as a YAML list in the topology are edited by hand: a text line would break the YAML.
  if (via === undefined || !end.origin || /^\s*[{[-]/.test(end.route.raw)) return undefined;
  const line = rewriteRouteLine(end, dst.cidr, via, dst.node.name);
  if (!line) return undefined;
  const indent = ' '.repeat(Math.max(0, end.origin.column - 1));
  return {
    title: `Add route ${formatPrefix(dst.cidr)} → ${formatIPv4(via)} (${dst.node.name}) to ${at.id}`,
    edits: [{ file: end.origin.file, line: end.origin.line + 1, column: 1, endLine: end.origin.line + 1, endColumn: 1, newText: `${indent}${line}\n` }],
  };
}

/** The destination node's address on a segment the host is attached to. */
function nextHopTowards(at: Host, node: Host): IPv4 | undefined {
  const segs = new Set(at.interfaces.map((i) => i.segment).filter(Boolean));
  for (const i of node.interfaces) {
    if (i.segment && segs.has(i.segment) && i.addresses.length) return i.addresses[0].ip;
  }
  return undefined;
}

/** Rewrites an existing route line of the table for a new destination and gateway, keeping its layout. */
export function rewriteRouteLine(end: RouteEntry, cidr: Prefix, via: IPv4, name: string): string | undefined {
  const r = end.route;
  let raw = r.raw.trim();
  const oldVia = r.nexthops[0]?.via;
  const oldPrefix = formatPrefix(r.dst);
  if (r.name) raw = raw.replace(r.name, name);
  if (raw.includes(oldPrefix)) {
    raw = raw.replace(oldPrefix, formatPrefix(cidr));
    if (oldVia !== undefined) raw = raw.replace(formatIPv4(oldVia), formatIPv4(via));
    else raw = raw.replace(/ dev /, ` via ${formatIPv4(via)} dev `);
    return raw;
  }
  // route -n: Destination Gateway Genmask Flags Metric Ref Use Iface, columns kept aligned.
  const cols = r.raw.trim().split(/(\s+)/);
  if (cols.length >= 15 && cols[0] === formatIPv4(r.dst.addr)) {
    const set = (i: number, v: string) => { cols[i + 1] = ' '.repeat(Math.max(1, cols[i].length + cols[i + 1].length - v.length)); cols[i] = v; };
    set(0, formatIPv4(cidr.addr));
    set(2, formatIPv4(via));
    set(4, formatIPv4(maskOf(cidr.len)));
    set(6, 'UG');
    return cols.join('');
  }
  if (raw.startsWith('default')) return `${formatPrefix(cidr)} via ${formatIPv4(via)}${raw.replace(/^default(\s+via\s+\S+)?/, '')}`;
  return undefined;
}
