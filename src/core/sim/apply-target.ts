/**
 * What a target does to the packet (iptables-extensions(8)): verdicts
 * (ACCEPT, DROP, REJECT), address rewrites (DNAT, SNAT, MASQUERADE, REDIRECT),
 * marks (MARK, CONNMARK), conntrack bypass (NOTRACK, CT --notrack), and the
 * targets that only observe (LOG, NFLOG). Targets the model does not know are
 * taken as no-ops, and the trace says so.
 */
import type { IPv4 } from '../net/ipv4';
import { formatIPv4, parseIPv4 } from '../net/ipv4';
import type { Target } from '../model/netfilter';
import type { MatchContext } from './match-context';
import type { Walk } from './walk-state';
import { describe, endpoint, withAssumption } from './walk-state';
import { valueMask } from './eval-match';
import { opt } from './match-values';
import { preferredSource } from './route-lookup';

/** The effect of one target. */
export interface TargetEffect {
  w: Walk;
  ctMark: number;
  /** Set when the target ends the table's pass. */
  verdict?: 'ACCEPT' | 'DROP' | 'REJECT';
  rejectWith?: string;
  notrack?: boolean;
  nat?: 'dnat' | 'snat';
  /** The packet changed (the hop shows it). */
  changed: boolean;
  text: string;
}

/** `(cur & ~mask) ^ value`: the one operation MARK and CONNMARK are built from. */
export function xmark(cur: number, value: number, mask: number): number {
  return ((cur & ~mask) ^ value) >>> 0;
}

/** The new nfmark (or ctmark) after a MARK-style option; undefined when the option is not a mark operation. */
export function markOp(name: string, arg: string, cur: number): number | undefined {
  const { value, mask } = valueMask(arg);
  const hasMask = arg.includes('/');
  switch (name) {
    case '--set-xmark':
      return xmark(cur, value, hasMask ? mask : 0xffffffff);
    case '--set-mark':
      // `--set-mark v/m` zeroes the bits of m and sets v: xmark with mask v|m.
      return xmark(cur, value, hasMask ? (mask | value) >>> 0 : 0xffffffff);
    case '--and-mark':
      return xmark(cur, 0, ~value >>> 0);
    case '--or-mark':
      return xmark(cur, value, value);
    case '--xor-mark':
      return xmark(cur, value, 0);
    default:
      return undefined;
  }
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** `ip[-ip2][:port[-port2]]` → first address and first port (a range's choice is the kernel's; the first is stated). */
function natSpec(s: string): { ip?: IPv4; port?: number; ranged: boolean } {
  let ipPart = s;
  let portPart: string | undefined;
  const colon = s.lastIndexOf(':');
  if (colon >= 0) {
    ipPart = s.slice(0, colon);
    portPart = s.slice(colon + 1);
  }
  const ips = ipPart.split('-');
  const ports = portPart?.split('-');
  return {
    ip: ipPart ? parseIPv4(ips[0]) : undefined,
    port: ports ? Number(ports[0]) : undefined,
    ranged: ips.length > 1 || (ports?.length ?? 0) > 1,
  };
}

function firstPort(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const n = Number(s.split(/[-:]/)[0]);
  return Number.isFinite(n) ? n : undefined;
}

/** Applies `target` (not a chain jump, not RETURN) to the walk's packet. */
export function applyTarget(target: Target, cx: MatchContext, w0: Walk, ctMark: number, nextHop?: IPv4): TargetEffect {
  let w = w0;
  const host = cx.host.id;
  const arg = (n: string): string | undefined => opt(target, n)?.values[0];
  switch (target.name) {
    case 'ACCEPT':
      return { w, ctMark, verdict: 'ACCEPT', changed: false, text: 'ACCEPT' };
    case 'DROP':
      return { w, ctMark, verdict: 'DROP', changed: false, text: 'DROP' };
    case 'REJECT': {
      const rw = arg('--reject-with') ?? 'icmp-port-unreachable';
      return { w, ctMark, verdict: 'REJECT', rejectWith: rw, changed: false, text: `REJECT (${rw})` };
    }
    case 'DNAT':
    case 'SNAT': {
      const spec = natSpec(arg(target.name === 'DNAT' ? '--to-destination' : '--to-source') ?? '');
      if (spec.ranged) w = withAssumption(w, host, `${target.name} to a range: the first address/port taken`);
      const pkt = { ...w.pkt };
      if (target.name === 'DNAT') {
        if (spec.ip !== undefined) pkt.dst = spec.ip;
        if (spec.port !== undefined && !Number.isNaN(spec.port)) pkt.dport = spec.port;
      } else {
        if (spec.ip !== undefined) pkt.src = spec.ip;
        if (spec.port !== undefined && !Number.isNaN(spec.port)) pkt.sport = spec.port;
      }
      // Said as the address that changed, old → new: "DNAT 10.0.0.10:53 → 10.244.0.2:53/udp".
      const text =
        target.name === 'DNAT'
          ? `DNAT ${endpoint(w.pkt.dst, w.pkt.dport)} → ${endpoint(pkt.dst, pkt.dport)}/${pkt.proto}`
          : `SNAT ${endpoint(w.pkt.src, w.pkt.sport)} → ${endpoint(pkt.src, pkt.sport)}/${pkt.proto}`;
      w = { ...w, pkt };
      return { w, ctMark, verdict: 'ACCEPT', nat: target.name === 'DNAT' ? 'dnat' : 'snat', changed: true, text };
    }
    case 'MASQUERADE': {
      const src = preferredSource(cx.host, cx.outIface, nextHop ?? w.pkt.dst);
      const pkt = { ...w.pkt };
      if (src !== undefined) pkt.src = src;
      const p = firstPort(arg('--to-ports'));
      if (p !== undefined) pkt.sport = p;
      w = { ...w, pkt };
      return { w, ctMark, verdict: 'ACCEPT', nat: 'snat', changed: true, text: `MASQUERADE to ${formatIPv4(pkt.src)} (address of ${cx.outIface ?? 'the egress interface'}): ${describe(pkt)}` };
    }
    case 'REDIRECT': {
      const pkt = { ...w.pkt };
      const iface = cx.inIface ? cx.host.interfaces.find((i) => i.name === cx.inIface) : undefined;
      pkt.dst = cx.hook === 'OUTPUT' ? 0x7f000001 : iface?.addresses[0]?.ip ?? pkt.dst;
      const p = firstPort(arg('--to-ports'));
      if (p !== undefined) pkt.dport = p;
      w = { ...w, pkt };
      return { w, ctMark, verdict: 'ACCEPT', nat: 'dnat', changed: true, text: `REDIRECT: ${describe(pkt)}` };
    }
    case 'MARK': {
      let mark = w.pkt.mark;
      for (const o of target.options) mark = markOp(o.name, o.values[0] ?? '0', mark) ?? mark;
      w = { ...w, pkt: { ...w.pkt, mark } };
      return { w, ctMark, changed: true, text: `MARK → mark ${hex(mark)}` };
    }
    case 'CONNMARK': {
      let ct = ctMark;
      let mark = w.pkt.mark;
      const nfmask = Number(arg('--nfmask') ?? arg('--mask') ?? 0xffffffff) >>> 0;
      const ctmask = Number(arg('--ctmask') ?? arg('--mask') ?? 0xffffffff) >>> 0;
      let text = '';
      for (const o of target.options) {
        const v = markOp(o.name, o.values[0] ?? '0', ct);
        if (v !== undefined) {
          ct = v;
          text = `CONNMARK → ctmark ${hex(ct)}`;
        } else if (o.name === '--save-mark') {
          ct = ((ct & ~ctmask) ^ (mark & nfmask)) >>> 0;
          text = `CONNMARK --save-mark → ctmark ${hex(ct)}`;
        } else if (o.name === '--restore-mark') {
          mark = ((mark & ~nfmask) ^ (ct & ctmask)) >>> 0;
          text = `CONNMARK --restore-mark → mark ${hex(mark)}`;
        }
      }
      w = { ...w, pkt: { ...w.pkt, mark } };
      return { w, ctMark: ct, changed: mark !== w0.pkt.mark, text: text || 'CONNMARK' };
    }
    case 'NOTRACK':
      return { w, ctMark, notrack: true, changed: false, text: 'NOTRACK: the connection is not tracked (no NAT for it)' };
    case 'CT':
      if (opt(target, '--notrack')) return { w, ctMark, notrack: true, changed: false, text: 'CT --notrack: the connection is not tracked (no NAT for it)' };
      return { w, ctMark, changed: false, text: 'CT (no effect on the walk)' };
    case 'LOG':
    case 'NFLOG':
    case 'ULOG':
    case 'TRACE': {
      const prefix = arg('--log-prefix') ?? arg('--nflog-prefix');
      return { w, ctMark, changed: false, text: `${target.name}${prefix ? ` ${JSON.stringify(prefix)}` : ''} (logged, walk continues)` };
    }
    case 'QUEUE':
    case 'NFQUEUE':
      w = withAssumption(w, host, `${target.name}: the userspace program's verdict is unknown; taken as ACCEPT`);
      return { w, ctMark, verdict: 'ACCEPT', changed: false, text: `${target.name} (assumed ACCEPT)` };
    case 'TCPMSS':
    case 'CHECKSUM':
    case 'TOS':
    case 'DSCP':
    case 'TTL':
    case 'CLASSIFY':
    case 'SET':
    case 'CONNSECMARK':
    case 'SECMARK':
    case 'TEE':
      return { w, ctMark, changed: false, text: `${target.name} (does not change where the packet goes)` };
    default:
      w = withAssumption(w, host, `target ${target.name} is neither a chain of table ${cx.table} nor a modelled target: taken as a no-op`);
      return { w, ctMark, changed: false, text: `${target.name} (not modelled: no-op)` };
  }
}
