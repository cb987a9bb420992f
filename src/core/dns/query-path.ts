/**
 * What happens to one DNS query packet on its way to a nameserver and back,
 * read from the simulator's outcomes: who answers (a CoreDNS pod, an upstream
 * host of the topology, something outside the model), with what probability,
 * and how often the query is lost or refused instead.
 *
 * A reply only counts when it comes back from the address the query was sent
 * to (`reply.matchesRequest`): a resolver drops any other, so such a reply is a
 * lost query. glibc's connected UDP socket hears ICMP errors (REJECT, no
 * route) at once as "connection refused"; musl's unconnected socket does not,
 * so for musl they are lost queries that time out.
 */
import { formatIPv4, parseIPv4 } from '../net/ipv4';
import type { Cluster, Host } from '../model/cluster';
import type { Outcome } from '../sim/types';
import type { ResolverFlavour } from './stub-resolver';

/** Who answers a query that arrives: the cluster DNS (CoreDNS), an upstream server (topology records), or nobody listening. */
export type ServerKind = 'cluster' | 'upstream' | 'none';

/** One way the query is answered, with its probability. */
export interface AnsweringServer {
  probability: number;
  ip: string;
  pod?: string;
  host?: string;
  kind: ServerKind;
}

/** The query packet's fate towards one nameserver. */
export interface QueryPath {
  outcomes: Outcome[];
  answered: AnsweringServer[];
  /** Probability the query or its reply is lost (dropped, blackholed, reply from the wrong address…). */
  lost: number;
  /** Probability the sender is told at once that nobody answers (ICMP error heard by the socket). */
  refused: number;
  notes: string[];
}

/** Whether a pod serves DNS: it is an endpoint of a Service with port 53, or carries CoreDNS's `k8s-app: kube-dns` label. */
export function isDnsServerPod(cluster: Cluster, host: Host): boolean {
  if (host.labels?.['k8s-app'] === 'kube-dns') return true;
  const ips = new Set(host.interfaces.flatMap((i) => i.addresses.map((a) => a.ip)));
  return cluster.services.some((s) => s.ports.some((p) => p.port === 53 || p.targetPort === 53) && s.endpoints.some((e) => e.pod === host.id || ips.has(e.ip)));
}

function kindOfHost(cluster: Cluster, hostId: string | undefined): ServerKind {
  const h = hostId !== undefined ? cluster.hosts.get(hostId) : undefined;
  if (!h) return 'upstream';
  if (h.kind === 'pod') return isDnsServerPod(cluster, h) ? 'cluster' : 'none';
  return h.kind === 'host' ? 'upstream' : 'none';
}

/** Reads the simulator's outcomes for a query to `server` into who answers and what is lost. */
export function queryPathOf(cluster: Cluster, server: string, outcomes: Outcome[], flavour: ResolverFlavour): QueryPath {
  if (outcomes.length === 0) return assumedPath(cluster, server);
  const path: QueryPath = { outcomes, answered: [], lost: 0, refused: 0, notes: [] };
  for (const o of outcomes) {
    const p = o.probability;
    if (o.disposition === 'delivered') {
      const d = o.delivered;
      const hostId = d?.pod ?? d?.host ?? d?.node ?? o.at;
      const kind = kindOfHost(cluster, hostId);
      if (kind === 'none') {
        add(flavour === 'glibc' ? 'refused' : 'lost', p, `delivered to ${hostId}, which serves no DNS: assumed nothing listens on port 53`);
        continue;
      }
      if (o.reply && (o.reply.disposition !== 'delivered' || o.reply.matchesRequest === false)) {
        const why = o.reply.disposition !== 'delivered' ? `the reply is ${o.reply.disposition} at ${o.reply.at}` : 'the reply comes back from another address than the query went to, and the resolver drops it';
        add('lost', p, `answered by ${hostId} but ${why}`);
        continue;
      }
      if (!o.reply) path.notes.push(`the reply from ${hostId} was not traced: assumed to come back`);
      path.answered.push({ probability: p, ip: d?.ip ?? server, pod: d?.pod, host: d?.pod ? undefined : hostId, kind });
    } else if (o.disposition === 'exited') {
      path.answered.push({ probability: p, ip: server, kind: 'upstream' });
      path.notes.push(`the query leaves the modelled network at ${o.at}: assumed an outside DNS server answers`);
    } else if (o.disposition === 'rejected' || o.disposition === 'no-route') {
      // The ICMP error only helps when it reaches the pod; a lost error is a wait like any lost query.
      const heard = !o.reply || o.reply.disposition === 'delivered';
      const why = !heard ? ` and its ICMP error is ${o.reply!.disposition} at ${o.reply!.at}` : flavour === 'musl' ? ' (musl does not hear ICMP errors: it waits)' : '';
      add(flavour === 'glibc' && heard ? 'refused' : 'lost', p, `${o.disposition} at ${o.at}${why}`);
    } else {
      add('lost', p, `${o.disposition} at ${o.at}`);
    }
  }
  return path;

  function add(what: 'lost' | 'refused', p: number, note: string): void {
    path[what] += p;
    path.notes.push(`${p < 1 ? `with probability ${round(p)}: ` : ''}${note}`);
  }
}

/** Without a traced path: the query is assumed to reach the nameserver's owner, or a Service's DNS endpoints in equal shares. */
function assumedPath(cluster: Cluster, server: string): QueryPath {
  const ip = parseIPv4(server);
  const path: QueryPath = { outcomes: [], answered: [], lost: 0, refused: 0, notes: [] };
  const svc = ip !== undefined ? cluster.services.find((s) => s.clusterIP === ip) : undefined;
  if (svc) {
    if (svc.endpoints.length === 0) {
      path.refused = 1;
      path.notes.push(`query path not traced: Service ${svc.namespace}/${svc.name} has no endpoints, assumed rejected as kube-proxy does`);
      return path;
    }
    const share = 1 / svc.endpoints.length;
    for (const e of svc.endpoints) path.answered.push({ probability: share, ip: formatIPv4(e.ip), pod: e.pod, kind: e.pod ? kindOfHost(cluster, e.pod) : 'cluster' });
    path.notes.push(`query path not traced: assumed spread evenly over the endpoints of Service ${svc.namespace}/${svc.name}`);
    return path;
  }
  const owner = ip !== undefined ? cluster.addressOwner.get(ip) : undefined;
  const kind = owner ? kindOfHost(cluster, owner.host) : 'upstream';
  const h = owner ? cluster.hosts.get(owner.host) : undefined;
  if (kind === 'none') {
    path.refused = 1;
    path.notes.push(`query path not traced: ${owner?.host} serves no DNS, assumed nothing listens on port 53`);
  } else {
    path.answered.push({ probability: 1, ip: server, pod: h?.kind === 'pod' ? h.id : undefined, host: h && h.kind !== 'pod' ? h.id : undefined, kind });
    path.notes.push(`query path not traced: assumed to reach ${owner ? owner.host : `an outside server at ${server}`} and come back`);
  }
  return path;
}

function round(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}
