/**
 * Azure route tables (user-defined routes), as the portal copies them
 * (`NAME | ADDRESS PREFIX | NEXT HOP |` with a `---|---|---|` separator) and as
 * `az network route-table route list -o table` prints them (fixed-width columns
 * under a dashed underline: `AddressPrefix  HasBgpOverride  Name
 * NextHopIpAddress  NextHopType  ProvisioningState  ResourceGroup`).
 * A cloud route table has no devices: routes are next-hop addresses or next-hop types.
 */
import { type Issue, type SourceLine, type Span, issue, lineSpan } from '../../source';
import { parseIPv4, parsePrefix } from '../../net/ipv4';
import type { CloudNextHopType, Route } from '../../model/routes';
import { trimmedSpan, pushRun } from '../text/line-words';

const HOP_TYPES: readonly CloudNextHopType[] = ['VirtualAppliance', 'Internet', 'None', 'VnetLocal', 'VirtualNetworkGateway'];

/** Whether a line is the header of the portal form. */
export function isAzurePipeHeader(text: string): boolean {
  return /^\s*NAME\s*\|\s*ADDRESS PREFIX\s*\|\s*NEXT HOP/i.test(text);
}

/** Whether a line is the header of the `az … -o table` form. */
export function isAzCliHeader(text: string): boolean {
  return /^\s*AddressPrefix\s+.*NextHopType/.test(text);
}

/** A cell: its trimmed text and span. */
interface Cell { text: string; span: Span }

function cellAt(l: SourceLine, start: number, end: number): Cell {
  const raw = l.text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const text = raw.trim();
  return { text, span: lineSpan(l.offset, l.line, start + lead + 1, text.length) };
}

/** Builds one route from its cells; undefined (with an issue) when a cell cannot be read. */
function makeRoute(l: SourceLine, name: Cell | undefined, pfx: Cell | undefined, hopIp: Cell | undefined, hopType: Cell | undefined, issues: Issue[]): Route | undefined {
  if (!pfx || pfx.text === '') {
    issues.push(issue('azure-route-missing-prefix', 'error', trimmedSpan(l), 'row without an address prefix'));
    return undefined;
  }
  if (pfx.text.includes(':')) {
    issues.push(issue('route-ipv6-skipped', 'info', pfx.span, 'IPv6 route skipped: the simulator models IPv4 only'));
    return undefined;
  }
  const p = /^[\d.]+\/\d+$/.test(pfx.text) ? parsePrefix(pfx.text) : undefined;
  if (!p) {
    issues.push(issue('route-bad-prefix', 'error', pfx.span, `'${pfx.text}' is not an IPv4 prefix (A.B.C.D/N)`));
    return undefined;
  }
  if (p.hostBits) issues.push(issue('route-host-bits', 'warning', pfx.span, 'address prefix has bits set outside its length'));
  let type: CloudNextHopType | undefined;
  if (hopType && hopType.text !== '') {
    type = HOP_TYPES.find((t) => t.toLowerCase() === hopType.text.toLowerCase());
    if (!type) {
      issues.push(issue('azure-route-unknown-next-hop-type', 'error', hopType.span, `'${hopType.text}' is not an Azure next-hop type (${HOP_TYPES.join(', ')})`));
      return undefined;
    }
  }
  let via: number | undefined;
  if (hopIp && hopIp.text !== '') {
    via = parseIPv4(hopIp.text);
    if (via === undefined) {
      // The portal's NEXT HOP column may hold a type instead of an address.
      type = HOP_TYPES.find((t) => t.toLowerCase() === hopIp.text.replace(/\s+/g, '').toLowerCase());
      if (!type) {
        issues.push(issue('route-bad-address', 'error', hopIp.span, `'${hopIp.text}' is neither a next-hop address nor a next-hop type`));
        return undefined;
      }
    }
  }
  if (via !== undefined) type ??= 'VirtualAppliance';
  if (type === 'VirtualAppliance' && via === undefined) {
    issues.push(issue('azure-route-missing-next-hop', 'error', (hopIp?.text ? hopIp : hopType?.text ? hopType : pfx).span, 'VirtualAppliance route without a next-hop address'));
    return undefined;
  }
  if (!type) {
    issues.push(issue('azure-route-missing-next-hop', 'error', trimmedSpan(l), 'row without a next hop'));
    return undefined;
  }
  // Azure's `None` next hop drops the traffic: the kernel's word for that is blackhole.
  return {
    table: 'main', type: type === 'None' ? 'blackhole' : 'unicast', dst: { addr: p.addr, len: p.len },
    nexthops: via !== undefined ? [{ via }] : [], metric: 0, ...(name && name.text ? { name: name.text } : {}),
    cloudNextHopType: type, raw: l.text, span: trimmedSpan(l),
  };
}

/** Reads the portal form: `|`-separated cells, header first. */
export function parseAzurePipeLines(lines: SourceLine[], issues: Issue[], isOther: (text: string) => boolean): Route[] {
  const routes: Route[] = [];
  let columns: string[] | undefined;
  for (const l of lines) {
    const t = l.text.trim();
    if (t === '' || /^[-|:\s]+$/.test(t)) continue;
    if (isAzurePipeHeader(l.text)) {
      columns = t.split('|').map((c) => c.trim().toUpperCase());
      continue;
    }
    if (!columns || !t.includes('|')) {
      const other = isOther(l.text);
      pushRun(issues, issue(other ? 'route-line-other-format' : 'route-line-unrecognised', other ? 'info' : 'warning', trimmedSpan(l), 'not a route table row: not read'));
      continue;
    }
    const cells: Cell[] = [];
    let start = 0;
    for (;;) {
      const bar = l.text.indexOf('|', start);
      cells.push(cellAt(l, start, bar < 0 ? l.text.length : bar));
      if (bar < 0) break;
      start = bar + 1;
    }
    const get = (name: string) => { const i = columns!.indexOf(name); return i < 0 ? undefined : cells[i]; };
    const r = makeRoute(l, get('NAME'), get('ADDRESS PREFIX'), get('NEXT HOP'), get('NEXT HOP TYPE'), issues);
    if (r) routes.push(r);
  }
  return routes;
}

/** Reads the `az … -o table` form: columns from the dashed underline (or the header when it is missing). */
export function parseAzCliLines(lines: SourceLine[], issues: Issue[], isOther: (text: string) => boolean): Route[] {
  const routes: Route[] = [];
  let header: SourceLine | undefined;
  let bounds: [number, number][] | undefined;
  let names: string[] = [];
  for (const l of lines) {
    const t = l.text.trim();
    if (t === '') continue;
    if (isAzCliHeader(l.text)) {
      header = l;
      bounds = [];
      const re = /\S+/g;
      for (let m = re.exec(l.text); m; m = re.exec(l.text)) bounds.push([m.index, m.index]);
      names = bounds.map(([s]) => /\S+/.exec(l.text.slice(s))![0]);
      bounds = bounds.map(([s], i) => [s, i + 1 < bounds!.length ? bounds![i + 1][0] : Infinity]);
      continue;
    }
    if (header && /^[-\s]+$/.test(t)) {
      const re = /-+/g;
      const dashes: [number, number][] = [];
      for (let m = re.exec(l.text); m; m = re.exec(l.text)) dashes.push([m.index, m.index + m[0].length]);
      if (dashes.length === names.length) bounds = dashes.map(([s], i) => [s, i + 1 < dashes.length ? dashes[i + 1][0] : Infinity]);
      continue;
    }
    if (!bounds) {
      const other = isOther(l.text);
      pushRun(issues, issue(other ? 'route-line-other-format' : 'route-line-unrecognised', other ? 'info' : 'warning', trimmedSpan(l), 'not a route table row: not read'));
      continue;
    }
    const get = (name: string): Cell | undefined => {
      const i = names.indexOf(name);
      return i < 0 ? undefined : cellAt(l, bounds![i][0], Math.min(bounds![i][1], l.text.length));
    };
    const r = makeRoute(l, get('Name'), get('AddressPrefix'), get('NextHopIpAddress'), get('NextHopType'), issues);
    if (r) routes.push(r);
  }
  return routes;
}
