/**
 * Which host a file describes, and which host a hover in the topology itself
 * traces from. A dump referenced as `{file: agent-0/iptables-save.txt}` under
 * node `k8s-agent-0` belongs to that node: a packet to an address hovered there
 * starts on that node.
 */
import type { Topology, SourceText } from '../../core/model/topology';

/** Normalises a relative path as written (`./a/b.txt`, `a\\b.txt`) for comparison. */
export function normalizeRel(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/\.\//g, '/');
}

function sourcesOf(m: { interfaces?: { source: SourceText }; routes?: { source: SourceText }; iptables?: { sources: SourceText[] }; resolvConf?: { source: SourceText } }): SourceText[] {
  const out: SourceText[] = [];
  if (m.interfaces) out.push(m.interfaces.source);
  if (m.routes) out.push(m.routes.source);
  if (m.iptables) out.push(...m.iptables.sources);
  if (m.resolvConf) out.push(m.resolvConf.source);
  return out;
}

/** The host id (pod `ns/name`, otherwise the name) whose `{file: …}` is `relPath`; undefined when none is. */
export function hostForFile(t: Topology, relPath: string): string | undefined {
  const want = normalizeRel(relPath);
  const hit = (srcs: SourceText[]): boolean => srcs.some((s) => s.fileRef !== undefined && normalizeRel(s.fileRef) === want);
  for (const n of t.nodes) if (hit(sourcesOf(n))) return n.name;
  for (const r of t.routers) if (hit(sourcesOf(r))) return r.name;
  for (const h of t.hosts) if (hit(sourcesOf(h))) return h.name;
  for (const p of t.pods) if (hit(sourcesOf(p))) return `${p.namespace}/${p.name}`;
  return undefined;
}

/**
 * The source for hovers in the topology: the `kubeNetsim.defaultSource` setting
 * when set, else the first pod (the example's client), else the first node.
 */
export function defaultSource(t: Topology, setting: string | undefined): string | undefined {
  if (setting && setting.trim()) return setting.trim();
  const p = t.pods.find((x) => !x.hostNetwork) ?? t.pods[0];
  if (p) return `${p.namespace}/${p.name}`;
  return t.nodes[0]?.name ?? t.hosts[0]?.name;
}
