/**
 * One netfilter hook on one host: its tables in the kernel's priority order,
 * connection tracking (the entry is looked up after `raw`, created for a NEW
 * packet, confirmed when the packet leaves or is delivered), and NAT: the nat
 * table is consulted only for the first packet of a connection; every later
 * packet, the reply included, is rewritten from the conntrack entry alone —
 * destination at PREROUTING/OUTPUT, source at POSTROUTING/INPUT.
 */
import type { IPv4 } from '../net/ipv4';
import type { Host } from '../model/cluster';
import type { CtView, HookName, MatchContext } from './match-context';
import type { CtEntry, Walk } from './walk-state';
import { describe, invert, sameTuple, tupleOf, viewOf, withAssumption, withCt, withHop } from './walk-state';
import { walkTable } from './walk-netfilter';
import { CONNTRACK_PRIORITY, hookStages } from './hook-stages';
import { walkNftChain } from './walk-nft-chain';

/** The interfaces a hook sees. */
export interface HookIO {
  inIface?: string;
  outIface?: string;
  physIn?: string;
  physOut?: string;
  /** A bridged frame (br_netfilter), not a routed packet. */
  bridged: boolean;
  /** For MASQUERADE's choice of source address. */
  nextHop?: IPv4;
  /** False when the packet stays in the host after POSTROUTING (loopback delivery): conntrack confirms after INPUT. */
  confirm?: boolean;
}

/** How a hook ended for one branch. */
export interface HookOutcome {
  w: Walk;
  verdict: 'ACCEPT' | 'DROP' | 'REJECT' | 'LOOP';
  rejectWith?: string;
  why: string;
}

/** conntrack's view of the packet on `host`, and the entry it belongs to. */
function ctLookup(host: Host, hook: HookName, w: Walk): { view: CtView; entry?: CtEntry } {
  const e = w.ct.get(host.id);
  const first = hook === 'PREROUTING' || hook === 'OUTPUT';
  const base = { dnat: false, snat: false, mark: 0 };
  if (w.assoc?.host === host.id) {
    const a = w.assoc;
    if (!e || e.untracked) return { view: { ...base, state: a.state, dir: a.dir } };
    return { view: { state: a.state, dir: a.dir, dnat: e.dnat, snat: e.snat, mark: e.mark, orig: e.orig, reply: e.reply }, entry: e };
  }
  if (e && w.pkt.icmpError && !e.untracked) {
    // An ICMP error about a connection this host tracks (even one whose first packet it just rejected).
    return { view: { state: 'RELATED', dir: 'REPLY', dnat: e.dnat, snat: e.snat, mark: e.mark, orig: e.orig, reply: e.reply }, entry: e };
  }
  if (e && !e.confirmed && !first) {
    if (e.untracked) return { view: { ...base, state: 'UNTRACKED', dir: 'ORIGINAL' }, entry: e };
    return { view: { state: 'NEW', dir: 'ORIGINAL', dnat: e.dnat, snat: e.snat, mark: e.mark, orig: e.orig, reply: e.reply }, entry: e };
  }
  if (e && e.confirmed && !e.untracked) {
    const full = { dnat: e.dnat, snat: e.snat, mark: e.mark, orig: e.orig, reply: e.reply };
    if (e.reply && sameTuple(tupleOf(w.pkt), e.reply)) return { view: { ...full, state: 'ESTABLISHED', dir: 'REPLY' }, entry: e };
    if (sameTuple(tupleOf(w.pkt), e.orig)) return { view: { ...full, state: 'ESTABLISHED', dir: 'ORIGINAL' }, entry: e };
  }
  if (w.pkt.icmpError) return { view: { ...base, state: 'INVALID', dir: 'REPLY' } };
  return { view: { ...base, state: 'NEW', dir: 'ORIGINAL' } };
}

/** Rewrites an established packet from its conntrack entry (the NAT binding made on the first packet). */
function natFromEntry(host: Host, hook: HookName, w: Walk, view: CtView, e: CtEntry): Walk {
  if (view.state === 'NEW' || view.state === 'UNTRACKED' || view.state === 'INVALID') return w;
  const pkt = { ...w.pkt };
  const dstManip = hook === 'PREROUTING' || hook === 'OUTPUT';
  let what = '';
  if (view.dir === 'REPLY') {
    if (dstManip && e.snat) {
      pkt.dst = e.orig.src;
      if (!pkt.icmpError) pkt.dport = e.orig.sport;
      what = 'reply to a SNATed connection: destination restored';
    } else if (!dstManip && e.dnat) {
      pkt.src = e.orig.dst;
      if (!pkt.icmpError) pkt.sport = e.orig.dport;
      what = 'reply to a DNATed connection: source restored';
    }
  } else if (e.reply) {
    const out = invert(e.reply);
    if (dstManip && e.dnat) {
      pkt.dst = out.dst;
      pkt.dport = out.dport;
      what = 'established connection: DNAT applied again';
    } else if (!dstManip && e.snat) {
      pkt.src = out.src;
      pkt.sport = out.sport;
      what = 'established connection: SNAT applied again';
    }
  }
  if (!what) return w;
  return withHop({ ...w, pkt }, { host: host.id, kind: 'nat', text: `conntrack (${view.state} ${view.dir.toLowerCase()}): ${what}: ${describe(pkt)}`, packet: viewOf(pkt) });
}

/**
 * Runs hook `hook` of `host` over the walk; one outcome per branch. Hosts without
 * rules accept everything. iptables' tables and nftables base chains run in
 * priority order (hook-stages); an nft `accept` ends only its own base chain.
 */
export function runHook(host: Host, hook: HookName, w0: Walk, io: HookIO): HookOutcome[] {
  const nf = host.netfilter;
  if (!nf && !host.nftables) return [{ w: w0, verdict: 'ACCEPT', why: 'no netfilter rules' }];
  const first = hook === 'PREROUTING' || hook === 'OUTPUT';
  // A new traversal of this host: conntrack looks the packet up afresh.
  let states: HookOutcome[] = [{ w: first && w0.assoc ? { ...w0, assoc: undefined } : w0, verdict: 'ACCEPT', why: '' }];
  const done: HookOutcome[] = [];
  let looked = !first;
  const cxBase = (w: Walk, view: CtView): Omit<MatchContext, 'pkt' | 'table'> => ({ host, hook, inIface: io.inIface, outIface: io.outIface, physIn: io.physIn, physOut: io.physOut, bridged: io.bridged, ct: view });
  const { stages, ties } = hookStages(host, hook);
  for (const tie of ties) states = states.map((s) => ({ ...s, w: withAssumption(s.w, host.id, tie) }));
  // An established connection's NAT binding is applied once, at the hook's first NAT stage.
  const firstNat = stages.find((s) => s.nat);
  for (const stage of stages) {
    if (!looked && stage.priority > CONNTRACK_PRIORITY) {
      // conntrack runs after raw (priority -200): create the entry (or find it) now.
      states = states.map((s) => ({ ...s, w: enterConntrack(host, hook, s.w) }));
      looked = true;
    }
    const table = stage.kind === 'iptables' ? nf?.ruleset.tables.get(stage.table) : undefined;
    const next: HookOutcome[] = [];
    for (const s of states) {
      const { view, entry } = ctLookup(host, hook, s.w);
      let w = s.w;
      if (stage.nat) {
        if (entry && view.state !== 'NEW') {
          next.push({ ...s, w: stage === firstNat ? natFromEntry(host, hook, w, view, entry) : w });
          continue;
        }
        if (view.state === 'UNTRACKED' || view.state === 'INVALID') {
          // No conntrack entry to hold a binding: the nat table is not consulted.
          next.push(s);
          continue;
        }
        if (view.state === 'NEW' && entry) w = withAssumption(w, host.id, 'conntrack state NEW (first packet of the connection)');
      }
      if (stage.kind === 'iptables' && !table) {
        next.push({ ...s, w });
        continue;
      }
      const verdicts = stage.kind === 'iptables'
        ? walkTable(table!, cxBase(w, view), w, view.mark, io.nextHop)
        : walkNftChain(stage.table, stage.chain, cxBase(w, view), w, view.mark, io.nextHop);
      for (const v of verdicts) {
        let vw = v.w;
        if (stage.priority < CONNTRACK_PRIORITY && v.notrack) vw = withCt(vw, host.id, { orig: tupleOf(vw.pkt), dnat: false, snat: false, mark: 0, confirmed: false, untracked: true });
        const cur = vw.ct.get(host.id);
        if (cur && !cur.untracked && (v.nat || v.ctMark !== cur.mark)) {
          vw = withCt(vw, host.id, { ...cur, mark: v.ctMark, dnat: cur.dnat || v.nat === 'dnat', snat: cur.snat || v.nat === 'snat' });
        }
        if (v.verdict === 'ACCEPT') next.push({ w: vw, verdict: 'ACCEPT', why: v.why });
        else done.push({ w: vw, verdict: v.verdict, rejectWith: v.rejectWith, why: v.why });
      }
    }
    states = next;
  }
  if (!looked) states = states.map((s) => ({ ...s, w: enterConntrack(host, hook, s.w) }));
  if ((hook === 'POSTROUTING' || hook === 'INPUT') && io.confirm !== false) states = states.map((s) => ({ ...s, w: confirm(host, s.w) }));
  return [...states, ...done];
}

/** Finds or creates this host's conntrack entry for the packet (skipped when raw said NOTRACK). */
function enterConntrack(host: Host, hook: HookName, w: Walk): Walk {
  const e = w.ct.get(host.id);
  if (e && !e.confirmed) return { ...w, assoc: { host: host.id, state: e.untracked ? 'UNTRACKED' : w.pkt.icmpError ? 'RELATED' : 'NEW', dir: w.pkt.icmpError ? 'REPLY' : 'ORIGINAL' } };
  const { view } = ctLookup(host, hook, w);
  const w1 = { ...w, assoc: { host: host.id, state: view.state, dir: view.dir } };
  if (view.state !== 'NEW') return w1;
  return withCt(w1, host.id, { orig: tupleOf(w.pkt), dnat: false, snat: false, mark: 0, confirmed: false });
}

/** The packet leaves (or is delivered): the entry's reply tuple is the inverse of the packet as it is now. */
export function confirm(host: Host, w: Walk): Walk {
  const e = w.ct.get(host.id);
  if (!e || e.confirmed) return w;
  if (e.untracked) {
    const ct = new Map(w.ct);
    ct.delete(host.id);
    return { ...w, ct };
  }
  return withCt(w, host.id, { ...e, reply: invert(tupleOf(w.pkt)), confirmed: true });
}
