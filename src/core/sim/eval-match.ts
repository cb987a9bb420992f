/**
 * Whether a rule matches a packet: the rule's own fields (`-p -s -d -i -o -f`)
 * and then every `-m` match, left to right, as the kernel does. A match the
 * packet cannot decide offline (ipset members unknown, `-m recent` history, an
 * unmodelled module) is an assumption: it is written down and the rule is taken
 * not to match, the reading under which the ruleset behaves as if that rule were
 * absent. `-m statistic` is not assumed: it gives the probability of matching.
 */
import type { IPv4, Prefix } from '../net/ipv4';
import { contains, parseIPv4, parsePrefix } from '../net/ipv4';
import type { Match, Negatable, Option, Rule } from '../parse/iptables-model';
import type { MatchContext } from './match-context';
import { addrTypeOf } from './addr-type';

/** The verdict on one rule: does it match, with what probability, on what assumptions. */
export interface MatchResult {
  matched: boolean;
  /** Probability of matching when `matched` (statistic); 1 otherwise. */
  p: number;
  assumptions: string[];
}

const NO: MatchResult = { matched: false, p: 1, assumptions: [] };

const PROTO_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '132': 'sctp' };

const prefixCache = new Map<string, Prefix | null>();

/** Parses an address field (`10.0.0.0/8`, `10.0.0.1`), cached: the hot path sees the same strings again and again. */
export function prefixOf(s: string): Prefix | undefined {
  let p = prefixCache.get(s);
  if (p === undefined) {
    const q = parsePrefix(s);
    p = q ? { addr: q.addr, len: q.len } : null;
    if (prefixCache.size > 100000) prefixCache.clear();
    prefixCache.set(s, p);
  }
  return p ?? undefined;
}

/** `eth+` matches every name starting with `eth`; otherwise names must be equal. */
export function ifaceMatches(pattern: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  if (pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/** `53`, `1000:2000`, `:1024`, `1024:` against a port. */
export function portMatches(spec: string, port: number | undefined): boolean {
  if (port === undefined) return false;
  const c = spec.indexOf(':');
  if (c < 0) return Number(spec) === port;
  const lo = c === 0 ? 0 : Number(spec.slice(0, c));
  const hi = c === spec.length - 1 ? 65535 : Number(spec.slice(c + 1));
  return port >= lo && port <= hi;
}

/** `value[/mask]` as two unsigned numbers (mask defaults to all ones). */
export function valueMask(s: string): { value: number; mask: number } {
  const slash = s.indexOf('/');
  const value = Number(slash < 0 ? s : s.slice(0, slash)) >>> 0;
  const mask = slash < 0 ? 0xffffffff : Number(s.slice(slash + 1)) >>> 0;
  return { value, mask };
}

function neg(n: boolean, v: boolean): boolean {
  return n ? !v : v;
}

function protoMatches(f: Negatable<string>, proto: string): boolean {
  const want = PROTO_NUMBERS[f.value] ?? f.value.toLowerCase();
  const m = want === 'all' || want === '0' || want === proto;
  return neg(f.negated, m);
}

type Partial = boolean | { assume: string; value: boolean } | { p: number };

function addrField(f: Negatable<string>, a: IPv4): Partial {
  const p = prefixOf(f.value);
  if (!p) return { assume: `address '${f.value}' could not be read: rule taken as not matching`, value: false };
  return neg(f.negated, contains(p, a));
}

/** Evaluates a rule against the packet. */
export function evalRule(rule: Rule, cx: MatchContext): MatchResult {
  const pkt = cx.pkt;
  if (rule.protocol && !protoMatches(rule.protocol, pkt.proto)) return NO;
  const parts: Partial[] = [];
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

function opt(m: Match, ...names: string[]): Option | undefined {
  for (const o of m.options) if (names.includes(o.name)) return o;
  return undefined;
}

function l4Ports(m: Match, cx: MatchContext): Partial {
  if (m.module !== cx.pkt.proto) return false;
  for (const o of m.options) {
    switch (o.name) {
      case '--dport':
      case '--destination-port':
        if (!neg(o.negated, portMatches(o.values[0] ?? '', cx.pkt.dport))) return false;
        break;
      case '--sport':
      case '--source-port':
        if (!neg(o.negated, portMatches(o.values[0] ?? '', cx.pkt.sport))) return false;
        break;
      case '--syn':
        if (!neg(o.negated, !cx.pkt.icmpError && cx.ct.dir === 'ORIGINAL' && cx.ct.state === 'NEW')) return false;
        break;
      case '--tcp-flags': {
        // The first packet is a SYN, a reply a SYN-ACK.
        const flags = cx.ct.dir === 'REPLY' ? ['SYN', 'ACK'] : ['SYN'];
        const mask = (o.values[0] ?? '').split(',');
        const want = (o.values[1] ?? '').split(',').filter((x) => x !== 'NONE');
        const set = mask.includes('ALL') ? flags : flags.filter((f) => mask.includes(f));
        const ok = set.length === want.length && want.every((f) => set.includes(f));
        if (!neg(o.negated, ok)) return false;
        break;
      }
      default:
        return { assume: `${m.module} option ${o.name} not modelled: rule taken as not matching`, value: false };
    }
  }
  return true;
}

const ICMP_TYPES: Record<string, number> = { 'echo-request': 8, 'echo-reply': 0, 'destination-unreachable': 3, 'time-exceeded': 11, any: -1 };

function evalMatch(m: Match, cx: MatchContext): Partial {
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

function evalConnlimit(m: Match): Partial {
  const above = opt(m, '--connlimit-above');
  if (above) return neg(above.negated, 1 > Number(above.values[0]));
  const upto = opt(m, '--connlimit-upto');
  if (upto) return neg(upto.negated, 1 <= Number(upto.values[0]));
  return true;
}

function evalStatistic(m: Match): Partial {
  const mode = opt(m, '--mode')?.values[0] ?? 'random';
  let p: number;
  let negated = false;
  if (mode === 'nth') {
    const every = opt(m, '--every');
    const n = Number(every?.values[0] ?? 1);
    p = n > 0 ? 1 / n : 1;
    negated = every?.negated ?? false;
  } else {
    const o = opt(m, '--probability');
    p = Number(o?.values[0] ?? 1);
    negated = o?.negated ?? false;
  }
  if (!(p >= 0 && p <= 1)) return { assume: `statistic probability '${p}' out of range: rule taken as not matching`, value: false };
  if (negated) p = 1 - p;
  if (p >= 1) return true;
  if (p <= 0) return false;
  return { p };
}

function evalConntrack(m: Match, cx: MatchContext): Partial {
  const ct = cx.ct;
  for (const o of m.options) {
    const vals = (o.values[0] ?? '').split(',');
    let ok: boolean;
    switch (o.name) {
      case '--ctstate':
      case '--state':
        ok = vals.some((v) => v === ct.state || (v === 'DNAT' && ct.dnat) || (v === 'SNAT' && ct.snat));
        break;
      case '--ctstatus':
        ok = vals.some((v) => (v === 'CONFIRMED' && ct.state !== 'NEW') || v === 'NONE' && ct.state === 'NEW');
        break;
      case '--ctdir':
        ok = vals[0] === ct.dir;
        break;
      case '--ctproto':
        ok = (PROTO_NUMBERS[vals[0]] ?? vals[0]) === cx.pkt.proto;
        break;
      case '--ctorigdst':
      case '--ctorigsrc':
      case '--ctrepldst':
      case '--ctreplsrc': {
        const t = o.name.startsWith('--ctorig') ? ct.orig : ct.reply;
        const p = prefixOf(vals[0]);
        const a = t ? (o.name.endsWith('dst') ? t.dst : t.src) : undefined;
        ok = p !== undefined && a !== undefined && contains(p, a);
        break;
      }
      case '--ctorigdstport':
      case '--ctorigsrcport': {
        const port = o.name === '--ctorigdstport' ? ct.orig?.dport : ct.orig?.sport;
        ok = portMatches(vals[0], port);
        break;
      }
      default:
        return { assume: `conntrack option ${o.name} not modelled: rule taken as not matching`, value: false };
    }
    if (!neg(o.negated, ok)) return false;
  }
  return true;
}

function evalAddrtype(m: Match, cx: MatchContext): Partial {
  const limitIn = opt(m, '--limit-iface-in') ? cx.inIface : undefined;
  const limitOut = opt(m, '--limit-iface-out') ? cx.outIface : undefined;
  for (const o of m.options) {
    let a: IPv4;
    if (o.name === '--src-type') a = cx.pkt.src;
    else if (o.name === '--dst-type') a = cx.pkt.dst;
    else continue;
    const types = (o.values[0] ?? '').toUpperCase().split(',');
    const t = addrTypeOf(cx.host, a, limitIn ?? limitOut);
    if (!neg(o.negated, types.includes(t))) return false;
  }
  return true;
}

function evalSet(m: Match, cx: MatchContext): Partial {
  const o = opt(m, '--match-set');
  if (!o) return true;
  const name = o.values[0] ?? '';
  const dirs = (o.values[1] ?? 'src').split(',');
  const members = cx.host.netfilter?.ipsets?.get(name);
  if (!members) return { assume: `ipset ${name} members unknown: taken as not containing the packet`, value: o.negated };
  const pkt = cx.pkt;
  const key: string[] = dirs.map((d, i) => {
    // The first direction selects the address; later ones the port, as hash:ip,port sets use them.
    if (i === 0) return d === 'dst' ? ipText(pkt.dst) : ipText(pkt.src);
    return `${pkt.proto}:${d === 'dst' ? pkt.dport : pkt.sport}`;
  });
  const hit = members.some((mem) => {
    const parts = mem.split(',');
    if (parts.length < key.length) {
      const pfx = prefixOf(parts[0]);
      return pfx !== undefined && contains(pfx, dirs[0] === 'dst' ? pkt.dst : pkt.src);
    }
    return parts.every((part, i) => {
      if (i === 0) {
        const pfx = prefixOf(part);
        return pfx !== undefined && contains(pfx, dirs[0] === 'dst' ? pkt.dst : pkt.src);
      }
      const k = key[i];
      return k === part || k === `tcp:${part}` || k?.endsWith(`:${part.split(':').pop()}`) === true;
    });
  });
  return neg(o.negated, hit);
}

function ipText(a: IPv4): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

function evalPhysdev(m: Match, cx: MatchContext): Partial {
  for (const o of m.options) {
    let ok: boolean;
    switch (o.name) {
      case '--physdev-in':
        ok = cx.bridged && ifaceMatches(o.values[0] ?? '', cx.physIn);
        break;
      case '--physdev-out':
        ok = cx.bridged && ifaceMatches(o.values[0] ?? '', cx.physOut);
        break;
      case '--physdev-is-in':
        ok = cx.bridged && cx.physIn !== undefined;
        break;
      case '--physdev-is-out':
        ok = cx.bridged && cx.physOut !== undefined;
        break;
      case '--physdev-is-bridged':
        ok = cx.bridged && cx.hook === 'FORWARD';
        break;
      default:
        continue;
    }
    if (!neg(o.negated, ok)) return false;
  }
  return true;
}
