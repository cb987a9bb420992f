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
import { type PortSet, MAX_PORT, MIN_PORT, PROTOCOLS, addInto, allPorts, intersect, isEmpty, noPorts, normalize } from './port-set';
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
  /** Indexes of the subjects its peers match; undefined: every peer. */
  matched?: number[];
  /** The rule names ports (resolved in the receiving pod). */
  named: boolean;
  /** Ports when the rule names none (the same for every receiver). */
  ports?: PortSet;
}

function rulePorts(rule: PolicyRule, dst: PolicySubject): PortSet {
  if (!rule.ports) return allPorts();
  const out = noPorts();
  for (const p of rule.ports) {
    if (p.port === undefined) out[p.protocol].push([MIN_PORT, MAX_PORT]);
    else if (typeof p.port === 'number') out[p.protocol].push([p.port, p.endPort ?? p.port]);
    else for (const c of dst.ports) if (c.name === p.port && c.protocol === p.protocol) out[p.protocol].push([c.containerPort, c.containerPort]);
  }
  return { TCP: normalize(out.TCP), UDP: normalize(out.UDP), SCTP: normalize(out.SCTP) };
}

function compile(world: PolicyWorld, policy: KubeNetworkPolicy, rule: PolicyRule, subjects: PolicySubject[]): CompiledRule {
  const named = rule.ports?.some((p) => typeof p.port === 'string') ?? false;
  const c: CompiledRule = { policy, rule, named, ...(named ? {} : { ports: rulePorts(rule, subjects[0]) }) };
  if (!rule.peers) return c;
  const matched: number[] = [];
  for (let i = 0; i < subjects.length; i++) {
    const s = subjects[i];
    // ipBlock matches any address, pods' included; a template has none
    if (rule.peers.some((peer) => (peer.ipBlock ? s.ips.some((ip) => inIpBlock(peer.ipBlock, ip)) : subjectMatchesSelectors(world, policy.namespace, peer, s)))) matched.push(i);
  }
  c.matched = matched;
  return c;
}

/** What one direction allows one peer: the ports, and the policies whose rules gave them. */
interface Allowed {
  ports: PortSet;
  policies: string[];
}

/** Everything (an end that is not isolated). Never changed. */
const ALL: Allowed = Object.freeze({ ports: allPorts(), policies: [] });

/** The rules isolating one subject in one direction, arranged by the peer they match. */
interface SideTable {
  rules: CompiledRule[];
  /** Positions (in `rules`) of rules with no peers: they match everyone. */
  everyone: number[];
  /** Peer subject index → the positions of the rules whose peers match it, as a key (made once). */
  byPeer: Map<number, string>;
  /** Some rule names ports: for egress the union then depends on the receiving peer's ports. */
  named: boolean;
  /** Unions already made: rule-positions key → receiver ports key (or '') → allowed. */
  cache: Map<string, Map<number, Allowed>>;
}

function sideTables(world: PolicyWorld, subjects: PolicySubject[], dir: 'ingress' | 'egress'): (SideTable | undefined)[] {
  const compiled = new Map<PolicyRule, CompiledRule>();
  return subjects.map((s) => {
    if (s.hostNetwork) return undefined;
    const iso = isolatingPolicies(world, s, dir);
    if (iso.length === 0) return undefined;
    const rules = iso.flatMap((p) => (dir === 'ingress' ? p.ingress : p.egress).map((r) => {
      let c = compiled.get(r);
      if (!c) { c = compile(world, p, r, subjects); compiled.set(r, c); }
      return c;
    }));
    const lists = new Map<number, number[]>();
    const everyone: number[] = [];
    rules.forEach((r, i) => {
      if (!r.matched) { everyone.push(i); return; }
      for (const peer of r.matched) {
        const l = lists.get(peer);
        if (l) l.push(i);
        else lists.set(peer, [i]);
      }
    });
    const byPeer = new Map<number, string>();
    for (const [peer, l] of lists) byPeer.set(peer, l.join(','));
    return { rules, everyone, byPeer, named: rules.some((r) => r.named), cache: new Map() };
  });
}

/** Interned container-port lists: subjects with the same ports share an id (named ports resolve alike). */
function portsIds(subjects: PolicySubject[]): number[] {
  const ids = new Map<string, number>();
  return subjects.map((s) => {
    const k = s.ports.map((p) => `${p.name ?? ''}:${p.containerPort}/${p.protocol}`).join(',');
    let id = ids.get(k);
    if (id === undefined) { id = ids.size; ids.set(k, id); }
    return id;
  });
}

/** What table `t` allows `peer`; `dst` receives (its ports name named ports), `dstPorts` is its ports id. */
function allowedBy(t: SideTable, peer: number, dst: PolicySubject, dstPorts: number): Allowed {
  const key = t.byPeer.get(peer) ?? '';
  let byPorts = t.cache.get(key);
  if (!byPorts) { byPorts = new Map(); t.cache.set(key, byPorts); }
  const pk = t.named ? dstPorts : -1;
  let a = byPorts.get(pk);
  if (a) return a;
  const positions = key === '' ? t.everyone : [...t.everyone, ...key.split(',').map(Number)];
  const acc = noPorts();
  const used = new Set<string>();
  for (const i of positions) {
    const r = t.rules[i];
    const ports = r.ports ?? rulePorts(r.rule, dst);
    if (isEmpty(ports)) continue;
    for (const p of PROTOCOLS) for (const x of ports[p]) acc[p].push(x);
    used.add(`${r.policy.namespace}/${r.policy.name}`);
  }
  a = { ports: { TCP: normalize(acc.TCP), UDP: normalize(acc.UDP), SCTP: normalize(acc.SCTP) }, policies: [...used] };
  byPorts.set(pk, a);
  return a;
}

/** Computes the matrix over `endpoints` (see endpointsOf). */
export function computeMatrix(world: PolicyWorld, endpoints: MatrixEndpoint[]): Matrix {
  const subjects: PolicySubject[] = [];
  const index = new Map<PolicySubject, number>();
  for (const e of endpoints) for (const m of e.members) { index.set(m, subjects.length); subjects.push(m); }
  const w: PolicyWorld = { ...world, subjects };
  const egress = sideTables(w, subjects, 'egress');
  const ingress = sideTables(w, subjects, 'ingress');
  const pids = portsIds(subjects);
  // the intersection of two unions, made once per pair of unions
  const both = new Map<Allowed, Map<Allowed, PortSet>>();
  const meet = (a: Allowed, b: Allowed): PortSet => {
    if (a === ALL) return b.ports;
    if (b === ALL) return a.ports;
    let m = both.get(a);
    if (!m) { m = new Map(); both.set(a, m); }
    let r = m.get(b);
    if (!r) { r = intersect(a.ports, b.ports); m.set(b, r); }
    return r;
  };
  const connections: MatrixConnection[] = [];
  for (const src of endpoints) {
    for (const dst of endpoints) {
      if (src === dst) continue;
      let allowed: PortSet | undefined;
      const sides: Allowed[] = [];
      for (const s of src.members) {
        const si = index.get(s)!;
        for (const d of dst.members) {
          const di = index.get(d)!;
          const out = egress[si] ? allowedBy(egress[si], di, d, pids[di]) : ALL;
          if (isEmpty(out.ports)) continue;
          const inn = ingress[di] ? allowedBy(ingress[di], si, d, pids[di]) : ALL;
          const ports = meet(out, inn);
          if (isEmpty(ports)) continue;
          sides.push(out, inn);
          if (!allowed) allowed = ports;
          else { if (allowed === ports) continue; allowed = { TCP: [...allowed.TCP], UDP: [...allowed.UDP], SCTP: [...allowed.SCTP] }; addInto(allowed, ports); }
        }
      }
      if (allowed) {
        const names = sides.length === 2 && sides[0].policies.length === 0 ? sides[1].policies : [...new Set(sides.flatMap((x) => x.policies))];
        connections.push({ src: src.id, dst: dst.id, allowed: { TCP: [...allowed.TCP], UDP: [...allowed.UDP], SCTP: [...allowed.SCTP] }, policies: [...names].sort() });
      }
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
