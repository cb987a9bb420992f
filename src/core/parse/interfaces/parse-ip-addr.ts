/**
 * iproute2 interface listings: `ip addr` / `ip a` / `ip address list` / `ip link`
 * (a `N: name[@peer]: <FLAGS> mtu …` line, then indented `link/…`, `inet …`,
 * `inet6 …` lines), `ip -o addr` (one address per line) and `ip -br addr`
 * (`name  STATE  addr/len …`).
 */
import { type Issue, type SourceLine, type Span, issue } from '../../source';
import { parseIPv4, parsePrefix } from '../../net/ipv4';
import type { Interface, InterfaceAddress, InterfaceAddress6 } from '../../model/interfaces';
import { type Word, wordsOf, trimmedSpan, pushRun } from '../text/line-words';
import { isLinkDetailLine, readLinkDetailLine } from './link-details';

const HEADER = /^(\d+):\s+([^\s:@]+(?::[^\s:@]+)?)(?:@(\S+?))?:\s+<([^>]*)>(.*)$/;
/** `ip -o addr`: `2: eth0    inet 10.0.0.1/24 …` (the trailing `\` joins the lifetime line). */
const ONELINE = /^(\d+):\s+(\S+?)(?:@(\S+))?\s+(inet6?)\s+(\S+)(.*)$/;
/** `ip -br addr`: `eth0@if5   UP   10.244.2.8/24 fe80::1/64`. */
const BRIEF = /^(\S+?)(?:@(\S+))?\s+(UP|DOWN|UNKNOWN|LOWERLAYERDOWN|DORMANT|NOTPRESENT|TESTING)\b(.*)$/;
/** Flags of an `inet` line that come between `scope X` and the label. */
const INET_FLAGS = new Set(['secondary', 'primary', 'dynamic', 'noprefixroute', 'deprecated', 'tentative', 'permanent', 'mngtmpaddr', 'home', 'nodad', 'optimistic', 'dadfailed', 'temporary', 'stable-privacy', 'autojoin']);

function extend(span: Span, to: Span): Span {
  return { ...span, end: to.end, endLine: to.endLine, endColumn: to.endColumn };
}

/** Reads `inet A.B.C.D/N [peer P/N] [brd B] [scope S] [flags] [label]` from its words. */
function readInet(ws: Word[], start: number, name: string, span: Span, issues: Issue[]): InterfaceAddress | undefined {
  const aw = ws[start];
  const p = aw ? parsePrefix(aw.text) : undefined;
  if (!aw || !p || !/^[\d.]+(\/\d+)?$/.test(aw.text)) {
    issues.push(issue('addr-bad-address', 'error', (aw ?? ws[start - 1]).span, `'${aw?.text ?? ''}' is not an IPv4 address with prefix length`));
    return undefined;
  }
  const a: InterfaceAddress = { ip: p.ip, prefixLen: aw.text.includes('/') ? p.len : 32, span };
  for (let i = start + 1; i < ws.length; i++) {
    const k = ws[i].text;
    const v = ws[i + 1];
    if ((k === 'brd' || k === 'peer' || k === 'scope') && v) {
      if (k === 'scope') a.scope = v.text;
      else {
        const ip = parseIPv4(v.text.split('/')[0]);
        if (ip === undefined) issues.push(issue('addr-bad-address', 'error', v.span, `'${v.text}' is not an IPv4 address`));
        else if (k === 'brd') a.broadcast = ip;
        else a.peer = ip;
      }
      i++;
    } else if (k === 'secondary') {
      a.secondary = true;
    } else if (INET_FLAGS.has(k) || k === 'valid_lft' || k === 'preferred_lft' || k === 'forever' || /^\d+sec$/.test(k) || k === '\\') {
      continue;
    } else if (k === 'metric' && v) {
      i++;
    } else if (i === ws.length - 1 || ws[i + 1].text === '\\') {
      if (k !== name) a.label = k;
    }
  }
  return a;
}

function readInet6(w: Word | undefined, rest: Word[], span: Span): InterfaceAddress6 | undefined {
  if (!w) return undefined;
  const [ip, len] = w.text.split('/');
  const s = rest.findIndex((x) => x.text === 'scope');
  return { ip, prefixLen: len ? Number(len) : 128, ...(s >= 0 && rest[s + 1] ? { scope: rest[s + 1].text } : {}), span };
}

/** Reads `mtu N`, `state X`, `master Y` … from the rest of a header line. */
function readHeaderAttributes(itf: Interface, ws: Word[]): void {
  for (let i = 0; i < ws.length - 1; i++) {
    const k = ws[i].text;
    const v = ws[i + 1].text;
    if (k === 'mtu' && /^\d+$/.test(v)) itf.mtu = Number(v);
    else if (k === 'state') itf.state = v;
    else if (k === 'master') itf.master = v;
    else continue;
    i++;
  }
}

/**
 * Parses `ip addr` / `ip -o addr` / `ip -br addr` lines (prompts removed).
 * `isOther` recognises lines of another command's output, left alone with an info.
 */
export function parseIpAddrLines(lines: SourceLine[], issues: Issue[], isOther: (text: string) => boolean): Interface[] {
  const out: Interface[] = [];
  const byName = new Map<string, Interface>();
  let cur: Interface | undefined;
  const open = (name: string, span: Span, index?: number, peer?: string): Interface => {
    const known = byName.get(name);
    if (known) return known;
    const itf: Interface = { name, ...(index !== undefined ? { index } : {}), ...(peer ? { peer } : {}), flags: [], addresses: [], addresses6: [], span };
    out.push(itf);
    byName.set(name, itf);
    return itf;
  };
  for (const l of lines) {
    const t = l.text.trim();
    if (t === '') continue;
    const ws = wordsOf(l);
    const span = trimmedSpan(l);
    const h = HEADER.exec(l.text);
    if (h) {
      cur = open(h[2], span, Number(h[1]), h[3]);
      cur.flags = h[4].split(',').filter((f) => f !== '');
      readHeaderAttributes(cur, ws.slice(3));
      continue;
    }
    const o = ONELINE.exec(l.text);
    if (o) {
      cur = undefined;
      const itf = open(o[2], span, Number(o[1]), o[3]);
      const at = ws.findIndex((w) => w.text === o[4]);
      if (o[4] === 'inet') {
        const a = readInet(ws, at + 1, itf.name, span, issues);
        if (a) itf.addresses.push(a);
      } else {
        const a6 = readInet6(ws[at + 1], ws.slice(at + 2), span);
        if (a6) itf.addresses6.push(a6);
      }
      itf.span = extend(itf.span, span);
      continue;
    }
    if (cur && /^\s/.test(l.text)) {
      cur.span = extend(cur.span, span);
      const k = ws[0].text;
      if (k.startsWith('link/')) {
        cur.linkType = k;
        if (ws[1] && /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/.test(ws[1].text)) cur.mac = ws[1].text.toLowerCase();
      } else if (k === 'inet') {
        const a = readInet(ws, 1, cur.name, span, issues);
        if (a) cur.addresses.push(a);
      } else if (k === 'inet6') {
        const a6 = readInet6(ws[1], ws.slice(2), span);
        if (a6) cur.addresses6.push(a6);
      } else if (isLinkDetailLine(ws)) {
        const d = readLinkDetailLine(ws, issues);
        if (d?.details) cur.link = d.details;
        if (d?.port) cur.bridgePort = d.port;
      }
      // Lifetimes and altnames say nothing about routing.
      continue;
    }
    const b = BRIEF.exec(l.text);
    if (b && !isOther(l.text)) {
      cur = undefined;
      const itf = open(b[1], span, undefined, b[2]);
      itf.state = b[3];
      for (const w of ws.slice(2)) {
        // `ip -br link` prints a MAC and <FLAGS> where `ip -br addr` prints addresses.
        if (/^<.*>$/.test(w.text) || /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i.test(w.text)) continue;
        if (w.text.includes(':')) itf.addresses6.push(readInet6(w, [], w.span)!);
        else {
          const a = readInet(ws, ws.indexOf(w), itf.name, w.span, issues);
          if (a) itf.addresses.push({ ip: a.ip, prefixLen: a.prefixLen, span: w.span });
        }
      }
      continue;
    }
    cur = undefined;
    const other = isOther(l.text);
    pushRun(issues, issue(other ? 'addr-line-other-format' : 'addr-line-unrecognised', other ? 'info' : 'warning', span,
      other ? 'lines of another command\'s output: left to their own parser' : 'not part of an `ip addr` listing: not read'));
  }
  return out;
}
