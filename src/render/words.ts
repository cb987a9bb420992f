/**
 * Dispositions and connection states said in words: the sentences the trace
 * view, the standalone page and their tests share, so an outcome reads the same
 * everywhere ("delivered to …", "dropped by …", "reply blackholed at … →
 * connection times out").
 */
import type { Disposition, Outcome, ReplyTrace } from '../core/sim/types';

/** What ends each disposition's sentence: the verb and the preposition before the host. */
const PHRASE: Record<Disposition, string> = {
  delivered: 'delivered at',
  rejected: 'rejected by',
  dropped: 'dropped by',
  'no-route': 'no route at',
  blackhole: 'blackholed at',
  loop: 'looped (TTL ran out) at',
  exited: 'left the modelled network at',
  'too-big': 'too big for the next device\'s MTU at',
};

/** The forward packet's fate: "delivered to kube-system/kube-dns (10.244.1.2:53) on k8s-agent-1", "dropped by k8s-agent-0". */
export function describeOutcome(o: Outcome): string {
  if (o.disposition === 'delivered' && o.delivered) {
    const d = o.delivered;
    const who = d.pod ?? d.host ?? d.node;
    const addr = d.port !== undefined ? `${d.ip}:${d.port}` : d.ip;
    const where = d.pod && d.node ? ` on ${d.node}` : '';
    return who ? `delivered to ${who} (${addr})${where}` : `delivered to ${addr} at ${o.at}`;
  }
  return `${PHRASE[o.disposition] ?? o.disposition} ${o.at}`;
}

/** The reply's fate, prefixed with "reply": "reply delivered at default/ubuntu", "reply blackholed at azure-gateway". */
export function describeReply(r: ReplyTrace): string {
  const base = `reply ${PHRASE[r.disposition] ?? r.disposition} ${r.at}`;
  if (r.disposition === 'delivered' && r.matchesRequest === false) return `${base}, but from an address the sender did not send to`;
  if (r.established) return `${base}, but the sender's final ACK is ${PHRASE[r.established.disposition] ?? r.established.disposition} ${r.established.at}`;
  return base;
}

/** What the connection as a whole does, when the trace or the reply tells: "connection times out", "connection works". */
export function describeConnection(o: Outcome): string | undefined {
  const c = o.connection ?? inferConnection(o);
  switch (c) {
    case 'ok': return 'connection works';
    case 'timeout': return 'connection times out';
    case 'refused': return o.disposition === 'no-route' ? 'connection fails at once (host unreachable)' : 'connection refused';
    case 'broken': return 'connection broken';
    default: return undefined;
  }
}

const SILENT: Disposition[] = ['dropped', 'blackhole', 'loop', 'exited'];

/**
 * Without an explicit `connection`, infer it the way a socket sees it: delivered
 * both ways works; a silent loss either way times out; a REJECT or an ICMP
 * unreachable that makes it back is an immediate error.
 */
function inferConnection(o: Outcome): Outcome['connection'] {
  if (o.disposition === 'delivered') {
    if (!o.reply) return undefined;
    if (o.reply.disposition === 'delivered') return o.reply.matchesRequest === false ? 'broken' : 'ok';
    return SILENT.includes(o.reply.disposition) ? 'timeout' : 'broken';
  }
  if (SILENT.includes(o.disposition)) return 'timeout';
  // The error only reaches the sender when its own return trip works.
  if (o.reply && o.reply.disposition !== 'delivered') return 'timeout';
  return 'refused';
}

/** Whether the reply is worth a sentence of its own: it failed, or came back from the wrong address. */
export function replyMatters(o: Outcome): boolean {
  return o.reply !== undefined && (o.reply.disposition !== 'delivered' || o.reply.matchesRequest === false || o.reply.established !== undefined);
}

/** The whole outcome in one line: forward fate, reply fate when it failed, and the connection. */
export function outcomeSentence(o: Outcome): string {
  const parts = [describeOutcome(o)];
  if (o.reply && replyMatters(o)) parts.push(describeReply(o.reply));
  const c = describeConnection(o);
  return c ? `${parts.join('; ')} → ${c}` : parts.join('; ');
}
