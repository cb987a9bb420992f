/**
 * A small cluster for NetworkPolicy tests, written as the objects `kubectl get
 * pods,namespaces -A -o yaml` prints for it (trimmed to the fields that matter),
 * and helpers to evaluate a packet between two of its pods.
 */
import assert from 'node:assert/strict';
import { parseKubernetes, mergeKubeObjects } from '../../../src/core/parse/kubernetes/parse-kubernetes';
import type { KubeObjects } from '../../../src/core/model/kubernetes';
import { parseAddr } from '../../../src/core/net/addr';
import { type PolicyWorld, podSubjects, policyWorld } from '../../../src/core/policy/world';
import { type PacketVerdict, evaluatePacket } from '../../../src/core/policy/verdict';
import type { KubeProtocol } from '../../../src/core/model/kubernetes';

/** Namespaces and pods: frontend/web, frontend/other, backend/api, backend/db, kube-system/coredns, kube-system/node-exporter (hostNetwork), monitoring/prom. */
export const PODS = `
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: frontend, labels: {team: frontend}}}
- {apiVersion: v1, kind: Namespace, metadata: {name: backend, labels: {team: backend}}}
- {apiVersion: v1, kind: Namespace, metadata: {name: kube-system}}
- {apiVersion: v1, kind: Namespace, metadata: {name: monitoring, labels: {purpose: monitoring}}}
- apiVersion: v1
  kind: Pod
  metadata: {name: web, namespace: frontend, labels: {app: web}}
  spec: {nodeName: node-1, containers: [{name: web, ports: [{containerPort: 80, name: http}]}]}
  status: {podIP: 10.244.1.7}
- apiVersion: v1
  kind: Pod
  metadata: {name: other, namespace: frontend, labels: {app: other}}
  spec: {nodeName: node-1, containers: [{name: other}]}
  status: {podIP: 10.244.1.8}
- apiVersion: v1
  kind: Pod
  metadata: {name: api, namespace: backend, labels: {app: api, tier: backend}}
  spec:
    nodeName: node-2
    containers:
    - name: api
      ports:
      - {containerPort: 8080, name: http}
      - {containerPort: 9090, name: metrics}
  status: {podIP: 10.244.2.5}
- apiVersion: v1
  kind: Pod
  metadata: {name: db, namespace: backend, labels: {app: db, tier: data}}
  spec: {nodeName: node-2, containers: [{name: pg, ports: [{containerPort: 5432, name: postgres}]}]}
  status: {podIP: 10.244.2.6}
- apiVersion: v1
  kind: Pod
  metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
  spec:
    nodeName: node-0
    containers:
    - name: coredns
      ports:
      - {containerPort: 53, name: dns, protocol: UDP}
      - {containerPort: 53, name: dns-tcp, protocol: TCP}
  status: {podIP: 10.244.0.2}
- apiVersion: v1
  kind: Pod
  metadata: {name: node-exporter, namespace: kube-system, labels: {app: node-exporter}}
  spec: {nodeName: node-0, hostNetwork: true, containers: [{name: e, ports: [{containerPort: 9100, name: metrics}]}]}
  status: {podIP: 10.240.0.4}
- apiVersion: v1
  kind: Pod
  metadata: {name: prom, namespace: monitoring, labels: {app: prom}}
  spec: {nodeName: node-0, containers: [{name: prom}]}
  status: {podIP: 10.244.3.3}
`;

/** Reads manifests (the pods above plus `policies`), failing on any error-level issue. */
export function objectsOf(...texts: string[]): KubeObjects {
  const out = parseKubernetes(texts[0], 'f0.yaml');
  for (let i = 1; i < texts.length; i++) {
    const r = parseKubernetes(texts[i], `f${i}.yaml`);
    assert.deepEqual(r.issues.filter((x) => x.severity === 'error').map((x) => `${x.span.line}: ${x.message}`), []);
    mergeKubeObjects(out.value, r.value);
  }
  assert.deepEqual(out.issues.filter((x) => x.severity === 'error').map((x) => x.message), []);
  return out.value;
}

/** The world of the pods above under `policies`. */
export function worldOf(policies: string): PolicyWorld {
  const objects = objectsOf(PODS, policies);
  return policyWorld(objects, podSubjects(objects));
}

/** Evaluates a packet from `src` to `dst` (`ns/name` of a pod, or an address outside). */
export function packet(world: PolicyWorld, src: string, dst: string, protocol: KubeProtocol, port: number, opts: { fromOwnNode?: boolean } = {}): PacketVerdict {
  const end = (x: string) => {
    const subject = world.subjects.find((s) => s.id === x);
    if (subject) return { subject, ip: subject.ips[0] };
    const ip = parseAddr(x);
    assert.ok(ip, `${x} is neither a pod nor an address`);
    return { ip };
  };
  return evaluatePacket(world, { src: end(src), dst: end(dst), protocol, port }, opts);
}

/** A verdict in a few words, for table tests: `allowed`, `allowed by ns/name#rule`, `denied egress by ns/a,ns/b`. */
export function summary(v: PacketVerdict): string {
  const side = (d: PacketVerdict['egress'], dir: string): string | undefined => {
    if (d.verdict === 'denied') return `denied ${dir} by ${d.isolatedBy.map((p) => `${p.namespace}/${p.name}`).join(',')}`;
    if (d.verdict === 'allowed') return `${dir} ${d.policy.namespace}/${d.policy.name}#${d.ruleIndex}`;
    return d.reason === 'not-isolated' || d.reason === 'not-a-pod' ? undefined : `${dir} ${d.reason}`;
  };
  const denied = [v.egress, v.ingress].find((d) => d.verdict === 'denied');
  if (denied) return side(denied, denied === v.egress ? 'egress' : 'ingress')!;
  const why = [side(v.egress, 'egress'), side(v.ingress, 'ingress')].filter(Boolean);
  return why.length ? `allowed (${why.join('; ')})` : 'allowed';
}
