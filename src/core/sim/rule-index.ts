/**
 * A prefilter for long chains. kube-proxy's KUBE-SERVICES holds one rule per
 * service port, each with `-d CLUSTERIP/32`; scanning 10k of them per packet is
 * what makes a naive tracer slow. The index keeps, per chain, the positions of
 * rules that name a single destination address (grouped by that address) and
 * the positions of every other rule. For a packet to D the candidates are the
 * rules for D merged with the others, in chain order: a skipped rule is one whose
 * `-d` cannot match D, so the walk's result is exactly that of a full scan.
 */
import type { IPv4 } from '../net/ipv4';
import type { Chain } from '../model/netfilter';
import { prefixOf } from './eval-match';

interface ChainIndex {
  /** Positions (0-based) of rules not keyed by a destination address. */
  generic: number[];
  /** Positions of rules with a non-negated `-d A/32`, by A. */
  byDst: Map<IPv4, number[]>;
}

/** Chains shorter than this are scanned: the index would cost more than it saves. */
const MIN_INDEXED = 24;

const indexes = new WeakMap<Chain, ChainIndex | null>();

function build(chain: Chain): ChainIndex | null {
  if (chain.rules.length < MIN_INDEXED) return null;
  const generic: number[] = [];
  const byDst = new Map<IPv4, number[]>();
  chain.rules.forEach((r, i) => {
    const d = r.destination;
    const p = d && !d.negated ? prefixOf(d.value) : undefined;
    if (p && p.len === 32) {
      const list = byDst.get(p.addr);
      if (list) list.push(i);
      else byDst.set(p.addr, [i]);
    } else {
      generic.push(i);
    }
  });
  // Mostly generic chains gain nothing.
  if (generic.length * 2 > chain.rules.length) return null;
  return { generic, byDst };
}

/** First element of sorted `a` greater than `after`, or Infinity. */
function firstAfter(a: number[] | undefined, after: number): number {
  if (!a) return Infinity;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo < a.length ? a[lo] : Infinity;
}

/** Builds (once) the index of every chain of a ruleset's table, so the first trace does not pay for it. */
export function prepareChain(chain: Chain): void {
  if (!indexes.has(chain)) indexes.set(chain, build(chain));
}

/**
 * Position of the next rule after `after` (−1 to start) that a packet to `dst`
 * could match, or −1 when none is left.
 */
export function nextCandidate(chain: Chain, dst: IPv4, after: number): number {
  let ix = indexes.get(chain);
  if (ix === undefined) {
    ix = build(chain);
    indexes.set(chain, ix);
  }
  if (ix === null) return after + 1 < chain.rules.length ? after + 1 : -1;
  const n = Math.min(firstAfter(ix.generic, after), firstAfter(ix.byDst.get(dst), after));
  return n === Infinity ? -1 : n;
}
