/**
 * One packet against the NetworkPolicies in force, as the API defines them:
 * the sender's egress and the receiver's ingress must both allow it. A pod is
 * isolated in a direction when a policy of its namespace selects it with that
 * direction in its policyTypes; an isolated pod's traffic passes only when some
 * rule of one of those policies matches (a peer and a port). Pods with
 * `hostNetwork` are not subject to policies; a pod may always reach itself;
 * traffic from the receiving pod's own node (kubelet probes) is allowed.
 */
import type { KubeNetworkPolicy, KubeProtocol, PolicyPeer, PolicyPort, PolicyRule } from '../model/kubernetes';
import type { Addr } from '../net/addr';
import { type Prefix, contains, parseCidr } from '../net/prefix';
import { selects } from './selector';
import { type PolicySubject, type PolicyWorld, isolatingPolicies } from './world';

/** One end of a packet: its address, and the pod it belongs to when it is a pod's. */
export interface PacketEnd {
  ip?: Addr;
  subject?: PolicySubject;
}

/** The packet as the policy sees it (after DNAT for egress, after SNAT for ingress: the caller decides). */
export interface PolicyPacket {
  src: PacketEnd;
  dst: PacketEnd;
  protocol: KubeProtocol;
  port: number;
}

/** Why a direction does not apply to a packet. */
export type NotSubjectReason =
  /** The end is not a pod of the cluster (a node, a host outside). */
  | 'not-a-pod'
  /** The pod uses the node's network namespace (`hostNetwork: true`). */
  | 'host-network'
  /** The pod talks to itself. */
  | 'same-pod'
  /** No policy isolates the pod in this direction. */
  | 'not-isolated'
  /** The packet comes from the receiving pod's own node (kubelet probes). */
  | 'own-node';

/** The verdict of one direction (egress at the sender, ingress at the receiver). */
export type DirectionVerdict =
  | { verdict: 'not-subject'; reason: NotSubjectReason; subject?: PolicySubject }
  /** Allowed by `rule` (index `ruleIndex` in the policy's list for this direction) of `policy`. */
  | { verdict: 'allowed'; subject: PolicySubject; isolatedBy: KubeNetworkPolicy[]; policy: KubeNetworkPolicy; rule: PolicyRule; ruleIndex: number }
  /** Isolated by `isolatedBy`, none of whose rules matches. */
  | { verdict: 'denied'; subject: PolicySubject; isolatedBy: KubeNetworkPolicy[] };

/** Both directions and the result. */
export interface PacketVerdict {
  allowed: boolean;
  egress: DirectionVerdict;
  ingress: DirectionVerdict;
}

const cidrs = new Map<string, Prefix | undefined>();

/** A CIDR as written in a policy, parsed once. */
export function cidrOf(text: string): Prefix | undefined {
  if (!cidrs.has(text)) {
    if (cidrs.size > 100_000) cidrs.clear();
    cidrs.set(text, /\/\d{1,3}$/.test(text) ? parseCidr(text) : undefined);
  }
  return cidrs.get(text);
}

/** Is `ip` inside the ipBlock (its cidr, none of its excepts)? */
export function inIpBlock(block: { cidr: string; except: string[] }, ip: Addr): boolean {
  const cidr = cidrOf(block.cidr);
  if (!cidr || !contains(cidr, ip)) return false;
  return !block.except.some((e) => {
    const x = cidrOf(e);
    return x !== undefined && contains(x, ip);
  });
}

/** Does a peer of a policy in `policyNamespace` match `end`? */
export function peerMatches(world: PolicyWorld, policyNamespace: string, peer: PolicyPeer, end: PacketEnd): boolean {
  if (peer.ipBlock) return end.ip !== undefined && inIpBlock(peer.ipBlock, end.ip);
  // hostNetwork pods are the node on the wire: CNIs do not match them by pod selectors
  return end.subject !== undefined && subjectMatchesSelectors(world, policyNamespace, peer, end.subject);
}

/** Does a selector peer (podSelector, namespaceSelector or both) match a pod? hostNetwork pods never do. */
export function subjectMatchesSelectors(world: PolicyWorld, policyNamespace: string, peer: PolicyPeer, s: PolicySubject): boolean {
  if (s.hostNetwork) return false;
  if (peer.namespaceSelector) {
    if (!selects(peer.namespaceSelector, world.namespaces.get(s.namespace) ?? { 'kubernetes.io/metadata.name': s.namespace })) return false;
  } else if (s.namespace !== policyNamespace) return false;
  return !peer.podSelector || selects(peer.podSelector, s.labels);
}

/** Does a policy port match `protocol`/`port` at `dst` (whose container ports name named ports)? */
export function portMatches(p: PolicyPort, protocol: KubeProtocol, port: number, dst: PolicySubject | undefined): boolean {
  if (p.protocol !== protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'number') return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
  return dst?.ports.some((c) => c.name === p.port && c.protocol === protocol && c.containerPort === port) ?? false;
}

/** Does `rule` admit the packet, whose policy-side peer is `peerEnd`? */
export function ruleMatches(world: PolicyWorld, policy: KubeNetworkPolicy, rule: PolicyRule, peerEnd: PacketEnd, packet: PolicyPacket): boolean {
  if (rule.peers && !rule.peers.some((peer) => peerMatches(world, policy.namespace, peer, peerEnd))) return false;
  return !rule.ports || rule.ports.some((p) => portMatches(p, packet.protocol, packet.port, packet.dst.subject));
}

function direction(world: PolicyWorld, packet: PolicyPacket, dir: 'ingress' | 'egress', fromOwnNode: boolean): DirectionVerdict {
  const subject = dir === 'ingress' ? packet.dst.subject : packet.src.subject;
  const peerEnd = dir === 'ingress' ? packet.src : packet.dst;
  if (!subject) return { verdict: 'not-subject', reason: 'not-a-pod' };
  if (subject.hostNetwork) return { verdict: 'not-subject', reason: 'host-network', subject };
  if (packet.src.subject && packet.src.subject === packet.dst.subject) return { verdict: 'not-subject', reason: 'same-pod', subject };
  const isolatedBy = isolatingPolicies(world, subject, dir);
  if (isolatedBy.length === 0) return { verdict: 'not-subject', reason: 'not-isolated', subject };
  if (dir === 'ingress' && fromOwnNode) return { verdict: 'not-subject', reason: 'own-node', subject };
  for (const policy of isolatedBy) {
    const rules = dir === 'ingress' ? policy.ingress : policy.egress;
    for (let i = 0; i < rules.length; i++) {
      if (ruleMatches(world, policy, rules[i], peerEnd, packet)) return { verdict: 'allowed', subject, isolatedBy, policy, rule: rules[i], ruleIndex: i };
    }
  }
  return { verdict: 'denied', subject, isolatedBy };
}

/**
 * Evaluates one packet. `fromOwnNode`: the source address is the receiving
 * pod's node (the caller knows the nodes); such traffic is always admitted.
 */
export function evaluatePacket(world: PolicyWorld, packet: PolicyPacket, opts: { fromOwnNode?: boolean } = {}): PacketVerdict {
  const egress = direction(world, packet, 'egress', false);
  const ingress = direction(world, packet, 'ingress', opts.fromOwnNode ?? false);
  return { allowed: egress.verdict !== 'denied' && ingress.verdict !== 'denied', egress, ingress };
}
