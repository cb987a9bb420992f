/**
 * What NetworkPolicies are evaluated against: the pods (or the workloads that
 * stand for pods not created yet), the namespaces' labels, and the policies of
 * each namespace. Built once from Kubernetes objects; pure data.
 */
import type { ContainerPort, KubeNetworkPolicy, KubeObjects, KubeOrigin } from '../model/kubernetes';
import { type Addr, parseAddr } from '../net/addr';
import { selects } from './selector';

/** A pod, or a workload standing for its pods: what a policy selects and what a peer matches. */
export interface PolicySubject {
  /** `namespace/name` for a pod; `namespace/name[Kind]` for a workload. */
  id: string;
  namespace: string;
  name: string;
  /** `Pod`, or the workload's kind. */
  kind: string;
  labels: Readonly<Record<string, string>>;
  /** The pod's addresses (none for workloads and pods not yet running). */
  ips: Addr[];
  hostNetwork: boolean;
  /** Container ports, for named ports. */
  ports: readonly ContainerPort[];
  /** The node the pod runs on, when known. */
  nodeName?: string;
  origin?: KubeOrigin;
}

/** Policies, namespaces and subjects, indexed for evaluation. */
export interface PolicyWorld {
  /** Labels of every namespace that has a Namespace object or holds a subject or policy. */
  namespaces: Map<string, Readonly<Record<string, string>>>;
  /** Namespaces with no Namespace object: only `kubernetes.io/metadata.name` is known of them. */
  assumedNamespaces: Set<string>;
  /** Policies by namespace, in input order. */
  policies: Map<string, KubeNetworkPolicy[]>;
  subjects: PolicySubject[];
}

/** Builds the namespace index and policy index over `subjects`. */
export function policyWorld(objects: Pick<KubeObjects, 'namespaces' | 'policies'>, subjects: PolicySubject[]): PolicyWorld {
  const namespaces = new Map<string, Readonly<Record<string, string>>>();
  for (const n of objects.namespaces) namespaces.set(n.name, { ...n.labels, 'kubernetes.io/metadata.name': n.name });
  const assumedNamespaces = new Set<string>();
  const policies = new Map<string, KubeNetworkPolicy[]>();
  for (const p of objects.policies) {
    const list = policies.get(p.namespace) ?? [];
    list.push(p);
    policies.set(p.namespace, list);
  }
  for (const ns of [...subjects.map((s) => s.namespace), ...policies.keys()]) {
    if (!namespaces.has(ns)) {
      namespaces.set(ns, { 'kubernetes.io/metadata.name': ns });
      assumedNamespaces.add(ns);
    }
  }
  return { namespaces, assumedNamespaces, policies, subjects };
}

/** The subjects for pods: every pod of the input (with or without an address). */
export function podSubjects(objects: Pick<KubeObjects, 'pods'>): PolicySubject[] {
  return objects.pods.map((p) => ({
    id: `${p.namespace}/${p.name}`, namespace: p.namespace, name: p.name, kind: 'Pod', labels: p.labels,
    ips: p.ips.map(parseAddr).filter((x): x is Addr => x !== undefined), hostNetwork: p.hostNetwork, ports: p.ports,
    ...(p.nodeName ? { nodeName: p.nodeName } : {}), origin: p.origin,
  }));
}

/** The policies of `subject`'s namespace that select it and isolate it in `direction`. */
export function isolatingPolicies(world: PolicyWorld, subject: PolicySubject, direction: 'ingress' | 'egress'): KubeNetworkPolicy[] {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  return (world.policies.get(subject.namespace) ?? []).filter((p) => p.policyTypes.includes(type) && selects(p.podSelector, subject.labels));
}
