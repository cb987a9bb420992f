/**
 * net-tools `ifconfig`, in both of its styles: the old one (`cbr0 Link
 * encap:Ethernet HWaddr …` / `inet addr:10.244.0.1 Bcast:… Mask:…`, busybox
 * and net-tools before 2.10) and the newer one (`eth0: flags=4163<UP,…> mtu
 * 1500` / `inet 10.0.0.1  netmask 255.255.255.0  broadcast …`). A block starts
 * at a line naming the interface; indentation is not relied on, since pasted
 * copies (the seed) often lose it.
 */
import { type Issue, type SourceLine, type Span, issue } from '../../source';
import { lenOfMask, parseIPv4 } from '../../net/ipv4';
import type { Interface } from '../../model/interfaces';
import { type Word, wordsOf, trimmedSpan, pushRun } from '../text/line-words';

const OLD_HEADER = /^(\S+)\s+Link encap:\s*(.*)$/;
const NEW_HEADER = /^(\S+?):?\s+flags=\d+<([^>]*)>(.*)$/;
/** Statistics and hardware lines: nothing the simulator uses. */
const STATS = /^\s*(?:[RT]X\s|collisions:|Interrupt:|Memory:|device\s|ether\s|loop\s|unspec\s|txqueuelen)/;

function extend(span: Span, to: Span): Span {
  return { ...span, end: to.end, endLine: to.endLine, endColumn: to.endColumn };
}

/** `key:value` (old style) or `key value` (new style) lookups on a line's words. */
function valueOf(ws: Word[], key: string): Word | undefined {
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (w.text.toLowerCase().startsWith(`${key.toLowerCase()}:`) && w.text.length > key.length + 1) {
      const n = key.length + 1;
      return { text: w.text.slice(n), column: w.column + n, span: { ...w.span, start: w.span.start + n, column: w.span.column + n } };
    }
    if (w.text.toLowerCase() === key.toLowerCase() && ws[i + 1]) return ws[i + 1];
  }
  return undefined;
}

function readAddress(itf: Interface, ws: Word[], span: Span, issues: Issue[]): void {
  // Old style: `inet addr:A Bcast:B Mask:M`; new style: `inet A netmask M broadcast B`.
  const aw = valueOf(ws, 'addr') ?? ws[1];
  const ip = aw ? parseIPv4(aw.text) : undefined;
  if (!aw || ip === undefined) {
    issues.push(issue('addr-bad-address', 'error', (aw ?? ws[0]).span, `'${aw?.text ?? ''}' is not an IPv4 address`));
    return;
  }
  const mw = valueOf(ws, 'Mask') ?? valueOf(ws, 'netmask');
  let prefixLen = 32;
  if (!mw) {
    issues.push(issue('addr-missing-netmask', 'warning', aw.span, 'no netmask given: assumed /32'));
  } else {
    const m = parseIPv4(mw.text) ?? (/^0x[0-9a-f]{8}$/i.test(mw.text) ? Number(mw.text) >>> 0 : undefined);
    const len = m === undefined ? undefined : lenOfMask(m);
    if (len === undefined) {
      issues.push(issue('addr-bad-netmask', 'error', mw.span, `'${mw.text}' is not a contiguous netmask`));
      return;
    }
    prefixLen = len;
  }
  const bw = valueOf(ws, 'Bcast') ?? valueOf(ws, 'broadcast');
  const bcast = bw ? parseIPv4(bw.text) : undefined;
  const pw = valueOf(ws, 'P-t-P') ?? valueOf(ws, 'destination');
  const peer = pw ? parseIPv4(pw.text) : undefined;
  itf.addresses.push({
    ip, prefixLen, ...(bcast !== undefined && bcast !== 0 ? { broadcast: bcast } : {}), ...(peer !== undefined ? { peer } : {}), span,
  });
}

/** Parses `ifconfig` lines (prompts removed); `isOther` recognises lines left to other parsers. */
export function parseIfconfigLines(lines: SourceLine[], issues: Issue[], isOther: (text: string) => boolean): Interface[] {
  const out: Interface[] = [];
  let cur: Interface | undefined;
  for (const l of lines) {
    const t = l.text.trim();
    if (t === '') continue;
    const ws = wordsOf(l);
    const span = trimmedSpan(l);
    const oh = OLD_HEADER.exec(t);
    const nh = oh ? undefined : NEW_HEADER.exec(t);
    if (oh || nh) {
      const name = (oh ?? nh)![1];
      cur = { name, flags: nh ? nh[2].split(',').filter((f) => f) : [], addresses: [], addresses6: [], span };
      if (oh) {
        const hw = valueOf(ws, 'HWaddr');
        if (hw) cur.mac = hw.text.toLowerCase();
        cur.linkType = /Loopback/.test(oh[2]) ? 'link/loopback' : /Ethernet/.test(oh[2]) ? 'link/ether' : undefined;
        if (!cur.linkType) delete cur.linkType;
      } else {
        const mtu = /\bmtu\s+(\d+)/.exec(nh![3]);
        if (mtu) cur.mtu = Number(mtu[1]);
      }
      out.push(cur);
      continue;
    }
    if (!cur || isOther(l.text) && !/^\s*inet/.test(l.text)) {
      const other = isOther(l.text);
      pushRun(issues, issue(other ? 'addr-line-other-format' : 'addr-line-unrecognised', other ? 'info' : 'warning', span,
        other ? 'lines of another command\'s output: left to their own parser' : 'not part of an `ifconfig` listing: not read'));
      cur = undefined;
      continue;
    }
    cur.span = extend(cur.span, span);
    const k = ws[0].text;
    if (k === 'inet') {
      readAddress(cur, ws, span, issues);
    } else if (k === 'inet6') {
      // `inet6 addr: fe80::1/64 Scope:Link` or `inet6 fe80::1  prefixlen 64  scopeid 0x20<link>`.
      const aw = ws[1]?.text === 'addr:' ? ws[2] : ws[1];
      if (aw) {
        const [ip, len] = aw.text.split('/');
        const pl = valueOf(ws, 'prefixlen');
        const sc = valueOf(ws, 'Scope') ?? valueOf(ws, 'scopeid');
        cur.addresses6.push({ ip, prefixLen: Number(len ?? pl?.text ?? 128), ...(sc ? { scope: sc.text.replace(/^0x[0-9a-f]+<(.*)>$/, '$1').toLowerCase() } : {}), span });
      }
    } else if (/^[A-Z]+$/.test(k) && /MTU:\d+/.test(t)) {
      // Old style flags line: `UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1`.
      cur.flags = ws.filter((w) => /^[A-Z]+$/.test(w.text)).map((w) => w.text);
      const mtu = /MTU:(\d+)/.exec(t);
      if (mtu) cur.mtu = Number(mtu[1]);
    } else if (k === 'ether') {
      if (ws[1]) cur.mac = ws[1].text.toLowerCase();
      cur.linkType = 'link/ether';
    } else if (k === 'loop') {
      cur.linkType = 'link/loopback';
    } else if (!STATS.test(l.text)) {
      pushRun(issues, issue('addr-line-unrecognised', 'warning', span, 'line not understood in an `ifconfig` block: not read'));
    }
  }
  // `eth0:1` aliases are addresses of `eth0` with a label, as the kernel holds them.
  const byName = new Map(out.map((i) => [i.name, i]));
  return out.filter((i) => {
    const base = i.name.includes(':') ? byName.get(i.name.slice(0, i.name.indexOf(':'))) : undefined;
    if (!base) return true;
    base.addresses.push(...i.addresses.map((a) => ({ ...a, label: i.name })));
    return false;
  });
}
