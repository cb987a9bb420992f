/**
 * iproute2 route listings: `ip route`, `ip -o route`, `ip route show table N|all`,
 * `ip route get … [fibmatch]`. One route per line, `[TYPE] PREFIX` then
 * keyword/value pairs (ip-route(8)); multipath next hops follow either on the
 * same line (`-o`) or on indented continuation lines (`nexthop via … dev … weight N`).
 */
import { type Issue, type SourceLine, issue } from '../../source';
import { parseIPv4, parsePrefix } from '../../net/ipv4';
import type { NextHop, Route, RouteType } from '../../model/routes';
import { type Word, wordsOf, spanOfWords, trimmedSpan, pushRun } from '../text/line-words';

const TYPES: readonly RouteType[] = ['unicast', 'local', 'broadcast', 'multicast', 'anycast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat'];
/** Types that deliver nowhere, so carry no next hop. */
const NO_NEXTHOP: readonly RouteType[] = ['blackhole', 'unreachable', 'prohibit', 'throw'];
/** Attributes that take one value and that the simulator does not need (MTU, TCP metrics, timers, …). */
const IGNORED_VALUED = new Set([
  'mtu', 'advmss', 'rtt', 'rttvar', 'reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'ssthresh', 'realms',
  'features', 'quickack', 'congctl', 'pref', 'expires', 'hoplimit', 'nhid', 'fastopen_no_cookie', 'uid', 'error',
  'tos', 'dsfield', 'iif', 'from', 'age', 'used', 'ipid', 'rto_min', 'ttl-propagate', 'protocol', 'users',
]);
/** Attributes the model reads, each with one value. */
const VALUED = new Set(['proto', 'scope', 'table', 'src', 'metric', 'preference', 'priority']);
/** Flags without a value that do not change where a packet goes. */
const IGNORED_FLAGS = new Set(['linkdown', 'dead', 'pervasive', 'offload', 'trap', 'notify', 'rt_offload', 'rt_trap', 'rt_offload_failed', 'cache', 'lock', 'redirected', 'cloned']);

/** Named tables of rt_tables(5), as `ip route` prints them. */
function tableName(t: string): string {
  return t === '254' ? 'main' : t === '255' ? 'local' : t === '253' ? 'default' : t;
}

/** Whether a token is an IPv6 address or prefix (the simulator is IPv4-only). */
function isV6(t: string): boolean {
  return /^[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:.]*(?:\/\d{1,3})?$/.test(t);
}

/**
 * Reads the keyword/value pairs of a route (or of one `nexthop`), from `i`.
 * Returns the index after the last word read.
 */
function readAttributes(ws: Word[], i: number, route: Route, hop: NextHop, issues: Issue[], inNexthop: boolean): number | 'v6' {
  while (i < ws.length) {
    const w = ws[i];
    const k = w.text;
    const v = ws[i + 1];
    if (k === 'nexthop') return i;
    if (k === 'via') {
      // `via inet 10.0.0.1` / `via inet6 fe80::1` name the family explicitly.
      let a = v;
      let n = 2;
      if (a && (a.text === 'inet' || a.text === 'inet6')) { a = ws[i + 2]; n = 3; }
      if (!a) { issues.push(issue('ip-route-missing-value', 'error', w.span, '`via` needs an address')); return ws.length; }
      if (isV6(a.text)) return 'v6';
      const ip = parseIPv4(a.text);
      if (ip === undefined) issues.push(issue('route-bad-address', 'error', a.span, `'${a.text}' is not an IPv4 gateway`));
      else hop.via = ip;
      i += n;
      continue;
    }
    if (k === 'onlink') { hop.onlink = true; i++; continue; }
    if (k === 'dev' || k === 'oif') {
      if (!v) { issues.push(issue('ip-route-missing-value', 'error', w.span, '`dev` needs a device')); return ws.length; }
      hop.dev = v.text;
      i += 2;
      continue;
    }
    if (k === 'weight' && inNexthop) {
      if (!v || !/^\d+$/.test(v.text)) { issues.push(issue('ip-route-bad-value', 'error', (v ?? w).span, '`weight` needs a number')); i += v ? 2 : 1; continue; }
      hop.weight = Number(v.text);
      i += 2;
      continue;
    }
    if (IGNORED_FLAGS.has(k)) { i++; continue; }
    if (!VALUED.has(k) && !IGNORED_VALUED.has(k)) {
      issues.push(issue('ip-route-unknown-attribute', 'warning', w.span, `unknown route attribute '${k}': skipped`));
      i++;
      continue;
    }
    if (!v) { issues.push(issue('ip-route-missing-value', 'error', w.span, `\`${k}\` needs a value`)); return ws.length; }
    switch (k) {
      case 'proto': route.proto = v.text; break;
      case 'scope': route.scope = v.text; break;
      case 'table': route.table = tableName(v.text); break;
      case 'src': {
        if (isV6(v.text)) return 'v6';
        const ip = parseIPv4(v.text);
        if (ip === undefined) issues.push(issue('route-bad-address', 'error', v.span, `'${v.text}' is not an IPv4 source address`));
        else route.src = ip;
        break;
      }
      case 'metric': case 'preference': case 'priority':
        if (/^\d+$/.test(v.text)) route.metric = Number(v.text);
        else issues.push(issue('route-bad-metric', 'error', v.span, `'${v.text}' is not a metric`));
        break;
      default:
        // `mtu lock 1400`: the lock word comes between the key and its value.
        i += v.text === 'lock' && ws[i + 2] ? 3 : 2;
        continue;
    }
    i += 2;
  }
  return i;
}

/** Parses one route line (and its continuation lines); undefined when the line is skipped. */
function parseRoute(head: SourceLine, more: SourceLine[], issues: Issue[], table: string): Route | undefined {
  const ws = [head, ...more].flatMap((l) => wordsOf(l));
  const span = more.length ? { ...trimmedSpan(head), end: trimmedSpan(more[more.length - 1]).end, endLine: more[more.length - 1].line, endColumn: trimmedSpan(more[more.length - 1]).endColumn } : trimmedSpan(head);
  let i = 0;
  let type: RouteType = 'unicast';
  if ((TYPES as readonly string[]).includes(ws[0].text) && ws.length > 1) {
    type = ws[0].text as RouteType;
    i = 1;
  }
  const dstW = ws[i];
  if (isV6(dstW.text)) {
    issues.push(issue('route-ipv6-skipped', 'info', span, 'IPv6 route skipped: the simulator models IPv4 only'));
    return undefined;
  }
  const p = dstW.text === 'default' ? { addr: 0, len: 0, hostBits: false, ip: 0 } : /^[\d.]+(\/\d+)?$/.test(dstW.text) ? parsePrefix(dstW.text) : undefined;
  if (!p) {
    issues.push(issue('route-bad-prefix', 'error', dstW.span, `'${dstW.text}' is not a destination (default, A.B.C.D or A.B.C.D/N)`));
    return undefined;
  }
  if (p.hostBits) issues.push(issue('route-host-bits', 'warning', dstW.span, 'destination has bits set outside its prefix length; ip(8) would not print that'));
  const route: Route = { table, type, dst: { addr: p.addr, len: p.len }, nexthops: [], metric: 0, raw: [head, ...more].map((l) => l.text).join('\n'), span };
  const first: NextHop = {};
  let j = readAttributes(ws, i + 1, route, first, issues, false);
  if (j === 'v6') { issues.push(issue('route-ipv6-skipped', 'info', span, 'IPv6 route skipped: the simulator models IPv4 only')); return undefined; }
  if (first.via !== undefined || first.dev !== undefined) route.nexthops.push(first);
  while (j < ws.length && ws[j].text === 'nexthop') {
    const hop: NextHop = {};
    const k = readAttributes(ws, j + 1, route, hop, issues, true);
    if (k === 'v6') { issues.push(issue('route-ipv6-skipped', 'info', span, 'IPv6 route skipped: the simulator models IPv4 only')); return undefined; }
    if (hop.via === undefined && hop.dev === undefined) issues.push(issue('ip-route-empty-nexthop', 'error', ws[j].span, '`nexthop` without `via` or `dev`'));
    else route.nexthops.push({ weight: 1, ...hop });
    j = k;
  }
  if (NO_NEXTHOP.includes(type) && route.nexthops.length) route.nexthops = [];
  if (type === 'unicast' && route.nexthops.length === 0) {
    issues.push(issue('ip-route-no-nexthop', 'error', spanOfWords(ws[0], ws[ws.length - 1]), 'unicast route with neither `via` nor `dev`'));
    return undefined;
  }
  return route;
}

/**
 * Parses `ip route` lines (prompts already removed). `table` is the table the
 * listing shows when lines do not say (`ip route show table 101`); `isOther`
 * recognises lines of another command's output, left alone with an info.
 */
export function parseIpRouteLines(lines: SourceLine[], issues: Issue[], table: string, isOther: (text: string) => boolean): Route[] {
  const routes: Route[] = [];
  for (let n = 0; n < lines.length; n++) {
    const l = lines[n];
    const t = l.text.trim();
    if (t === '') continue;
    if (isOther(l.text)) {
      pushRun(issues, issue('route-line-other-format', 'info', trimmedSpan(l), 'lines of another command\'s output: left to their own parser'));
      continue;
    }
    if (/^\s/.test(l.text)) {
      // A continuation line without a route before it (`    cache` after a skipped line).
      if (!/^(?:cache|nexthop)\b/.test(t)) issues.push(issue('route-line-unrecognised', 'warning', trimmedSpan(l), 'indented line outside a route: not read'));
      continue;
    }
    const more: SourceLine[] = [];
    while (n + 1 < lines.length && /^\s+\S/.test(lines[n + 1].text) && !isOther(lines[n + 1].text)) more.push(lines[++n]);
    const first = t.split(/\s+/)[0];
    const routeLike = first === 'default' || /^[\d.]+(\/\d+)?$/.test(first) || isV6(first) || (TYPES as readonly string[]).includes(first);
    if (!routeLike) {
      issues.push(issue('route-line-unrecognised', 'warning', trimmedSpan(l), 'not a route line: not read'));
      continue;
    }
    // A route with an unreadable token is not used: half a route would send packets somewhere wrong.
    const before = issues.length;
    const r = parseRoute(l, more, issues, table);
    if (r && !issues.slice(before).some((i) => i.severity === 'error')) routes.push(r);
  }
  return routes;
}
