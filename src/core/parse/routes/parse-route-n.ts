/**
 * net-tools route listings: `route -n` (Destination Gateway Genmask Flags
 * Metric Ref Use Iface), `route -e` / `netstat -rn` (… Flags MSS Window irtt
 * Iface) and `route -ee` (both). These are the kernel's /proc/net/route seen
 * through net-tools: table `main` only, no route type except the `!` (reject)
 * flag, and `*` as the device of a route that has none.
 */
import { type Issue, type SourceLine, issue } from '../../source';
import { lenOfMask, parseIPv4, prefix } from '../../net/ipv4';
import type { Route, RouteType } from '../../model/routes';
import { type Word, wordsOf, trimmedSpan, pushRun } from '../text/line-words';

const HEADER = /^\s*Destination\s+Gateway\s+Genmask\s+Flags\b/;

/** Whether a line is the column header of a net-tools route listing. */
export function isRouteNHeader(text: string): boolean {
  return HEADER.test(text);
}

/** Reads a destination or gateway column: dotted quad, `default` or `*` (0.0.0.0). */
function address(w: Word, issues: Issue[]): number | undefined {
  if (w.text === 'default' || w.text === '*') return 0;
  const a = parseIPv4(w.text);
  if (a === undefined) {
    const named = /^[A-Za-z]/.test(w.text);
    issues.push(issue(named ? 'route-n-name-not-numeric' : 'route-bad-address', 'error', w.span,
      named ? `'${w.text}' is a name, not an address: paste \`route -n\` (numeric) output` : `'${w.text}' is not an IPv4 address`));
  }
  return a;
}

/**
 * Parses the lines of a net-tools listing (prompts already removed) into routes.
 * Lines before the first header and the `Kernel IP routing table` title are
 * skipped; `isOther` lets a caller leave lines of another command's output alone.
 */
export function parseRouteNLines(lines: SourceLine[], issues: Issue[], isOther: (text: string) => boolean): Route[] {
  const routes: Route[] = [];
  let columns: string[] | undefined;
  let v6 = false;
  for (const l of lines) {
    const t = l.text.trim();
    if (t === '') continue;
    // `route -A inet6 -n` / `netstat -6rn` print a second table; it is skipped as a whole.
    if (/^Kernel\s+IP\s+routing\s+table$/.test(t)) { v6 = false; continue; }
    if (/^Kernel\s+IPv6\s+routing\s+table/.test(t)) v6 = true;
    if (v6) {
      pushRun(issues, issue('route-ipv6-skipped', 'info', trimmedSpan(l), 'IPv6 routes skipped: the simulator models IPv4 only'));
      continue;
    }
    if (isRouteNHeader(l.text)) {
      columns = wordsOf(l).map((w) => w.text);
      continue;
    }
    if (/^:/.test(t) || /^[0-9a-f]*:[0-9a-f:]*\/\d+\s/.test(t)) {
      issues.push(issue('route-ipv6-skipped', 'info', trimmedSpan(l), 'IPv6 route skipped: the simulator models IPv4 only'));
      continue;
    }
    if (!columns) {
      pushRun(issues, issue(isOther(l.text) ? 'route-line-other-format' : 'route-line-unrecognised', isOther(l.text) ? 'info' : 'warning',
        trimmedSpan(l), 'line before any `Destination Gateway Genmask` header: not read as a route'));
      continue;
    }
    const r = parseRow(l, columns, issues);
    if (r) routes.push(r);
  }
  return routes;
}

function parseRow(l: SourceLine, columns: string[], issues: Issue[]): Route | undefined {
  const words = wordsOf(l);
  if (words.length !== columns.length) {
    issues.push(issue('route-n-columns', 'error', trimmedSpan(l), `expected ${columns.length} columns (${columns.join(' ')}), found ${words.length}`));
    return undefined;
  }
  const cell = (name: string): Word | undefined => {
    const i = columns.indexOf(name);
    return i < 0 ? undefined : words[i];
  };
  const dstW = cell('Destination');
  const gwW = cell('Gateway');
  const maskW = cell('Genmask');
  const flagsW = cell('Flags');
  if (!dstW || !gwW || !maskW || !flagsW) {
    // A damaged header (`Flags}`) can still look like one: say which column it lacks rather than guess.
    const missing = ['Destination', 'Gateway', 'Genmask', 'Flags'].filter((c) => !columns.includes(c));
    issues.push(issue('route-n-columns', 'error', trimmedSpan(l), `the header above this row has no ${missing.join(', ')} column: the row cannot be read`));
    return undefined;
  }
  const dst = address(dstW, issues);
  const gw = address(gwW, issues);
  const mask = parseIPv4(maskW.text);
  const len = mask === undefined ? undefined : lenOfMask(mask);
  if (len === undefined) issues.push(issue('route-bad-netmask', 'error', maskW.span, `'${maskW.text}' is not a contiguous netmask`));
  if (!/^[UGHRDMAC!]+$/.test(flagsW.text)) issues.push(issue('route-n-bad-flags', 'error', flagsW.span, `'${flagsW.text}' is not a route flag set (U G H R D M A C !)`));
  const metricW = cell('Metric');
  const metric = metricW ? Number(metricW.text) : 0;
  if (metricW && !/^\d+$/.test(metricW.text)) issues.push(issue('route-bad-metric', 'error', metricW.span, `'${metricW.text}' is not a metric`));
  if (dst === undefined || gw === undefined || len === undefined || (metricW && !/^\d+$/.test(metricW.text))) return undefined;
  const p = prefix(dst, len);
  if (p.addr !== dst) issues.push(issue('route-host-bits', 'warning', dstW.span, `destination has bits outside the ${len}-bit netmask; the kernel would not print that`));
  const ifaceW = cell('Iface');
  const dev = ifaceW && ifaceW.text !== '*' && ifaceW.text !== '-' ? ifaceW.text : undefined;
  const flags = flagsW.text;
  let type: RouteType = 'unicast';
  if (flags.includes('!')) type = 'unreachable';
  else if (!dev && gw === 0) {
    // /proc/net/route shows a blackhole route as a device-less `U` route; unreachable and
    // prohibit routes would carry the `!` flag, so device-less without `!` is a blackhole.
    type = 'blackhole';
    issues.push(issue('route-n-assumed-blackhole', 'info', ifaceW?.span ?? trimmedSpan(l), 'route without a device: assumed a blackhole route (as /proc/net/route shows one)'));
  }
  if (!flags.includes('U')) issues.push(issue('route-n-not-up', 'warning', flagsW.span, 'route is not up (no U flag): the kernel does not use it'));
  const hop = type === 'unicast' ? [{ ...(gw !== 0 ? { via: gw } : {}), ...(dev ? { dev } : {}) }] : [];
  return { table: 'main', type, dst: p, nexthops: hop, metric, flags, raw: l.text, span: trimmedSpan(l) };
}
