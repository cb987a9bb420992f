/**
 * One table's pass over a packet at one hook: the built-in chain, then the
 * chains it jumps (`-j`) or goes (`-g`) to, RETURN, and the built-in chain's
 * policy when the walk falls off its end. `-m statistic` splits the walk: the
 * matching branch and the non-matching one both continue, each with its share
 * of the probability. A jump to a chain already on the call stack, or a stack
 * deeper than the kernel would allow, ends the branch with `loop` (the kernel
 * would have refused to load such a ruleset).
 */
import type { Chain, Rule, Table } from '../model/netfilter';
import type { Hop } from './types';
import type { MatchContext } from './match-context';
import type { List, Walk } from './walk-state';
import { viewOf, withAssumption, withHop } from './walk-state';
import { evalRule } from './eval-match';
import { nextCandidate } from './rule-index';
import { applyTarget } from './apply-target';

/** How one pass ended for one branch: an iptables table's at its hook, or an nftables base chain's. */
export interface TableVerdict {
  w: Walk;
  verdict: 'ACCEPT' | 'DROP' | 'REJECT' | 'LOOP';
  /** REJECT's `--reject-with`. */
  rejectWith?: string;
  /** The rule (or policy) that decided, for the final hop's text. */
  why: string;
  /** A NOTRACK / CT --notrack target ran (raw table). */
  notrack: boolean;
  /** ctmark after the pass (CONNMARK). */
  ctMark: number;
  /** NAT applied by this pass. */
  nat?: 'dnat' | 'snat';
}

/** The kernel's jump stack limit is far larger; no real ruleset nests this deep. */
const MAX_DEPTH = 64;
/** A hard stop on rules evaluated in one pass (a defence against malformed models). */
const MAX_STEPS = 200000;

interface Frame {
  chain: Chain;
  pos: number;
  /**
   * The hops before and right after the jump into this chain: a chain left without
   * leaving a trace (nothing in it matched) takes its jump hop back out, so a trace
   * shows the jumps that led somewhere, not every chain the packet looked into.
   */
  before?: List<Hop>;
  after?: List<Hop>;
}

interface Thread {
  w: Walk;
  stack: Frame[];
  ctMark: number;
  notrack: boolean;
}

/** Where a rule came from: the origins map, else nothing (the hop text carries the raw rule). */
export function ruleHop(cx: MatchContext, chain: Chain, rule: Rule, text: string, changed: boolean): Hop {
  const origin = cx.host.netfilter?.origins.get(`${cx.table}/${chain.name}/${rule.index}`);
  const hop: Hop = { host: cx.host.id, kind: 'rule', text, table: cx.table, chain: chain.name };
  if (origin) hop.origin = origin;
  if (changed) hop.packet = viewOf(cx.pkt);
  return hop;
}

/**
 * Runs `table`'s built-in chain `cx.hook` over the packet; every branch's verdict.
 * `ctMark` is the connection's mark on this host; `nextHop` is what MASQUERADE
 * needs to choose the source address.
 */
export function walkTable(table: Table, cx0: Omit<MatchContext, 'pkt' | 'table'>, w0: Walk, ctMark: number, nextHop?: number): TableVerdict[] {
  const start = table.chains.get(cx0.hook);
  if (!start) return [{ w: w0, verdict: 'ACCEPT', why: `no ${cx0.hook} chain in ${table.name}`, notrack: false, ctMark }];
  const out: TableVerdict[] = [];
  const work: Thread[] = [{ w: w0, stack: [{ chain: start, pos: -1 }], ctMark, notrack: false }];
  let steps = 0;
  const cx: MatchContext = { ...cx0, table: table.name, pkt: w0.pkt, ct: { ...cx0.ct } };
  while (work.length) {
    const t = work.pop() as Thread;
    for (;;) {
      if (++steps > MAX_STEPS) {
        out.push({ w: t.w, verdict: 'LOOP', why: `more than ${MAX_STEPS} rules evaluated in ${table.name}`, notrack: t.notrack, ctMark: t.ctMark });
        break;
      }
      const top = t.stack[t.stack.length - 1];
      // One context per pass, updated in place: evalRule and the hop builders do not keep it.
      cx.pkt = t.w.pkt;
      cx.ct.mark = t.ctMark;
      const next = nextCandidate(top.chain, t.w.pkt.dst, top.pos);
      if (next < 0) {
        const done = t.stack.pop();
        if (done?.after && t.w.hops === done.after) t.w = { ...t.w, hops: done.before };
        if (t.stack.length === 0) {
          const policy = start.policy && start.policy !== '-' ? start.policy : 'ACCEPT';
          const v = policy === 'DROP' ? 'DROP' : 'ACCEPT';
          let w = t.w;
          if (v === 'DROP') w = withHop(w, { host: cx.host.id, kind: 'rule', text: `${table.name} ${start.name} policy DROP`, table: table.name, chain: start.name });
          out.push({ w, verdict: v, why: `${table.name} ${start.name} policy ${policy}`, notrack: t.notrack, ctMark: t.ctMark });
          break;
        }
        continue;
      }
      top.pos = next;
      const rule = top.chain.rules[next];
      const res = evalRule(rule, cx);
      for (const a of res.assumptions) t.w = withAssumption(t.w, cx.host.id, `${a} (${table.name} ${top.chain.name} rule ${rule.index})`);
      if (!res.matched) continue;
      if (res.p < 1) {
        const budget = t.w.budget;
        if (!budget || budget.branches > 0) {
          if (budget) budget.branches--;
          // The non-matching branch resumes after this rule with the rest of the probability.
          work.push({ w: { ...t.w, prob: t.w.prob * (1 - res.p) }, stack: t.stack.map((f) => ({ ...f })), ctMark: t.ctMark, notrack: t.notrack });
          t.w = { ...t.w, prob: t.w.prob * res.p };
        } else {
          // Too many branches to list: follow the likelier side with the whole probability, and say so.
          t.w = withAssumption(t.w, cx.host.id, `too many random branches in one trace: from here on only the likelier side of a statistic rule is followed (first: ${table.name} ${top.chain.name} rule ${rule.index})`);
          if (res.p < 0.5) continue;
        }
      }
      const target = rule.target;
      if (!target) continue;
      const jumpTo = table.chains.get(target.name);
      const pct = res.p < 1 ? ` (probability ${+res.p.toFixed(6)})` : '';
      if (jumpTo && !['ACCEPT', 'DROP', 'RETURN'].includes(target.name)) {
        if (t.stack.some((f) => f.chain === jumpTo) || t.stack.length >= MAX_DEPTH) {
          const why = t.stack.length >= MAX_DEPTH ? `chain nesting deeper than ${MAX_DEPTH}` : `jump cycle: ${target.name} is already being evaluated`;
          t.w = withHop(t.w, { ...ruleHop(cx, top.chain, rule, `${top.chain.name} → ${target.name}: ${why}`, false), kind: 'drop' });
          out.push({ w: t.w, verdict: 'LOOP', why, notrack: t.notrack, ctMark: t.ctMark });
          break;
        }
        const before = t.w.hops;
        t.w = withHop(t.w, ruleHop(cx, top.chain, rule, `${top.chain.name} ${target.goto ? 'goes to' : '→'} ${target.name}${pct}`, false));
        if (target.goto) t.stack.pop();
        t.stack.push({ chain: jumpTo, pos: -1, before, after: t.w.hops });
        continue;
      }
      if (target.name === 'RETURN') {
        t.w = withHop(t.w, ruleHop(cx, top.chain, rule, `${top.chain.name}: RETURN`, false));
        top.pos = top.chain.rules.length;
        continue;
      }
      const r = applyTarget(target, { ...cx, pkt: t.w.pkt }, t.w, t.ctMark, nextHop);
      t.w = r.w;
      t.ctMark = r.ctMark;
      if (r.notrack) t.notrack = true;
      t.w = withHop(t.w, ruleHop({ ...cx, pkt: t.w.pkt }, top.chain, rule, `${top.chain.name}: ${r.text}${pct}`, r.changed));
      if (r.verdict) {
        out.push({ w: t.w, verdict: r.verdict, rejectWith: r.rejectWith, why: `${table.name} ${top.chain.name} rule ${rule.index}`, notrack: t.notrack, ctMark: t.ctMark, nat: r.nat });
        break;
      }
    }
  }
  return out;
}
