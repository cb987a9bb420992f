/**
 * One nftables base chain's pass over a packet: its rules, statement by
 * statement, the chains they `jump` to (and come back from) or `goto`, verdict
 * maps, and the chain's policy when the walk falls off its end. `accept` ends
 * this base chain only (the next base chain or iptables table at the hook still
 * runs); `drop` and `reject` are final. A NAT statement rewrites the packet
 * and ends the chain with accept, as in the kernel. A random choice (numgen,
 * jhash, `meta random`) splits the walk into branches with their shares.
 */
import type { NftChain, NftRule, NftStmt, NftTable } from '../model/nftables';
import type { Host } from '../model/cluster';
import { originOf } from '../source';
import type { Hop } from './types';
import type { MatchContext } from './match-context';
import type { List, Walk } from './walk-state';
import { viewOf, withAssumption, withHop } from './walk-state';
import { applyTarget } from './apply-target';
import type { TableVerdict } from './walk-netfilter';
import { evalExpr } from './nft-eval';
import { type NftAct, type NftBranch, type TextOf, evalMatch, evalVmap, mapData, natTarget, rejectWith } from './nft-stmt';

const MAX_DEPTH = 16; // the kernel's jump stack (NFT_JUMP_STACK_SIZE)
const MAX_STEPS = 200000;

interface Frame {
  chain: NftChain;
  /** Index of the rule being evaluated (-1 before the first). */
  pos: number;
  /** Index of the next statement of that rule. */
  stmt: number;
  before?: List<Hop>;
  after?: List<Hop>;
}

interface Thread {
  w: Walk;
  stack: Frame[];
  ctMark: number;
  notrack: boolean;
}

/** A step pointing at `rule`'s line. */
function ruleHop(host: Host, table: NftTable, chain: NftChain, rule: NftRule | undefined, text: string, w: Walk | undefined): Hop {
  const hop: Hop = { host: host.id, kind: 'rule', text, table: `${table.family} ${table.name}`, chain: chain.name };
  if (rule) hop.origin = originOf(rule.span, rule.text, host.nftables?.placement);
  if (w) hop.packet = viewOf(w.pkt);
  return hop;
}

/** Runs base chain `base` of `table` over the packet; every branch's verdict, in the same terms as an iptables table's pass. */
export function walkNftChain(table: NftTable, base: NftChain, cx0: Omit<MatchContext, 'pkt' | 'table'>, w0: Walk, ctMark: number, nextHop?: number): TableVerdict[] {
  const host = cx0.host;
  const out: TableVerdict[] = [];
  const work: Thread[] = [{ w: w0, stack: [{ chain: base, pos: -1, stmt: 0 }], ctMark, notrack: false }];
  const cx: MatchContext = { ...cx0, table: `${table.family} ${table.name}`, pkt: w0.pkt, ct: { ...cx0.ct } };
  const label = `${table.family} ${table.name} ${base.name}`;
  let steps = 0;
  while (work.length) {
    const t = work.pop() as Thread;
    for (;;) {
      if (++steps > MAX_STEPS) {
        out.push({ w: t.w, verdict: 'LOOP', why: `more than ${MAX_STEPS} statements evaluated in ${label}`, notrack: t.notrack, ctMark: t.ctMark });
        break;
      }
      const top = t.stack[t.stack.length - 1];
      cx.pkt = t.w.pkt;
      cx.ct.mark = t.ctMark;
      const rule = top.pos >= 0 ? top.chain.rules[top.pos] : undefined;
      if (!rule || top.stmt >= rule.stmts.length) {
        // The rule is done (or none started): the next one, or the end of the chain.
        top.pos++;
        top.stmt = 0;
        if (top.pos < top.chain.rules.length) continue;
        const done = t.stack.pop();
        if (done?.after && t.w.hops === done.after) t.w = { ...t.w, hops: done.before };
        if (t.stack.length === 0) {
          const policy = base.hook?.policy ?? 'accept';
          let w = t.w;
          if (policy === 'drop') w = withHop(w, ruleHop(host, table, base, undefined, `${label} policy drop`, undefined));
          out.push({ w, verdict: policy === 'drop' ? 'DROP' : 'ACCEPT', why: `${label} policy ${policy}`, notrack: t.notrack, ctMark: t.ctMark });
          break;
        }
        continue;
      }
      const s = rule.stmts[top.stmt++];
      // Statement texts are cut from the rule's own line (offsets are into the same text).
      const printStmt: TextOf = (at) => rule.text.slice(at.start - rule.span.start, at.end - rule.span.start);
      let branches: NftBranch[];
      let assumptions: string[] = [];
      switch (s.kind) {
        case 'match': ({ branches, assumptions } = evalMatch(s, table, cx, printStmt)); break;
        case 'vmap': ({ branches, assumptions } = evalVmap(s, table, cx)); break;
        case 'verdict': branches = [{ p: 1, act: { k: 'verdict', v: s.verdict } }]; break;
        case 'set': {
          const r = applySet(s, cx, t, printStmt);
          if (r) assumptions.push(r);
          else t.w = withHop(t.w, ruleHop(host, table, top.chain, rule, `${top.chain.name}: ${printStmt(s)}`, t.w));
          branches = [{ p: 1, act: { k: 'next' } }];
          break;
        }
        case 'nat': {
          const r = applyNat(s, table, cx, t, printStmt, nextHop);
          if (r === 'next') branches = [{ p: 1, act: { k: 'next' } }];
          else {
            for (const [i, b] of r.entries()) {
              const bt = i === r.length - 1 ? t : cloneThread(t);
              bt.w = { ...b.w, prob: t.w.prob * b.p };
              bt.w = withHop(bt.w, ruleHop(host, table, top.chain, rule, `${top.chain.name}: ${b.text}`, bt.w));
              out.push({ w: bt.w, verdict: 'ACCEPT', why: `${label}: ${s.type}`, notrack: bt.notrack, ctMark: bt.ctMark, nat: s.type === 'dnat' || s.type === 'redirect' ? 'dnat' : 'snat' });
            }
            branches = [];
          }
          break;
        }
        case 'notrack':
          t.notrack = true;
          t.w = withHop(t.w, ruleHop(host, table, top.chain, rule, `${top.chain.name}: notrack (the connection is not tracked: no NAT for it)`, undefined));
          branches = [{ p: 1, act: { k: 'next' } }];
          break;
        case 'limit':
          assumptions.push(`traffic is ${s.over ? 'not over' : 'within'} "${printStmt(s)}"`);
          branches = [{ p: 1, act: s.over ? { k: 'fail' } : { k: 'next' } }];
          break;
        case 'dynset':
          t.w = withHop(t.w, ruleHop(host, table, top.chain, rule, `${top.chain.name}: ${s.op} @${s.set} (remembered for later connections: session affinity)`, undefined));
          branches = [{ p: 1, act: { k: 'next' } }];
          break;
        case 'log':
          t.w = withHop(t.w, ruleHop(host, table, top.chain, rule, `${top.chain.name}: log${s.options.prefix ? ` ${JSON.stringify(s.options.prefix)}` : ''} (logged, walk continues)`, undefined));
          branches = [{ p: 1, act: { k: 'next' } }];
          break;
        case 'counter': branches = [{ p: 1, act: { k: 'next' } }]; break;
        case 'xt':
          assumptions.push(`xt ${s.type} ${s.name} (an iptables extension iptables-nft left untranslated) is not modelled: ${s.type === 'match' ? 'taken as matching' : 'taken as a no-op'}`);
          branches = [{ p: 1, act: { k: 'next' } }];
          break;
        case 'unknown':
          assumptions.push(`"${s.text}" is not a statement the simulator knows: the rule is taken as not matching`);
          branches = [{ p: 1, act: { k: 'fail' } }];
          break;
      }
      for (const a of assumptions) t.w = withAssumption(t.w, host.id, `${a} (${label}: ${top.chain.name}, line ${rule.span.line})`);
      if (branches.length === 0) break;
      // Random branches: all but the last continue as their own threads.
      let act: NftAct = branches[0].act;
      let branchLabel = branches[0].label;
      if (branches.length > 1 || branches[0].p < 1) {
        const budget = t.w.budget;
        const live = branches.filter((b) => b.p > 0);
        if (budget && budget.branches < live.length - 1) {
          const best = live.reduce((a, b) => (b.p > a.p ? b : a));
          t.w = withAssumption(t.w, host.id, `too many random branches in one trace: only the likeliest of ${live.length} is followed (${label}: ${top.chain.name}, line ${rule.span.line})`);
          act = best.act;
          branchLabel = best.label;
        } else {
          if (budget) budget.branches -= live.length - 1;
          for (const b of live.slice(1)) {
            const bt = cloneThread(t);
            bt.w = { ...bt.w, prob: t.w.prob * b.p };
            if (!resolveAct(bt, b.act, b.label, b.p)) work.push(bt);
          }
          t.w = { ...t.w, prob: t.w.prob * live[0].p };
          act = live[0].act;
          branchLabel = live[0].label;
          if (resolveAct(t, act, branchLabel, live[0].p)) break;
          continue;
        }
      }
      if (resolveAct(t, act, branchLabel, 1)) break;
    }
  }
  return out;

  /** Applies an act to a thread; true when the thread's pass has ended (its verdict is in `out`). */
  function resolveAct(t: Thread, act: NftAct, blabel: string | undefined, p: number): boolean {
    const top = t.stack[t.stack.length - 1];
    const rule = top.chain.rules[top.pos];
    if (act.k === 'next') return false;
    if (act.k === 'fail') {
      top.stmt = rule.stmts.length;
      return false;
    }
    const v = act.v;
    const pct = p < 1 ? ` (probability ${+p.toFixed(6)})` : '';
    const via = act.via ? `${act.via}${blabel ? ` [${blabel}]` : ''} → ` : blabel ? `${blabel} → ` : '';
    switch (v.kind) {
      case 'jump': case 'goto': {
        const to = table.chains.get(v.chain ?? '');
        if (!to) {
          t.w = withHop(t.w, { ...ruleHop(host, table, top.chain, rule, `${top.chain.name}: ${via}${v.kind} ${v.chain}: no such chain in ${table.family} ${table.name}`, undefined), kind: 'drop' });
          out.push({ w: t.w, verdict: 'LOOP', why: `${v.kind} to undefined chain ${v.chain}`, notrack: t.notrack, ctMark: t.ctMark });
          return true;
        }
        if (t.stack.some((f) => f.chain === to) || t.stack.length >= MAX_DEPTH) {
          const why = t.stack.length >= MAX_DEPTH ? `chain nesting deeper than ${MAX_DEPTH}` : `jump cycle: ${to.name} is already being evaluated`;
          t.w = withHop(t.w, { ...ruleHop(host, table, top.chain, rule, `${top.chain.name} → ${to.name}: ${why}`, undefined), kind: 'drop' });
          out.push({ w: t.w, verdict: 'LOOP', why, notrack: t.notrack, ctMark: t.ctMark });
          return true;
        }
        const before = t.w.hops;
        t.w = withHop(t.w, ruleHop(host, table, top.chain, rule, `${top.chain.name}: ${via}${v.kind} ${to.name}${pct}`, undefined));
        top.stmt = rule.stmts.length;
        if (v.kind === 'goto') t.stack.pop();
        t.stack.push({ chain: to, pos: -1, stmt: 0, before, after: t.w.hops });
        return false;
      }
      case 'return':
        t.w = withHop(t.w, ruleHop(host, table, top.chain, rule, `${top.chain.name}: return`, undefined));
        top.pos = top.chain.rules.length;
        top.stmt = 0;
        return false;
      case 'continue':
        return false;
      case 'accept': case 'queue':
        if (v.kind === 'queue') t.w = withAssumption(t.w, host.id, `queue: the userspace program's verdict is unknown; taken as accept (${label}: ${top.chain.name}, line ${rule.span.line})`);
        t.w = withHop(t.w, ruleHop(host, table, top.chain, rule, `${top.chain.name}: ${via}accept${pct} (ends ${base.name}; later chains at this hook still run)`, undefined));
        out.push({ w: t.w, verdict: 'ACCEPT', why: `${label}: ${top.chain.name} line ${rule.span.line}`, notrack: t.notrack, ctMark: t.ctMark });
        return true;
      case 'drop':
        t.w = withHop(t.w, ruleHop(host, table, top.chain, rule, `${top.chain.name}: ${via}drop${pct}`, undefined));
        out.push({ w: t.w, verdict: 'DROP', why: `${label}: ${top.chain.name} line ${rule.span.line}`, notrack: t.notrack, ctMark: t.ctMark });
        return true;
      case 'reject': {
        const rw = rejectWith(v.detail);
        t.w = withHop(t.w, ruleHop(host, table, top.chain, rule, `${top.chain.name}: ${via}reject (${rw})${pct}`, undefined));
        out.push({ w: t.w, verdict: 'REJECT', rejectWith: rw, why: `${label}: ${top.chain.name} line ${rule.span.line}`, notrack: t.notrack, ctMark: t.ctMark });
        return true;
      }
    }
    return false;
  }
}

function cloneThread(t: Thread): Thread {
  return { w: t.w, stack: t.stack.map((f) => ({ ...f })), ctMark: t.ctMark, notrack: t.notrack };
}

/** `meta mark set …`, `ct mark set …`: applied to the thread; an assumption's text when the value cannot be worked out. */
function applySet(s: Extract<NftStmt, { kind: 'set' }>, cx: MatchContext, t: Thread, printStmt: TextOf): string | undefined {
  const v = evalExpr(s.value, cx);
  const target = s.target;
  const isMeta = target.kind === 'meta' && target.key === 'mark';
  const isCt = target.kind === 'ct' && target.key === 'mark' && !target.direction;
  if (!isMeta && !isCt) return `"${printStmt(s)}" does not change where the packet goes: not modelled`;
  if (v.kind !== 'num') return `"${printStmt(s)}": the value could not be worked out; the mark is left as it was`;
  if (isMeta) t.w = { ...t.w, pkt: { ...t.w.pkt, mark: v.n >>> 0 } };
  else t.ctMark = v.n >>> 0;
  return undefined;
}

/** A NAT statement: one rewrite (or one per branch of a numgen/jhash map), or 'next' when its map gives nothing. */
function applyNat(s: Extract<NftStmt, { kind: 'nat' }>, table: NftTable, cx: MatchContext, t: Thread, printStmt: TextOf, nextHop?: number): { w: Walk; p: number; text: string }[] | 'next' {
  const choices: { p: number; to?: string; label?: string }[] = [];
  if (s.mapKey && s.map) {
    for (const d of mapData(s.mapKey, s.map, table, cx, printStmt)) {
      if (!d.data) continue;
      // `dnat to jhash … map { 0 : 10.0.0.1 }` → address; `dnat ip to … map { … : 10.0.0.1 . 80 }` → address and port.
      choices.push({ p: d.p, to: d.data.length > 1 ? `${d.data[0]}:${d.data[1]}` : d.data[0], label: d.label });
    }
    if (choices.length === 0) return 'next';
  } else choices.push({ p: 1, to: s.to });
  return choices.map((c) => {
    const r = applyTarget(natTarget(s.type, c.to, s.flags), { ...cx, pkt: t.w.pkt }, t.w, t.ctMark, nextHop);
    return { w: r.w, p: c.p, text: `${printStmt(s)}${c.label ? ` [${c.label}]` : ''} → ${r.text}` };
  });
}
