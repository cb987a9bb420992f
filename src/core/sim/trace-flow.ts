/**
 * The packet walk for one concrete flow: the forward packet from its sender
 * through every host, then, for each way it can end, what comes back — the
 * receiver's answer (with conntrack undoing NAT on the hosts that applied it)
 * or the ICMP error of a REJECT or a failed route. Each forward branch × reply
 * branch is one Outcome, its probability the product; outcomes identical in
 * everything but probability are merged (their probabilities summed), since a
 * person cannot tell them apart.
 */
import type { IPv4 } from '../net/ipv4';
import { contains, formatIPv4, maskOf } from '../net/ipv4';
import type { Cluster } from '../model/cluster';
import type { Outcome, ReplyTrace } from './types';
import type { Walk } from './walk-state';
import { endpoint, toArray, withAssumption } from './walk-state';
import type { End, WalkCtx } from './walk-host';
import { sendLocal } from './walk-host';
import { lookupRoute, preferredSource } from './route-lookup';
import { connectionOf, deliveredTo, summaryOf } from './explain';

/** A concrete packet to walk: sent by `srcHost` from `src` to `dst`. */
export interface Flow {
  /** Host id that sends the packet. */
  srcHost: string;
  src: IPv4;
  dst: IPv4;
  protocol: 'tcp' | 'udp' | 'icmp';
  srcPort?: number;
  dstPort?: number;
  /** IP packet size in bytes (default 84, what `ping` sends); DF is set, as Linux sends with path MTU discovery on. */
  size?: number;
}

/** The packet size when the query gives none: a default `ping` (20 IP + 8 ICMP + 56 data). */
export const DEFAULT_SIZE = 84;

/** How far probabilities may stray from summing to 1 (floating point over a cascade). */
export const PROBABILITY_TOLERANCE = 1e-9;

/** Initial TTL of a Linux sender. */
const TTL = 64;

/**
 * Random branches one trace may open, forward and reply walks together: statistic rules
 * with non-terminal targets could otherwise double the walk at every rule.
 */
export const MAX_BRANCHES = 1024;

function startWalk(pkt: Walk['pkt'], ct: Walk['ct'], reply: boolean, budget: { branches: number }): Walk {
  return { pkt, prob: 1, hops: undefined, assumptions: undefined, ct, visits: 0, reply, budget };
}

/** Traces what comes back for the forward end `f`: one ReplyTrace per reply branch, with its probability. */
function replies(cx: WalkCtx, flow: Flow, f: End): { reply?: ReplyTrace; prob: number; assumptions: string[] }[] {
  const cl = cx.cluster;
  let from: string | undefined;
  let pkt: Walk['pkt'];
  if (f.disposition === 'delivered') {
    from = f.at;
    const p = f.w.pkt;
    // The answer is as large as the question (an echo reply is; a SYN-ACK is smaller, never larger than the path allows).
    pkt = { src: p.dst, dst: p.src, sport: p.dport, dport: p.sport, proto: p.proto, mark: 0, ttl: TTL, size: flow.size ?? DEFAULT_SIZE, df: true };
  } else if ((f.disposition === 'rejected' || f.disposition === 'no-route' || f.disposition === 'loop' || f.disposition === 'too-big') && f.errorFrom) {
    from = f.errorFrom;
    if (from === flow.srcHost && f.w.visits === 0) {
      return [{ prob: 1, assumptions: [], reply: { disposition: 'delivered', at: flow.srcHost, matchesRequest: true, hops: [{ host: flow.srcHost, kind: 'deliver', text: `the error (${f.icmp}) is reported to the sending socket on ${flow.srcHost} itself` }] } }];
    }
    const h = cl.hosts.get(from);
    const back = h ? lookupRoute(h, { dst: f.w.pkt.src, mark: 0 })[0] : undefined;
    const src = h ? (back?.kind === 'unicast' ? back.src ?? preferredSource(h, back.dev, back.nextHop) : preferredSource(h, undefined, f.w.pkt.src)) : undefined;
    const p = f.w.pkt;
    // REJECT --reject-with tcp-reset answers with a RST from the address the packet was sent to;
    // like an ICMP error it is tied to the rejected connection's conntrack entry (nf_ct_attach).
    pkt = f.icmp === 'tcp-reset' && p.proto === 'tcp'
      ? { src: p.dst, dst: p.src, sport: p.dport, dport: p.sport, proto: 'tcp', mark: 0, ttl: TTL, icmpError: true }
      : { src: src ?? p.dst, dst: p.src, proto: 'icmp', mark: 0, ttl: TTL, icmpError: true };
  } else {
    return [{ prob: 1, assumptions: [] }];
  }
  const host = cl.hosts.get(from);
  if (!host) return [{ prob: 1, assumptions: [] }];
  let w0 = startWalk(pkt, f.w.ct, true, f.w.budget ?? { branches: MAX_BRANCHES });
  if (f.disposition === 'delivered') {
    const listens = pkt.proto === 'icmp' ? 'answers the echo request' : `has a process listening on ${endpoint(pkt.src, pkt.sport)}/${pkt.proto} that answers`;
    w0 = withAssumption(w0, host.id, `${host.id} ${listens}`);
  }
  const ends = sendLocal(cx, host, w0);
  return ends.flatMap((r) => {
    const p = r.w.pkt;
    const rt: ReplyTrace = { disposition: r.disposition, at: r.at, hops: toArray(r.w.hops) };
    if (r.disposition === 'delivered') {
      // A socket takes an ICMP error by the header it quotes; anything else (a reply, a RST) by its addresses.
      rt.matchesRequest = r.at === flow.srcHost && p.dst === flow.src && (pkt.icmpError && pkt.proto === 'icmp'
        ? true
        : p.src === flow.dst && p.sport === flow.dstPort && p.dport === flow.srcPort);
    }
    const one = { reply: rt, prob: r.w.prob, assumptions: toArray(r.w.assumptions) };
    if (f.disposition !== 'delivered' || flow.protocol !== 'tcp' || !rt.matchesRequest || pkt.icmpError) return [one];
    return established(cx, flow, f, r.w).map((e) => ({
      reply: e.end ? { ...rt, established: e.end } : rt,
      prob: r.w.prob * e.prob,
      assumptions: [...one.assumptions, ...e.assumptions],
    }));
  });
}

/**
 * TCP's third packet: once the SYN-ACK is back, the sender's ACK (and its data)
 * travels the original direction as ESTABLISHED, with conntrack's NAT bindings and
 * no nat-table pass. Returns each way it can end; `end` is set only where it does
 * not reach the receiver the SYN reached.
 */
function established(cx: WalkCtx, flow: Flow, f: End, after: Walk): { end?: ReplyTrace['established']; prob: number; assumptions: string[] }[] {
  const sender = cx.cluster.hosts.get(flow.srcHost);
  if (!sender) return [{ prob: 1, assumptions: [] }];
  const pkt = { src: flow.src, dst: flow.dst, sport: flow.srcPort, dport: flow.dstPort, proto: flow.protocol, mark: 0, ttl: TTL, size: flow.size ?? DEFAULT_SIZE, df: true };
  return sendLocal(cx, sender, startWalk(pkt, after.ct, false, after.budget ?? { branches: MAX_BRANCHES })).map((e) => {
    const arrived = e.disposition === 'delivered' && e.at === f.at;
    return {
      prob: e.w.prob,
      assumptions: toArray(e.w.assumptions).filter((a) => !a.includes('conntrack state NEW')),
      ...(arrived ? {} : { end: { disposition: e.disposition, at: e.at, hops: toArray(e.w.hops) } }),
    };
  });
}

/** RFC 1918, shared address space (RFC 6598) and link-local: not routed on the internet. */
const PRIVATE: [number, number][] = [[0x0a000000, 8], [0xac100000, 12], [0xc0a80000, 16], [0x64400000, 10], [0xa9fe0000, 16]];

/**
 * Why nobody on the internet can answer a packet leaving cloud router `at` from `src`.
 * The cloud translates addresses of its own virtual network (the router's networks)
 * to a public one; a pod address outside it, not masqueraded on the way, or another
 * private address, stays as it is and no reply can find it.
 */
function unanswerable(cl: Cluster, at: string, src: number): Outcome['unanswerableSource'] {
  const router = cl.hosts.get(at);
  if (router?.interfaces.some((i) => i.addresses.some((a) => ((a.ip & maskOf(a.prefixLen)) >>> 0) === ((src & maskOf(a.prefixLen)) >>> 0)))) return undefined;
  const owner = cl.addressOwner.get(src);
  if ((owner && cl.hosts.get(owner.host)?.kind === 'pod') || (cl.clusterCIDR && contains(cl.clusterCIDR, src))) return 'pod-address';
  return PRIVATE.some(([net, len]) => ((src & maskOf(len)) >>> 0) === net) ? 'private-address' : undefined;
}

/** Walks the packet and its reply through the cluster; every distinct end with its probability. */
export function traceFlow(cluster: Cluster, flow: Flow): Outcome[] {
  const sender = cluster.hosts.get(flow.srcHost);
  if (!sender) return [];
  const cx: WalkCtx = { cluster };
  const pkt = { src: flow.src, dst: flow.dst, sport: flow.srcPort, dport: flow.dstPort, proto: flow.protocol, mark: 0, ttl: TTL, size: flow.size ?? DEFAULT_SIZE, df: true };
  const sentTo = endpoint(flow.dst, flow.dstPort);
  const all: Outcome[] = [];
  for (const f of sendLocal(cx, sender, startWalk(pkt, new Map(), false, { branches: MAX_BRANCHES }))) {
    const fwdAssumptions = toArray(f.w.assumptions);
    for (const r of replies(cx, flow, f)) {
      const p = f.w.pkt;
      const seen: { ip: string; port?: number } = p.sport === undefined ? { ip: formatIPv4(p.src) } : { ip: formatIPv4(p.src), port: p.sport };
      // Keys in the order of the CLI spec's example.
      const o: Outcome = {
        probability: f.w.prob * r.prob,
        disposition: f.disposition,
        ...(f.disposition === 'delivered' ? { delivered: deliveredTo(cluster, f.at, formatIPv4(p.dst), p.dport), seenSource: seen } : {}),
        at: f.at,
        ...(f.mtu !== undefined ? { mtu: f.mtu } : {}),
        hops: toArray(f.w.hops),
      };
      if (f.localError) o.localError = f.localError;
      if (f.disposition === 'exited') {
        o.seenSource = seen;
        const why = f.exitsTo === 'Internet' ? unanswerable(cluster, f.at, p.src) : undefined;
        if (why) o.unanswerableSource = why;
      }
      if (r.reply) o.reply = r.reply;
      const assumptions = [...new Set([...fwdAssumptions, ...r.assumptions])];
      if (assumptions.length) o.assumptions = assumptions;
      o.connection = connectionOf(o, r.reply);
      if (o.connection === undefined) delete o.connection;
      o.summary = summaryOf(cluster, o, sentTo);
      all.push(o);
    }
  }
  const outcomes = merge(all);
  assertProbabilities(outcomes);
  return outcomes;
}

/**
 * Merges outcomes that differ only in probability. A cheap signature groups the
 * candidates first; the full comparison (JSON of everything but the probability)
 * runs only inside a group of two or more, which kube-proxy cascades never form.
 */
function merge(all: Outcome[]): Outcome[] {
  const groups = new Map<string, Outcome[]>();
  for (const o of all) {
    const sig = `${o.disposition}|${o.at}|${o.delivered?.ip}:${o.delivered?.port}|${o.seenSource?.ip}:${o.seenSource?.port}|${o.hops.length}|${o.reply?.disposition}|${o.reply?.hops.length}`;
    const g = groups.get(sig);
    if (g) g.push(o);
    else groups.set(sig, [o]);
  }
  if (groups.size === all.length) return all;
  const out: Outcome[] = [];
  const byKey = new Map<string, Outcome>();
  for (const o of all) {
    const key = JSON.stringify({ ...o, probability: 0 });
    const prev = byKey.get(key);
    if (prev) prev.probability += o.probability;
    else {
      byKey.set(key, o);
      out.push(o);
    }
  }
  return out;
}

/** The invariant every trace keeps: outcome probabilities sum to 1. A violation is a bug in the walk, not bad input. */
export function assertProbabilities(outcomes: Outcome[]): void {
  if (outcomes.length === 0) return;
  const sum = outcomes.reduce((s, o) => s + o.probability, 0);
  if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) throw new Error(`outcome probabilities sum to ${sum}, not 1`);
}
