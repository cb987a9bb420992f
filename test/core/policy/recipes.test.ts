/**
 * The NetworkPolicy recipes everyone learns from, as table tests of
 * (policies, pods, packet) → verdict, on the small cluster of ./cluster.ts.
 * Each case states the policy manifests and a list of packets with the verdict
 * the NetworkPolicy API defines for them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeProtocol } from '../../../src/core/model/kubernetes';
import { packet, summary, worldOf } from './cluster';

const DENY_ALL_INGRESS = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: backend}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

const DENY_ALL_EGRESS = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: backend}
spec:
  podSelector: {}
  policyTypes: [Egress]
`;

type Packet = [src: string, dst: string, proto: KubeProtocol, port: number, expected: string, opts?: { fromOwnNode?: boolean }];

const RECIPES: { name: string; policies: string; packets: Packet[] }[] = [
  {
    name: 'deny all ingress in a namespace: nothing reaches its pods, their own traffic out is untouched, a pod still reaches itself',
    policies: DENY_ALL_INGRESS,
    packets: [
      ['frontend/web', 'backend/api', 'TCP', 8080, 'denied ingress by backend/default-deny'],
      ['backend/api', 'backend/db', 'TCP', 5432, 'denied ingress by backend/default-deny'],
      ['backend/api', 'kube-system/coredns', 'UDP', 53, 'allowed'],
      ['backend/api', 'backend/api', 'TCP', 8080, 'allowed (egress same-pod; ingress same-pod)'],
      ['frontend/web', 'frontend/other', 'TCP', 80, 'allowed'],
      ['192.168.1.1', 'backend/api', 'TCP', 8080, 'denied ingress by backend/default-deny'],
      // kubelet probes from the pod's own node are admitted
      ['10.240.0.6', 'backend/api', 'TCP', 8080, 'allowed (ingress own-node)', { fromOwnNode: true }],
    ],
  },
  {
    name: 'deny all egress: the pod can no longer reach DNS; ingress to it is not isolated',
    policies: DENY_ALL_EGRESS,
    packets: [
      ['backend/api', 'kube-system/coredns', 'UDP', 53, 'denied egress by backend/deny-egress'],
      ['backend/api', '8.8.8.8', 'UDP', 53, 'denied egress by backend/deny-egress'],
      ['frontend/web', 'backend/api', 'TCP', 8080, 'allowed'],
    ],
  },
  {
    name: 'allow same namespace, after deny all',
    policies: `${DENY_ALL_INGRESS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-same-namespace, namespace: backend}
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector: {}
`,
    packets: [
      ['backend/api', 'backend/db', 'TCP', 5432, 'allowed (ingress backend/allow-same-namespace#0)'],
      ['backend/db', 'backend/api', 'UDP', 9999, 'allowed (ingress backend/allow-same-namespace#0)'],
      ['frontend/web', 'backend/db', 'TCP', 5432, 'denied ingress by backend/default-deny,backend/allow-same-namespace'],
    ],
  },
  {
    name: 'allow from a namespace by label (and only that namespace)',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-monitoring, namespace: backend}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {purpose: monitoring}}
    ports:
    - {port: 9090}
`,
    packets: [
      ['monitoring/prom', 'backend/api', 'TCP', 9090, 'allowed (ingress backend/allow-monitoring#0)'],
      ['monitoring/prom', 'backend/api', 'TCP', 8080, 'denied ingress by backend/allow-monitoring'],
      ['frontend/web', 'backend/api', 'TCP', 9090, 'denied ingress by backend/allow-monitoring'],
      // the policy selects api only: db is not isolated
      ['frontend/web', 'backend/db', 'TCP', 5432, 'allowed'],
    ],
  },
  {
    name: 'namespaceSelector and podSelector in one peer (AND) versus two peers (OR)',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: and, namespace: backend}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: frontend}}
      podSelector: {matchLabels: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: or, namespace: backend}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: frontend}}
    - podSelector: {matchLabels: {app: web}}
`,
    packets: [
      ['frontend/web', 'backend/api', 'TCP', 8080, 'allowed (ingress backend/and#0)'],
      ['frontend/other', 'backend/api', 'TCP', 8080, 'denied ingress by backend/and'],
      ['frontend/other', 'backend/db', 'TCP', 5432, 'allowed (ingress backend/or#0)'],
      // the bare podSelector peer means pods of the policy's own namespace
      ['backend/api', 'backend/db', 'TCP', 5432, 'denied ingress by backend/or'],
    ],
  },
  {
    name: 'allow DNS egress to kube-dns (UDP and TCP 53), after deny all egress',
    policies: `${DENY_ALL_EGRESS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns, namespace: backend}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
`,
    packets: [
      ['backend/api', 'kube-system/coredns', 'UDP', 53, 'allowed (egress backend/allow-dns#0)'],
      ['backend/api', 'kube-system/coredns', 'TCP', 53, 'allowed (egress backend/allow-dns#0)'],
      ['backend/api', 'kube-system/coredns', 'TCP', 80, 'denied egress by backend/deny-egress,backend/allow-dns'],
      ['backend/api', 'backend/db', 'TCP', 5432, 'denied egress by backend/deny-egress,backend/allow-dns'],
      ['backend/api', '8.8.8.8', 'UDP', 53, 'denied egress by backend/deny-egress,backend/allow-dns'],
    ],
  },
  {
    name: 'ipBlock with except: pod addresses count, the except carves a hole',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-10-net, namespace: backend}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from:
    - ipBlock:
        cidr: 10.0.0.0/8
        except: [10.244.1.0/24]
`,
    packets: [
      ['monitoring/prom', 'backend/api', 'TCP', 8080, 'allowed (ingress backend/from-10-net#0)'],
      ['frontend/web', 'backend/api', 'TCP', 8080, 'denied ingress by backend/from-10-net'],
      ['10.1.2.3', 'backend/api', 'TCP', 8080, 'allowed (ingress backend/from-10-net#0)'],
      ['10.244.1.200', 'backend/api', 'TCP', 8080, 'denied ingress by backend/from-10-net'],
      ['192.168.1.1', 'backend/api', 'TCP', 8080, 'denied ingress by backend/from-10-net'],
    ],
  },
  {
    name: 'named ports are looked up in the destination pod; a pod that does not declare the name admits nothing by it',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: http-only, namespace: backend}
spec:
  podSelector: {}
  ingress:
  - ports:
    - {port: http}
`,
    packets: [
      ['frontend/web', 'backend/api', 'TCP', 8080, 'allowed (ingress backend/http-only#0)'],
      ['frontend/web', 'backend/api', 'TCP', 9090, 'denied ingress by backend/http-only'],
      ['frontend/web', 'backend/api', 'UDP', 8080, 'denied ingress by backend/http-only'],
      // web's own port 80 is named http too, but the name is looked up in the destination
      ['frontend/web', 'backend/db', 'TCP', 80, 'denied ingress by backend/http-only'],
      ['frontend/web', 'backend/db', 'TCP', 5432, 'denied ingress by backend/http-only'],
    ],
  },
  {
    name: 'endPort: an inclusive range; protocol defaults to TCP',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: range, namespace: backend}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - ports:
    - {port: 32000, endPort: 32768}
`,
    packets: [
      ['frontend/web', 'backend/api', 'TCP', 31999, 'denied ingress by backend/range'],
      ['frontend/web', 'backend/api', 'TCP', 32000, 'allowed (ingress backend/range#0)'],
      ['frontend/web', 'backend/api', 'TCP', 32768, 'allowed (ingress backend/range#0)'],
      ['frontend/web', 'backend/api', 'TCP', 32769, 'denied ingress by backend/range'],
      ['frontend/web', 'backend/api', 'UDP', 32000, 'denied ingress by backend/range'],
    ],
  },
  {
    name: 'policyTypes default: a policy with egress rules and no policyTypes isolates both directions',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-only-rules, namespace: backend}
spec:
  podSelector: {matchLabels: {app: api}}
  egress:
  - to:
    - podSelector: {matchLabels: {app: db}}
`,
    packets: [
      ['backend/api', 'backend/db', 'TCP', 5432, 'allowed (egress backend/egress-only-rules#0)'],
      ['backend/api', 'kube-system/coredns', 'UDP', 53, 'denied egress by backend/egress-only-rules'],
      // Ingress is in the default policyTypes, and the policy has no ingress rule
      ['backend/db', 'backend/api', 'TCP', 8080, 'denied ingress by backend/egress-only-rules'],
    ],
  },
  {
    name: 'hostNetwork pods are not subject to policies, and are not matched by pod selectors',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: kube-system}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-kube-system, namespace: backend}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
`,
    packets: [
      ['monitoring/prom', 'kube-system/node-exporter', 'TCP', 9100, 'allowed (ingress host-network)'],
      ['monitoring/prom', 'kube-system/coredns', 'UDP', 53, 'denied ingress by kube-system/deny-all'],
      ['kube-system/node-exporter', 'backend/api', 'TCP', 8080, 'denied ingress by backend/from-kube-system'],
    ],
  },
  {
    name: 'matchExpressions: NotIn holds when the label is absent; DoesNotExist; Exists',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: expr, namespace: backend}
spec:
  podSelector:
    matchExpressions:
    - {key: tier, operator: NotIn, values: [data]}
  ingress:
  - from:
    - namespaceSelector:
        matchExpressions:
        - {key: team, operator: Exists}
      podSelector:
        matchExpressions:
        - {key: tier, operator: DoesNotExist}
`,
    packets: [
      ['frontend/web', 'backend/api', 'TCP', 8080, 'allowed (ingress backend/expr#0)'],
      ['monitoring/prom', 'backend/api', 'TCP', 8080, 'denied ingress by backend/expr'],
      ['backend/db', 'backend/api', 'TCP', 8080, 'denied ingress by backend/expr'],
      // db has tier=data: not selected, not isolated
      ['monitoring/prom', 'backend/db', 'TCP', 5432, 'allowed'],
    ],
  },
  {
    name: 'both ends must allow: egress allowed at the sender, ingress denied at the receiver',
    policies: `${DENY_ALL_INGRESS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-out, namespace: frontend}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {team: backend}}
`,
    packets: [
      ['frontend/web', 'backend/api', 'TCP', 8080, 'denied ingress by backend/default-deny'],
      ['frontend/web', 'monitoring/prom', 'TCP', 9090, 'denied egress by frontend/web-out'],
    ],
  },
];

for (const r of RECIPES) {
  test(`recipe: ${r.name}`, () => {
    const world = worldOf(r.policies);
    const got = r.packets.map(([s, d, p, port, , opts]) => `${s} -> ${d} ${p}/${port}: ${summary(packet(world, s, d, p, port, opts))}`);
    const want = r.packets.map(([s, d, p, port, expected]) => `${s} -> ${d} ${p}/${port}: ${expected}`);
    assert.deepEqual(got, want);
  });
}
