/**
 * The matrix's port ranges are exact: for random pods and policies, every
 * allowed range agrees with evaluating single packets one port at a time
 * (brute force through evaluatePacket, a separate code path) at every port
 * where the answer can change — each port a policy names, its neighbours, the
 * ends of the range — and at random ports in between.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeNetworkPolicy, KubeObjects, KubePod, KubeProtocol, LabelSelector, PolicyPeer, PolicyPort, PolicyRule } from '../../../src/core/model/kubernetes';
import { matrixOf } from '../../../src/core/policy/matrix';
import { evaluatePacket } from '../../../src/core/policy/verdict';
import { hasPort, PROTOCOLS } from '../../../src/core/policy/port-set';
import { podSubjects, policyWorld } from '../../../src/core/policy/world';

const origin = { file: 'gen.yaml', line: 1, column: 1, text: '' };
const NS = ['a', 'b', 'c'];
const APPS = ['x', 'y', 'z'];
const NAMES = ['http', 'dns', 'db'];

const EMPTY = (): LabelSelector => ({ matchLabels: {}, matchExpressions: [] });
const selector: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant(null).map(EMPTY),
  fc.constantFrom(...APPS).map((app) => ({ matchLabels: { app }, matchExpressions: [] })),
  fc.tuple(fc.constantFrom<'In' | 'NotIn' | 'Exists' | 'DoesNotExist'>('In', 'NotIn', 'Exists', 'DoesNotExist'), fc.subarray(APPS, { minLength: 1 }))
    .map(([operator, values]) => ({ matchLabels: {}, matchExpressions: [{ key: 'app', operator, values: operator === 'In' || operator === 'NotIn' ? values : [] }] })),
);
const nsSelector: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant(null).map(EMPTY),
  fc.constantFrom(...NS).map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n }, matchExpressions: [] })),
  fc.constant(null).map((): LabelSelector => ({ matchLabels: { env: 'prod' }, matchExpressions: [] })),
);
const peer: fc.Arbitrary<PolicyPeer> = fc.oneof(
  selector.map((podSelector) => ({ podSelector })),
  nsSelector.map((namespaceSelector) => ({ namespaceSelector })),
  fc.tuple(selector, nsSelector).map(([podSelector, namespaceSelector]) => ({ podSelector, namespaceSelector })),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 22, max: 30 })).map(([i, len]) => ({ ipBlock: { cidr: `10.0.${i}.0/${len - 8}`, except: len > 24 ? [`10.0.${i}.0/${len}`] : [] } })),
);
const protocol = fc.constantFrom<KubeProtocol>('TCP', 'UDP', 'SCTP');
const port: fc.Arbitrary<PolicyPort> = fc.oneof(
  protocol.map((p) => ({ protocol: p })),
  fc.tuple(protocol, fc.integer({ min: 1, max: 65535 })).map(([p, n]) => ({ protocol: p, port: n })),
  fc.tuple(protocol, fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 3000 })).map(([p, n, w]) => ({ protocol: p, port: n, endPort: Math.min(65535, n + w) })),
  fc.tuple(protocol, fc.constantFrom(...NAMES)).map(([p, n]) => ({ protocol: p, port: n })),
);
const rule: fc.Arbitrary<PolicyRule> = fc.record({ peers: fc.option(fc.array(peer, { minLength: 1, maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(port, { minLength: 1, maxLength: 3 }), { nil: undefined }) })
  .map((r) => ({ ...(r.peers ? { peers: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}), origin }));
const policy = (i: number): fc.Arbitrary<KubeNetworkPolicy> => fc.record({
  namespace: fc.constantFrom(...NS), podSelector: selector,
  types: fc.constantFrom<('Ingress' | 'Egress')[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(rule, { maxLength: 2 }), egress: fc.array(rule, { maxLength: 2 }),
}).map((p) => ({ kind: 'NetworkPolicy', name: `p${i}`, namespace: p.namespace, labels: {}, origin, podSelector: p.podSelector, policyTypes: p.types, ingress: p.ingress, egress: p.egress }));
const pod = (i: number): fc.Arbitrary<KubePod> => fc.record({
  namespace: fc.constantFrom(...NS), app: fc.option(fc.constantFrom(...APPS), { nil: undefined }), host: fc.boolean(), hasIp: fc.boolean(),
  ports: fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.integer({ min: 1, max: 65535 }), protocol), { maxLength: 3 }),
}).map((p): KubePod => ({
  kind: 'Pod', name: `pod${i}`, namespace: p.namespace, labels: p.app ? { app: p.app } : {}, origin, ips: p.hasIp ? [`10.0.${i % 4}.${10 + i}`] : [],
  hostNetwork: p.host && i === 0, ready: true, ports: p.ports.map(([name, containerPort, protocol]) => ({ name, containerPort, protocol })),
}));

const world = fc.tuple(fc.tuple(pod(0), pod(1), pod(2), pod(3)), fc.tuple(policy(0), policy(1), policy(2), policy(3)), fc.integer({ min: 0, max: 4 }), fc.boolean())
  .map(([pods, policies, n, prodB]): KubeObjects => ({
    nodes: [], services: [], endpointSlices: [], workloads: [], pods: [...pods], policies: policies.slice(0, n),
    namespaces: prodB ? [{ kind: 'Namespace', name: 'b', namespace: '', labels: { env: 'prod' }, origin }] : [],
  }));

/** The ports where the verdict may change, plus neighbours and a few random ones. */
function probes(o: KubeObjects, rnd: number): number[] {
  const s = new Set<number>([1, 2, 65534, 65535, 1 + (rnd % 65535)]);
  const add = (n: number): void => { for (const d of [-1, 0, 1]) if (n + d >= 1 && n + d <= 65535) s.add(n + d); };
  for (const p of o.policies) for (const r of [...p.ingress, ...p.egress]) for (const x of r.ports ?? []) {
    if (typeof x.port === 'number') { add(x.port); if (x.endPort) { add(x.endPort); add((x.port + x.endPort) >> 1); } }
  }
  for (const p of o.pods) for (const c of p.ports) add(c.containerPort);
  return [...s].sort((a, b) => a - b);
}

test('matrix port ranges agree with per-port packet evaluation', () => {
  fc.assert(fc.property(world, fc.nat(), (o, rnd) => {
    const m = matrixOf(o, 'pod');
    const subjects = podSubjects(o);
    const w = policyWorld(o, subjects);
    const ports = probes(o, rnd);
    for (const s of subjects) {
      for (const d of subjects) {
        if (s === d) continue;
        const conn = m.connections.find((c) => c.src === `${s.id}[Pod]` && c.dst === `${d.id}[Pod]`);
        for (const proto of PROTOCOLS) {
          for (const p of ports) {
            const want = evaluatePacket(w, { src: { subject: s, ip: s.ips[0] }, dst: { subject: d, ip: d.ips[0] }, protocol: proto, port: p }).allowed;
            const got = conn ? hasPort(conn.allowed, proto, p) : false;
            assert.equal(got, want, `${s.id} -> ${d.id} ${proto}/${p}`);
          }
        }
      }
    }
  }), { numRuns: 300 });
});
