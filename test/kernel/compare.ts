/**
 * Puts the kernel's answer and the simulator's answer in the same words so
 * they can be compared: each probe and each simulated outcome becomes a
 * "what the sender experiences" key (`delivered <receiver> from <seen source>`,
 * `refused`, `unreachable`, `timeout`), observed keys become frequencies, and
 * outcome probabilities are checked against them with a binomial tolerance.
 */
import assert from 'node:assert/strict';
import type { Outcome, TraceResult } from '../../src/core/sim/types';
import type { ProbeResult } from './netns';

/** What the sender of one probe experienced, as a comparable key. */
export function probeKey(r: ProbeResult): string {
  if (r.kind === 'reply') return `delivered ${r.answer?.label ?? '?'} from ${r.answer?.peer ?? '?'}`;
  return r.kind;
}

/**
 * What the simulator says the sender experiences for one outcome.
 * - delivered with a reply that makes it back: the receiver (pod id, else host)
 *   and the source it saw; with a reply lost on the way: silence (`timeout`);
 * - rejected (the scenarios use icmp-port-unreachable / tcp-reset): `refused`;
 * - no-route: `unreachable` when its ICMP error reaches the sender. A connected
 *   UDP socket hears only hard ICMP errors (port unreachable, prohibited), so
 *   for UDP a no-route is silence; the error scenarios use TCP;
 * - loop: the host where the TTL runs out sends ICMP time exceeded, which TCP
 *   hears at once as EHOSTUNREACH: `unreachable` when the simulator traces
 *   that error back to the sender, silence otherwise;
 * - too-big: EMSGSIZE (`too-big`) when the fragmentation-needed error reaches the sender;
 * - dropped, blackhole, exited: silence.
 */
export function outcomeKey(o: Outcome, proto: 'tcp' | 'udp'): string {
  const replyLost = o.reply !== undefined && o.reply.disposition !== 'delivered';
  switch (o.disposition) {
    case 'delivered': {
      if (replyLost || o.connection === 'timeout' || o.connection === 'broken') return 'timeout';
      const who = o.delivered?.pod ?? o.delivered?.host ?? o.delivered?.node ?? o.delivered?.ip ?? '?';
      return `delivered ${who} from ${o.seenSource?.ip ?? '?'}`;
    }
    case 'rejected':
      return replyLost ? 'timeout' : 'refused';
    case 'no-route':
      return replyLost || proto === 'udp' ? 'timeout' : 'unreachable';
    case 'loop':
      return o.reply?.disposition === 'delivered' && proto === 'tcp' ? 'unreachable' : 'timeout';
    case 'too-big':
      // The sender's socket hears "fragmentation needed" as EMSGSIZE when the ICMP error reaches it.
      return o.reply?.disposition === 'delivered' ? 'too-big' : 'timeout';
    default:
      return 'timeout';
  }
}

/** Counts of each key. */
export function tally(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** The simulator's outcomes folded into key → probability. */
export function expectedShares(result: TraceResult, proto: 'tcp' | 'udp'): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of result.outcomes) {
    const k = outcomeKey(o, proto);
    m.set(k, (m.get(k) ?? 0) + o.probability);
  }
  return m;
}

/** One line per outcome, for failure messages: the disagreement must be readable in the test log. */
export function describeSim(result: TraceResult): string {
  if (result.error) return `error: ${result.error}`;
  return result.outcomes.map((o) => {
    const to = o.delivered ? ` to ${o.delivered.pod ?? o.delivered.host ?? o.delivered.node ?? o.delivered.ip}` : '';
    const seen = o.seenSource ? ` seen from ${o.seenSource.ip}` : '';
    const reply = o.reply ? ` reply ${o.reply.disposition} at ${o.reply.at}` : '';
    return `p=${o.probability.toFixed(3)} ${o.disposition} at ${o.at}${to}${seen}${reply}${o.connection ? ` connection ${o.connection}` : ''}`;
  }).join('; ');
}

/** Counts as `key×n` text, for failure messages. */
export function describeTally(t: Map<string, number>): string {
  return [...t].map(([k, n]) => `${k} ×${n}`).join('; ');
}

/**
 * Asserts that the observed frequencies are what the simulator's probabilities
 * predict: no observed key the simulator gives no chance, and each key's count
 * within 4 standard deviations of n·p (a false alarm about once in 15,000 runs;
 * certain outcomes must be observed every time).
 */
export function assertAgrees(observed: ProbeResult[], result: TraceResult, proto: 'tcp' | 'udp'): void {
  const n = observed.length;
  const seen = tally(observed.map(probeKey));
  const want = expectedShares(result, proto);
  const context = `kernel: ${describeTally(seen)} | simulator: ${describeSim(result)}`;
  assert.equal(result.error, undefined, `simulator refused the query: ${context}`);
  const total = result.outcomes.reduce((a, o) => a + o.probability, 0);
  assert.ok(Math.abs(total - 1) < 1e-9, `simulator outcome probabilities sum to ${total}, not 1. ${context}`);
  for (const [k, count] of seen) assert.ok((want.get(k) ?? 0) > 0, `kernel saw "${k}" ${count}/${n} times; the simulator gives it no chance. ${context}`);
  for (const [k, p] of want) {
    const count = seen.get(k) ?? 0;
    const sd = Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(count - n * p) <= 4 * sd + 1e-9, `"${k}": simulator p=${p.toFixed(3)}, kernel ${count}/${n}. ${context}`);
  }
}

/** Asserts a binomial count: `count` of `n` draws is within 4 standard deviations of share `p`. */
export function assertBinomial(count: number, n: number, p: number, what: string): void {
  const sd = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(count - n * p) <= 4 * sd, `${what}: ${count}/${n}, expected about ${(n * p).toFixed(1)} (p=${p})`);
}
