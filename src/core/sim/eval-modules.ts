/**
 * The match modules with state or structure of their own: tcp/udp/sctp ports
 * and flags, statistic, conntrack/state, addrtype, set (ipset), physdev,
 * connlimit. Each gives a MatchVerdict (match-values.ts).
 */
import type { IPv4 } from '../net/ipv4';
import { contains } from '../net/ipv4';
import type { Match } from '../model/netfilter';
import type { MatchContext } from './match-context';
import { addrTypeOf } from './addr-type';
import { ifaceMatches, neg, opt, portMatches, prefixOf, PROTO_NUMBERS, type MatchVerdict } from './match-values';

/** `-m tcp|udp|sctp`: ports, `--syn`, `--tcp-flags` (the first packet is a SYN, a reply a SYN-ACK). */
export function l4Ports(m: Match, cx: MatchContext): MatchVerdict {
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

/** `-m connlimit`: the traced connection is the only one. */
export function evalConnlimit(m: Match): MatchVerdict {
  const above = opt(m, '--connlimit-above');
  if (above) return neg(above.negated, 1 > Number(above.values[0]));
  const upto = opt(m, '--connlimit-upto');
  if (upto) return neg(upto.negated, 1 <= Number(upto.values[0]));
  return true;
}

/** `-m statistic`: random or nth, as the probability of matching. */
export function evalStatistic(m: Match): MatchVerdict {
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

/** `-m conntrack` and `-m state`. */
export function evalConntrack(m: Match, cx: MatchContext): MatchVerdict {
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

/** `-m addrtype`, with `--limit-iface-in/out`. */
export function evalAddrtype(m: Match, cx: MatchContext): MatchVerdict {
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

/** `-m set`: evaluated when the members are known, else an assumption (not contained). */
export function evalSet(m: Match, cx: MatchContext): MatchVerdict {
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
      // ipset writes a port as `proto:port`; a bare port means tcp.
      return k === (part.includes(':') ? part : `tcp:${part}`);
    });
  });
  return neg(o.negated, hit);
}

function ipText(a: IPv4): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** `-m physdev`: bridge ports, only for a bridged frame. */
export function evalPhysdev(m: Match, cx: MatchContext): MatchVerdict {
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
