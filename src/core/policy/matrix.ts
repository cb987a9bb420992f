/**
 * The connectivity matrix: for every ordered pair of endpoints (workloads, or
 * pods), the ports the NetworkPolicies allow from one to the other, as merged
 * inclusive ranges per protocol. Each rule's peers are matched against every
 * subject once (a bitmap), so a pair costs a few lookups however many policies
 * there are. Works on manifests alone: a workload without pods is its pod
 * template, matched by selectors only (it has no address for an ipBlock).
 */
import type { KubeNetworkPolicy, KubeObjects, PolicyRule, WorkloadKind } from '../model/kubernetes';
import { type Addr, parseAddr } from '../net/addr';
import { type PortSet, MAX_PORT, MIN_PORT, addInto, allPorts, intersect, isEmpty, noPorts } from './port-set';
import { inIpBlock, subjectMatchesSelectors } from './verdict';
import { type PolicySubject, type PolicyWorld, isolatingPolicies, podSubjects, policyWorld } from './world';

/** One row / column of the matrix. */
export interface MatrixEndpoint {
  /** `namespace/name[Kind]`. */
  id: string;
  namespace: string;
  name: string;
  kind: string;
  /** The pods it stands for (its template when it has none in the input). */
  members: PolicySubject[];
}

/** An allowed ordered pair. */
export interface MatrixConnection {
  src: string;
  dst: string;
  allowed: PortSet;
  /** The policies whose rules allowed something of this pair (`namespace/name`), egress then ingress. */
  policies: string[];
}

/** Something left out of the matrix, and why. */
export interface MatrixSkip {
  what: string;
  why: string;
}

/** The whole matrix. */
export interface Matrix {
  endpoints: MatrixEndpoint[];
  connections: MatrixConnection[];
  skipped: MatrixSkip[];
  /** Namespaces with no Namespace object: only their `kubernetes.io/metadata.name` label was known. */
  assumedNamespaces: string[];
}

/** A rule compiled against the subjects: which of them its peers match. */
interface CompiledRule {
  policy: KubeNetworkPolicy;
  rule: PolicyRule;
  /** Undefined: every peer. */
  peers?: Uint8Array;
  /** Ports without named ports (constant), or undefined when the rule names ports (then per destination). */
  ports?: PortSet;
}

function rulePorts(rule: PolicyRule, dst: PolicySubject): PortSet {
  if (!rule.ports) return allPorts();
  const out = noPorts();
  for (const p of rule.ports) {
    if (p.port === undefined) addInto(out, { ...noPorts(), [p.protocol]: [[MIN_PORT, MAX_PORT]] });
    else if (typeof p.port === 'number') addInto(out, { ...noPorts(), [p.protocol]: [[p.port, p.endPort ?? p.port]] });
    else {
      const hits = dst.ports.filter((c) => c.name === p.port && c.protocol === p.protocol).map((c): [number, number] => [c.containerPort, c.containerPort]);
      if (hits.length > 0) addInto(out, { ...noPorts(), [p.protocol]: hits });
    }
  }
  return out;
}

function compile(world: PolicyWorld, policy: KubeNetworkPolicy, rule: PolicyRule, subjects: PolicySubject[]): CompiledRule {
  const named = rule.ports?.some((p) => typeof p.port === 'string') ?? false;
  const c: CompiledRule = { policy, rule, ...(named ? {} : { ports: rulePorts(rule, subjects[0]) }) };
  if (!rule.peers) return c;
  const mask = new Uint8Array(subjects.length);
  for (const peer of rule.peers) {
    for (let i = 0; i < subjects.length; i++) {
      if (mask[i]) continue;
      const s = subjects[i];
      // ipBlock matches any address, pods' included; a template has none
      if (peer.ipBlock ? s.ips.some((ip) => inIpBlock(peer.ipBlock, ip)) : subjectMatchesSelectors(world, policy.namespace, peer, s)) mask[i] = 1;
    }
  }
  c.peers = mask;
  return c;
}

/** The compiled rules isolating each subject in one direction; undefined when it is not isolated (or not subject). */
function rulesBySubject(world: PolicyWorld, subjects: PolicySubject[], dir: 'ingress' | 'egress'): (CompiledRule[] | undefined)[] {
  const cache = new Map<PolicyRule, CompiledRule>();
  return subjects.map((s) => {
    if (s.hostNetwork) return undefined;
    const iso = isolatingPolicies(world, s, dir);
    if (iso.length === 0) return undefined;
    return iso.flatMap((p) => (dir === 'ingress' ? p.ingress : p.egress).map((r) => {
      let c = cache.get(r);
      if (!c) { c = compile(world, p, r, subjects); cache.set(r, c); }
      return c;
    }));
  });
}

/** What one direction allows between subject indexes; `peer` is the other end, `dst` the receiver. */
function side(rules: CompiledRule[] | undefined, peer: number, dst: PolicySubject, used: Set<string>): PortSet {
  if (!rules) return allPorts();
  const out = noPorts();
  for (const r of rules) {
    if (r.peers && !r.peers[peer]) continue;
    const ports = r.ports ?? rulePorts(r.rule, dst);
    if (isEmpty(ports)) continue;
    addInto(out, ports);
    used.add(`${r.policy.namespace}/${r.policy.name}`);
  }
  return out;
}

/** Computes the matrix over `endpoints` (see endpointsOf). */
export function computeMatrix(world: PolicyWorld, endpoints: MatrixEndpoint[]): Matrix {
  const subjects: PolicySubject[] = [];
  const index = new Map<PolicySubject, number>();
  for (const e of endpoints) for (const m of e.members) { index.set(m, subjects.length); subjects.push(m); }
  const w: PolicyWorld = { ...world, subjects };
  const egress = rulesBySubject(w, subjects, 'egress');
  const ingress = rulesBySubject(w, subjects, 'ingress');
  const connections: MatrixConnection[] = [];
  for (const src of endpoints) {
    for (const dst of endpoints) {
      if (src === dst) continue;
      const allowed = noPorts();
      const used = new Set<string>();
      for (const s of src.members) {
        const si = index.get(s)!;
        for (const d of dst.members) {
          const di = index.get(d)!;
          const out = side(egress[si], di, d, used);
          if (isEmpty(out)) continue;
          addInto(allowed, intersect(out, side(ingress[di], si, d, used)));
        }
      }
      if (!isEmpty(allowed)) connections.push({ src: src.id, dst: dst.id, allowed, policies: [...used].sort() });
    }
  }
  return { endpoints, connections, skipped: [], assumedNamespaces: [...world.assumedNamespaces].sort() };
}

/**
 * The endpoints of a matrix. `pod`: every pod. `workload`: every workload at
 * the top of its owner chain in the input (a ReplicaSet owned by a Deployment
 * of the input is that Deployment; a Job owned by a CronJob, that CronJob) with
 * its pods as members (its template when the input has none), and every pod no
 * workload of the input owns. Finished pods (Succeeded, Failed) are skipped.
 */
export function endpointsOf(objects: KubeObjects, by: 'workload' | 'pod'): { endpoints: MatrixEndpoint[]; skipped: MatrixSkip[] } {
  const skipped: MatrixSkip[] = [];
  const live = objects.pods.filter((p) => {
    if (p.phase === 'Succeeded' || p.phase === 'Failed') { skipped.push({ what: `${p.namespace}/${p.name}[Pod]`, why: `phase ${p.phase}: the pod has finished` }); return false; }
    return true;
  });
  const pods = podSubjects({ pods: live });
  const podEndpoint = (s: PolicySubject): MatrixEndpoint => ({ id: `${s.namespace}/${s.name}[Pod]`, namespace: s.namespace, name: s.name, kind: 'Pod', members: [s] });
  if (by === 'pod') return { endpoints: pods.map(podEndpoint), skipped };
  const key = (ns: string, kind: string, name: string): string => `${ns}/${kind}/${name}`;
  const workloads = new Map(objects.workloads.map((w) => [key(w.namespace, w.kind, w.name), w]));
  const top = (ns: string, kind: string, name: string): string | undefined => {
    let k = key(ns, kind, name);
    if (!workloads.has(k)) return undefined;
    for (let hops = 0; hops < 10; hops++) {
      const o = workloads.get(k)!.owner;
      const up = o ? key(ns, o.kind, o.name) : undefined;
      if (!up || !workloads.has(up)) break;
      k = up;
    }
    return k;
  };
  const members = new Map<string, PolicySubject[]>();
  const endpoints: MatrixEndpoint[] = [];
  const loose: PolicySubject[] = [];
  live.forEach((p, i) => {
    const k = p.owner ? top(p.namespace, p.owner.kind, p.owner.name) : undefined;
    if (k) members.set(k, [...(members.get(k) ?? []), pods[i]]);
    else loose.push(pods[i]);
  });
  for (const [k, wl] of workloads) {
    if (top(wl.namespace, wl.kind, wl.name) !== k) continue;
    const id = `${wl.namespace}/${wl.name}[${wl.kind}]`;
    const template: PolicySubject = {
      id, namespace: wl.namespace, name: wl.name, kind: wl.kind as WorkloadKind, labels: wl.podLabels, ips: [], hostNetwork: wl.hostNetwork, ports: wl.ports, origin: wl.origin,
    };
    endpoints.push({ id, namespace: wl.namespace, name: wl.name, kind: wl.kind, members: members.get(k) ?? [template] });
  }
  for (const s of loose) endpoints.push(podEndpoint(s));
  return { endpoints, skipped };
}

/** The matrix of a set of objects. */
export function matrixOf(objects: KubeObjects, by: 'workload' | 'pod'): Matrix {
  const { endpoints, skipped } = endpointsOf(objects, by);
  endpoints.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const world = policyWorld(objects, endpoints.flatMap((e) => e.members));
  const m = computeMatrix(world, endpoints);
  return { ...m, skipped: [...skipped, ...m.skipped] };
}

/** Parses addresses for subjects built by hand (tests, the trace). */
export function ipsOf(texts: string[]): Addr[] {
  return texts.map(parseAddr).filter((x): x is Addr => x !== undefined);
}
