/**
 * Whether a rule matches a packet: the rule's own fields (`-p -s -d -i -o -f`)
 * and then every `-m` match, left to right, as the kernel does. A match the
 * packet cannot decide offline (ipset members unknown, `-m recent` history, an
 * unmodelled module) is an assumption: it is written down and the rule is taken
 * not to match, the reading under which the ruleset behaves as if that rule were
 * absent. `-m statistic` is not assumed: it gives the probability of matching.
 */
import type { IPv4 } from '../net/ipv4';
import { contains, parseIPv4 } from '../net/ipv4';
import type { Match, Negatable, Rule } from '../model/netfilter';
import type { MatchContext } from './match-context';
import { ifaceMatches, neg, opt, portMatches, prefixOf, valueMask, PROTO_NUMBERS, type MatchVerdict } from './match-values';
import { evalAddrtype, evalConnlimit, evalConntrack, evalPhysdev, evalSet, evalStatistic, l4Ports } from './eval-modules';

export { ifaceMatches, portMatches, prefixOf, valueMask };

/** The verdict on one rule: does it match, with what probability, on what assumptions. */
export interface MatchResult {
  matched: boolean;
  /** Probability of matching when `matched` (statistic); 1 otherwise. */
  p: number;
  assumptions: string[];
}

const NO: MatchResult = { matched: false, p: 1, assumptions: [] };

function protoMatches(f: Negatable<string>, proto: string): boolean {
  const want = PROTO_NUMBERS[f.value] ?? f.value.toLowerCase();
  const m = want === 'all' || want === '0' || want === proto;
  return neg(f.negated, m);
}

function addrField(f: Negatable<string>, a: IPv4): MatchVerdict {
  const p = prefixOf(f.value);
  if (!p) return { assume: `address '${f.value}' could not be read: rule taken as not matching`, value: false };
  return neg(f.negated, contains(p, a));
}

/** Evaluates a rule against the packet. */
export function evalRule(rule: Rule, cx: MatchContext): MatchResult {
  const pkt = cx.pkt;
  if (rule.protocol && !protoMatches(rule.protocol, pkt.proto)) return NO;
  const parts: MatchVerdict[] = [];
  if (rule.destination) {
    const r = addrField(rule.destination, pkt.dst);
    if (r === false) return NO;
    parts.push(r);
  }
  if (rule.source) {
    const r = addrField(rule.source, pkt.src);
    if (r === false) return NO;
    parts.push(r);
  }
  if (rule.inInterface && !neg(rule.inInterface.negated, ifaceMatches(rule.inInterface.value, cx.inIface))) return NO;
  if (rule.outInterface && !neg(rule.outInterface.negated, ifaceMatches(rule.outInterface.value, cx.outIface))) return NO;
  // Only first fragments exist in this model (a whole packet): `-f` never matches, `! -f` always does.
  if (rule.fragment && !rule.fragment.negated) return NO;
  if (rule.unknown?.includes('inInterface') || rule.unknown?.includes('outInterface')) {
    parts.push({ assume: 'a rule listed without interfaces (iptables -L without -v) applies to any interface', value: true });
  }
  for (const m of rule.matches) {
    const r = evalMatch(m, cx);
    if (r === false) return NO;
    parts.push(r);
  }
  let p = 1;
  let matched = true;
  const assumptions: string[] = [];
  for (const r of parts) {
    if (r === true) continue;
    if (typeof r === 'object' && 'p' in r) p *= r.p;
    else if (typeof r === 'object') {
      assumptions.push(r.assume);
      if (!r.value) matched = false;
    }
  }
  return { matched, p: matched ? p : 1, assumptions };
}

const ICMP_TYPES: Record<string, number> = { 'echo-request': 8, 'echo-reply': 0, 'destination-unreachable': 3, 'time-exceeded': 11, any: -1 };

function evalMatch(m: Match, cx: MatchContext): MatchVerdict {
  const pkt = cx.pkt;
  switch (m.module) {
    case 'tcp':
    case 'udp':
    case 'sctp':
      return l4Ports(m, cx);
    case 'icmp': {
      if (pkt.proto !== 'icmp') return false;
      const o = opt(m, '--icmp-type');
      if (!o) return true;
      const t = ICMP_TYPES[o.values[0] ?? ''] ?? Number((o.values[0] ?? '').split('/')[0]);
      const actual = pkt.icmpError ? 3 : cx.ct.dir === 'REPLY' ? 0 : 8;
      return neg(o.negated, t === -1 || t === actual);
    }
    case 'multiport': {
      for (const o of m.options) {
        const list = (o.values[0] ?? '').split(',');
        const hit = (port: number | undefined): boolean => list.some((s) => portMatches(s, port));
        let ok: boolean;
        if (o.name === '--dports' || o.name === '--destination-ports') ok = hit(pkt.dport);
        else if (o.name === '--sports' || o.name === '--source-ports') ok = hit(pkt.sport);
        else if (o.name === '--ports' || o.name === '--port') ok = hit(pkt.dport) || hit(pkt.sport);
        else continue;
        if (!neg(o.negated, ok)) return false;
      }
      return true;
    }
    case 'comment':
    case 'limit':
    case 'hashlimit':
    case 'nfacct':
    case 'connlimit':
      // A first packet is within any rate limit and any connection count.
      return m.module === 'connlimit' ? evalConnlimit(m) : true;
    case 'statistic':
      return evalStatistic(m);
    case 'mark':
    case 'connmark': {
      const o = opt(m, '--mark');
      if (!o) return true;
      const { value, mask } = valueMask(o.values[0] ?? '0');
      const cur = m.module === 'mark' ? pkt.mark : cx.ct.mark;
      return neg(o.negated, ((cur & mask) >>> 0) === (value & mask) >>> 0);
    }
    case 'conntrack':
    case 'state':
      return evalConntrack(m, cx);
    case 'addrtype':
      return evalAddrtype(m, cx);
    case 'recent': {
      const set = opt(m, '--set');
      if (set) return neg(set.negated, true);
      const o = opt(m, '--rcheck', '--update', '--remove');
      return { assume: `-m recent list${opt(m, '--name') ? ` ${opt(m, '--name')?.values[0]}` : ''} is empty (first packet): no previous hit`, value: o ? neg(o.negated, false) : false };
    }
    case 'set':
      return evalSet(m, cx);
    case 'physdev':
      return evalPhysdev(m, cx);
    case 'iprange': {
      for (const o of m.options) {
        const [a, b] = (o.values[0] ?? '').split('-');
        const lo = parseIPv4(a ?? '');
        const hi = parseIPv4(b ?? a ?? '');
        if (lo === undefined || hi === undefined) return { assume: `iprange '${o.values[0]}' could not be read: rule taken as not matching`, value: false };
        const x = o.name === '--src-range' ? pkt.src : pkt.dst;
        if (!neg(o.negated, x >= lo && x <= hi)) return false;
      }
      return true;
    }
    case 'mac': {
      const o = opt(m, '--mac-source');
      return { assume: 'MAC addresses are not modelled: the sender\'s MAC taken as different from --mac-source', value: o ? o.negated : false };
    }
    case 'pkttype': {
      const o = opt(m, '--pkt-type');
      const t = pkt.dst === 0xffffffff ? 'broadcast' : pkt.dst >>> 28 === 14 ? 'multicast' : 'unicast';
      return o ? neg(o.negated, (o.values[0] ?? '').toLowerCase() === t) : true;
    }
    case 'length': {
      const o = opt(m, '--length');
      const len = pkt.proto === 'tcp' ? 60 : pkt.proto === 'udp' ? 72 : 84;
      if (!o) return true;
      const r = neg(o.negated, portMatches(o.values[0] ?? '', len));
      return { assume: `packet length taken as ${len} bytes (a ${pkt.proto === 'tcp' ? 'SYN' : 'first'} packet)`, value: r };
    }
    case 'ttl': {
      for (const o of m.options) {
        const v = Number(o.values[0]);
        const ok = o.name === '--ttl-eq' ? pkt.ttl === v : o.name === '--ttl-gt' ? pkt.ttl > v : o.name === '--ttl-lt' ? pkt.ttl < v : true;
        if (!neg(o.negated, ok)) return false;
      }
      return true;
    }
    case 'policy': {
      // No IPsec in the model: `--pol none` holds, `--pol ipsec` does not.
      const o = opt(m, '--pol');
      return o ? neg(o.negated, o.values[0] === 'none') : true;
    }
    default:
      return { assume: `match -m ${m.module} is not modelled: rule taken as not matching`, value: false };
  }
}

