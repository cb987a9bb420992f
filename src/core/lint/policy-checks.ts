/**
 * Lint for NetworkPolicies, over Kubernetes objects (manifests or a cluster's
 * `kubectl get` output): a policy that selects no pod, a peer that matches
 * nothing, a named port no selected pod declares, egress isolation that cuts a
 * pod off from kube-dns (UDP and TCP 53: the classic outage after a default
 * deny, with a quick fix adding the DNS egress rule), and ingress allowed at
 * one end that the sender's egress denies. Each is placed on the policy line
 * to fix. Pods are the input's pods, or its workloads' templates.
 */
import type { Issue } from '../source';
import type { KubeNetworkPolicy, KubeObjects, PolicyRule } from '../model/kubernetes';
import { evaluatePacket, subjectMatchesSelectors, inIpBlock } from '../policy/verdict';
import { selects } from '../policy/selector';
import { type PolicySubject, type PolicyWorld, podSubjects, policyWorld } from '../policy/world';
import { lintIssue } from './lint-issue';

/** Pods, or workload templates standing for pods when the input has none of theirs. */
function subjectsOf(o: KubeObjects): PolicySubject[] {
  const pods = podSubjects(o);
  const owned = new Set(o.pods.filter((p) => p.owner).map((p) => `${p.namespace}/${p.owner!.kind}/${p.owner!.name}`));
  const templates = o.workloads
    .filter((w) => !owned.has(`${w.namespace}/${w.kind}/${w.name}`) && !(w.owner && o.workloads.some((x) => x.namespace === w.namespace && x.kind === w.owner!.kind && x.name === w.owner!.name)))
    .map((w): PolicySubject => ({ id: `${w.namespace}/${w.name}[${w.kind}]`, namespace: w.namespace, name: w.name, kind: w.kind, labels: w.podLabels, ips: [], hostNetwork: w.hostNetwork, ports: w.ports, origin: w.origin }));
  return [...pods, ...templates];
}

const KUBE_DNS: PolicySubject = {
  id: 'kube-system/kube-dns', namespace: 'kube-system', name: 'kube-dns', kind: 'Pod', labels: { 'k8s-app': 'kube-dns' }, ips: [], hostNetwork: false,
  ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }],
};

const selected = (w: PolicyWorld, p: KubeNetworkPolicy): PolicySubject[] => w.subjects.filter((s) => s.namespace === p.namespace && !s.hostNetwork && selects(p.podSelector, s.labels));
const name = (p: KubeNetworkPolicy): string => `${p.namespace}/${p.name}`;

function dnsFix(p: KubeNetworkPolicy): Issue['fixes'] {
  const line = (p.origin.endLine ?? p.origin.line) + 1;
  const sel = JSON.stringify(p.podSelector.matchLabels);
  return [{
    title: `Add a NetworkPolicy allowing DNS egress (UDP and TCP 53 to kube-dns) for the pods ${name(p)} selects`,
    edits: [{
      file: p.origin.file, line, column: 1, endLine: line, endColumn: 1,
      newText: `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${p.name}-allow-dns, namespace: ${p.namespace}}\nspec:\n  podSelector: {matchLabels: ${sel}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n      podSelector: {matchLabels: {k8s-app: kube-dns}}\n    ports:\n    - {protocol: UDP, port: 53}\n    - {protocol: TCP, port: 53}\n`,
    }],
  }];
}

/** Every policy finding for a set of objects. */
export function lintPolicies(o: KubeObjects): Issue[] {
  const subjects = subjectsOf(o);
  const dns = subjects.filter((s) => s.namespace === 'kube-system' && s.labels['k8s-app'] === 'kube-dns');
  const dnsTargets = dns.length > 0 ? dns : [KUBE_DNS];
  const w = policyWorld(o, [...subjects, ...(dns.length ? [] : [KUBE_DNS])]);
  const out: Issue[] = [];
  if (subjects.length === 0) return out;
  for (const p of o.policies) {
    const sel = selected(w, p);
    const at = p.podSelectorOrigin ?? p.origin;
    if (sel.length === 0) out.push(lintIssue('policy-selects-nothing', at, '', `${name(p)} selects no pod of the input: it isolates nothing`));
    const rules: [PolicyRule, 'ingress' | 'egress'][] = [...p.ingress.map((r): [PolicyRule, 'ingress'] => [r, 'ingress']), ...p.egress.map((r): [PolicyRule, 'egress'] => [r, 'egress'])];
    for (const [r, dir] of rules) {
      for (const peer of r.peers ?? []) {
        if (peer.ipBlock) continue;
        if (!w.subjects.some((s) => subjectMatchesSelectors(w, p.namespace, peer, s))) {
          out.push(lintIssue('policy-peer-matches-nothing', r.origin, '', `a ${dir === 'ingress' ? 'from' : 'to'} peer of ${name(p)} matches no pod of the input: the rule admits nothing through it`));
        }
      }
      if (dir === 'ingress') {
        for (const port of r.ports ?? []) {
          if (typeof port.port !== 'string' || sel.length === 0) continue;
          if (!sel.some((s) => s.ports.some((c) => c.name === port.port && c.protocol === port.protocol))) {
            out.push(lintIssue('policy-named-port-undeclared', r.origin, '', `no pod ${name(p)} selects declares a ${port.protocol} port named "${port.port}": the rule admits nothing on it`));
          }
        }
      }
    }
    if (p.policyTypes.includes('Egress') && sel.length > 0) {
      const cut = sel.filter((s) => !(['UDP', 'TCP'] as const).every((protocol) => dnsTargets.some((d) => evaluatePacket(w, { src: { subject: s }, dst: { subject: d }, protocol, port: 53 }).allowed)));
      if (cut.length > 0) {
        const issue = lintIssue('policy-blocks-dns', at,
          '', `${name(p)} isolates egress of ${cut.map((s) => s.id).slice(0, 3).join(', ')}${cut.length > 3 ? ` and ${cut.length - 3} more` : ''}, and no policy lets ${cut.length > 1 ? 'them' : 'it'} reach kube-dns on both UDP and TCP 53: name lookups fail`);
        issue.fixes = dnsFix(p);
        out.push(issue);
      }
    }
    // ingress this policy allows explicitly, that the sender's own egress denies
    if (p.policyTypes.includes('Ingress')) {
      for (const r of p.ingress) {
        if (!r.peers) continue;
        const port = r.ports?.find((x) => typeof x.port === 'number');
        const proto = port?.protocol ?? 'TCP';
        const num = typeof port?.port === 'number' ? port.port : 80;
        if (r.ports && !port) continue;
        for (const d of sel.slice(0, 1)) {
          const senders = w.subjects.filter((s) => s !== d && r.peers!.some((peer) => (peer.ipBlock ? s.ips.some((ip) => inIpBlock(peer.ipBlock, ip)) : subjectMatchesSelectors(w, p.namespace, peer, s))));
          const denied = senders.filter((s) => evaluatePacket(w, { src: { subject: s, ip: s.ips[0] }, dst: { subject: d, ip: d.ips[0] }, protocol: proto, port: num }).egress.verdict === 'denied');
          if (denied.length > 0 && denied.length === senders.length) {
            out.push(lintIssue('policy-egress-denies-allowed-ingress', r.origin, '',
              `${name(p)} admits ${proto} ${num} from ${denied.map((s) => s.id).slice(0, 3).join(', ')}${denied.length > 3 ? ' and more' : ''}, but their own egress policies deny it: the rule is never used`));
          }
        }
      }
    }
  }
  return out;
}
