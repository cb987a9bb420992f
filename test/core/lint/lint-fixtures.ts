/** Minimal topologies for the lint tests: one that is clean, and edits of it that each raise one code. */
import { loadCluster } from '../../../src/core/build/load';
import { lintCluster } from '../../../src/core/lint/index';
import type { Issue } from '../../../src/core/source';

/** A two-node cluster behind one router, with one Service over a pod on each node. Lint-clean. */
export const BASE = `apiVersion: kube-netsim/v1
kind: Cluster
metadata: {name: lint-base}
spec:
  clusterCIDR: 10.244.0.0/16
  serviceCIDR: 10.0.0.0/16
  routers:
    - name: gw
      ip: 10.240.0.1
      routes:
        - {to: 10.244.0.0/24, via: 10.240.0.4}
        - {to: 10.244.1.0/24, via: 10.240.0.5}
  nodes:
    - {name: n0, ip: 10.240.0.4, podCIDR: 10.244.0.0/24}
    - {name: n1, ip: 10.240.0.5, podCIDR: 10.244.1.0/24}
  pods:
    - {name: a, node: n0, ip: 10.244.0.5, labels: {app: web}}
    - {name: b, node: n1, ip: 10.244.1.5, labels: {app: web}}
  services:
    - name: web
      clusterIP: 10.0.0.20
      selector: {app: web}
      ports: [{port: 80, targetPort: 8080, protocol: TCP}]
`;

/** BASE with `from` replaced by `to` (the edit must apply). */
export function edit(from: string, to: string, base = BASE): string {
  if (!base.includes(from)) throw new Error(`fixture edit: ${JSON.stringify(from)} not in base`);
  return base.replace(from, to);
}

/** Loads and lints a topology given as text, with extra files by relative path. */
export function lint(text: string, files: Record<string, string> = {}): { issues: Issue[]; all: Issue[] } {
  const loaded = loadCluster(text, 'cluster.netsim.yaml', {
    read: (p) => (p in files ? { text: files[p] } : { error: 'no such file' }),
  });
  const issues = lintCluster(loaded);
  return { issues, all: [...loaded.issues, ...issues] };
}

/** An iptables-save nat table for node n0, embedded as a block scalar. */
export function withNodeIptables(rules: string, base = BASE): string {
  const block = rules.split('\n').map((l) => `        ${l}`).join('\n');
  return edit('    - {name: n0, ip: 10.240.0.4, podCIDR: 10.244.0.0/24}\n',
    `    - name: n0\n      ip: 10.240.0.4\n      podCIDR: 10.244.0.0/24\n      iptables: |\n${block}\n`, base);
}
