/**
 * The words of an outcome: whether the connection works end to end, and the
 * one-line summary a person reads first ("delivered to kube-system/kube-dns-…
 * on k8s-agent-1; the reply comes back").
 */
import type { Cluster } from '../model/cluster';
import type { DeliveredTo, Outcome, ReplyTrace } from './types';

/** Names a host for a person: `pod default/ubuntu on k8s-agent-0`, `node k8s-agent-1`. */
export function hostLabel(cl: Cluster, id: string): string {
  const h = cl.hosts.get(id);
  if (!h) return id;
  if (h.kind === 'pod') return `${h.id}${h.node ? ` on ${h.node}` : ''}`;
  return `${h.kind} ${h.id}`;
}

/** The `delivered` record of a host. */
export function deliveredTo(cl: Cluster, hostId: string, ip: string, port?: number): DeliveredTo {
  const d: DeliveredTo = { ip };
  if (port !== undefined) d.port = port;
  const h = cl.hosts.get(hostId);
  if (h?.kind === 'pod') {
    d.pod = h.id;
    if (h.node) d.node = h.node;
  } else if (h?.kind === 'node') d.node = h.id;
  else d.host = hostId;
  return d;
}

/** Whether the connection works, from the forward disposition and the reply. */
export function connectionOf(o: Pick<Outcome, 'disposition'>, reply: ReplyTrace | undefined): Outcome['connection'] {
  switch (o.disposition) {
    case 'delivered':
      if (!reply || reply.disposition !== 'delivered') return 'timeout';
      if (reply.matchesRequest && reply.established) return 'timeout';
      return reply.matchesRequest ? 'ok' : 'broken';
    case 'rejected':
    case 'no-route':
    case 'loop':
    case 'too-big':
      // The ICMP error (port/host unreachable, time exceeded) fails the connection at once;
      // the vocabulary has one word for that. A lost error, or none, leaves the sender waiting.
      return reply?.disposition === 'delivered' ? 'refused' : 'timeout';
    case 'exited':
      return undefined;
    default:
      return 'timeout';
  }
}

/** strerror() of each errno a sending host's refusal gives. */
const ERRNO_TEXT: Record<NonNullable<Outcome['localError']>, string> = {
  EPERM: 'Operation not permitted', EINVAL: 'Invalid argument', EHOSTUNREACH: 'No route to host', EACCES: 'Permission denied', ENETUNREACH: 'Network is unreachable',
};

/** The summary line of an outcome. */
export function summaryOf(cl: Cluster, o: Outcome, sentTo: string): string {
  const at = hostLabel(cl, o.at);
  const r = o.reply;
  if (o.localError) {
    const why = o.disposition === 'dropped' ? 'its own OUTPUT chain drops the packet' : o.disposition === 'blackhole' ? 'its own route is a blackhole' : 'its own routes give no way out';
    return `${o.disposition} at ${at}, the sender: ${why}, so the application's send fails at once with ${o.localError} (${ERRNO_TEXT[o.localError]})`;
  }
  switch (o.disposition) {
    case 'delivered': {
      const d = o.delivered;
      const first = `delivered to ${at} (${d?.ip}${d?.port !== undefined ? `:${d.port}` : ''})`;
      if (!r) return first;
      if (r.disposition !== 'delivered') return `${first}, but the reply ends ${r.disposition} at ${hostLabel(cl, r.at)}: the connection would time out`;
      if (!r.matchesRequest) return `${first}, but the reply does not come back from ${sentTo} as the sender expects: its socket drops it (connection broken)`;
      if (r.established) return `${first} and the reply comes back, but the sender's next packet (the handshake's final ACK) ends ${r.established.disposition} at ${hostLabel(cl, r.established.at)}: the server never accepts, the connection would time out`;
      return `${first}; the reply comes back: connection ok`;
    }
    case 'rejected':
      return `rejected at ${at}${r?.disposition === 'delivered' ? ': connection refused' : ', and the error does not reach the sender: the connection would time out'}`;
    case 'no-route':
      return `no route at ${at}${r?.disposition === 'delivered' ? ': host unreachable' : ''}`;
    case 'dropped':
      return `dropped at ${at}: the connection would time out`;
    case 'blackhole':
      return `blackholed at ${at}: the connection would time out`;
    case 'loop':
      return `loop at ${at}: the packet never arrives${r?.disposition === 'delivered' ? '; the sender gets ICMP time exceeded' : ''}`;
    case 'exited': {
      const src = o.seenSource ? ` with source ${o.seenSource.ip}` : '';
      if (o.unanswerableSource === 'pod-address') return `left the modelled network at ${at} for the internet${src}, a pod address: nothing masqueraded it on the way out, so no reply can come back`;
      if (o.unanswerableSource === 'private-address') return `left the modelled network at ${at} for the internet${src}, a private address: no reply can come back`;
      return `left the modelled network at ${at}${src}: what happens next is outside the topology`;
    }
    case 'too-big':
      return `too big at ${at}${o.mtu !== undefined ? ` (MTU ${o.mtu})` : ''}${r?.disposition === 'delivered' ? ': the sender is told "fragmentation needed"; small packets get through, this one does not' : ''}`;
  }
}
