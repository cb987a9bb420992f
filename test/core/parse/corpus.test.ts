/**
 * Every file of the corpus (test/fixtures/corpus) through detectFormat + parseAs: the detected
 * format is the expected one, no error-level issue is raised (deliberately
 * partial files must raise the notes listed for them), and the summary's counts
 * equal counts taken here with plain line filters, independently of the parsers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat, type FormatName } from '../../../src/core/parse/text/detect';
import { parseAs } from '../../../src/core/parse/parse-any';
import { CORPUS } from '../../fixtures/dirs';

/** JSON companions (flows, meta, route lookups) and the provenance notes are not pasted command output. */
const NOT_INPUT = new Set([
  'PROVENANCE.md', 'manifest.json',
  'iptables-kube-proxy/k8s-TestOverallIPTablesRules.meta.json', 'iptables-kube-proxy/k8s-TestTracePacket.flows.json',
  'iptables-kube-proxy/k8s-iptables-spec-only.flows.json', 'nftables-kube-proxy/k8s-nft-spec-only.flows.json',
  'routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.route-lookups.json', 'routing/calico-ipip-cms-daq-workshop-node-0.route-lookups.json',
  'routing/calico-nodeToNodeMesh-false-minion2.flows.json',
]);

/** The format each file is, by its name (the first command's output for multi-command pastes). */
const EXPECTED: Record<string, FormatName> = {
  'dns/docker-desktop-k8s-redis-pod.resolv.conf.txt': 'resolv-conf',
  'dns/k8s-website-coredns-federation-stubdomains.Corefile': 'corefile',
  'dns/k8s-website-coredns-legacy-proxy-upstream-log.configmap-Corefile.yaml': 'corefile',
  'dns/k8s-website-coredns-stubdomain-consul.configmap-Corefile.yaml': 'corefile',
  'dns/k8s-website-dnsPolicy-None-dnsConfig.resolv.conf.txt': 'resolv-conf',
  'dns/k8s-website-gke-style-ClusterFirst.resolv.conf.txt': 'resolv-conf',
  'dns/k8s-website-ipv6-ClusterFirst.resolv.conf.txt': 'resolv-conf',
  'dns/tkng-kind-coredns.configmap-Corefile.yaml': 'corefile',
  'dns/tkng-kind-pod-default-ns.resolv.conf.txt': 'resolv-conf',
  'iptables-kube-proxy/k8s-TestBadIPs-loadbalancer-sourceranges.iptables-save.txt': 'iptables-save',
  'iptables-kube-proxy/k8s-TestOverallIPTablesRules.iptables-save.txt': 'iptables-save',
  'iptables-kube-proxy/k8s-TestSyncProxyRulesRepeated-step1-full.iptables-restore.txt': 'iptables-save',
  'iptables-kube-proxy/k8s-TestSyncProxyRulesRepeated-step3-partial-delete.iptables-restore.txt': 'iptables-save',
  'iptables-kube-proxy/k8s-TestSyncProxyRulesRepeated-step8-full-resync-with-deletes.iptables-restore.txt': 'iptables-save',
  'iptables-kube-proxy/k8s-TestTracePacket.iptables-save.txt': 'iptables-save',
  'iptables-other/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.iptables-S-t-nat.txt': 'iptables-S',
  'iptables-other/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.iptables-S.txt': 'iptables-S',
  'iptables-other/calico-kind-tkng-cali-POSTROUTING.iptables-t-nat-vnL-excerpt.txt': 'iptables-list',
  'iptables-other/docker-desktop-linuxkit-k8s.iptables-t-filter-nvL.txt': 'iptables-list',
  'iptables-other/docker-desktop-linuxkit-k8s.iptables-t-nat-nvL.txt': 'iptables-list',
  'iptables-other/docker-moby-usernet-portmap.iptables-S.filter.txt': 'iptables-S',
  'iptables-other/docker-moby-usernet-portmap.iptables-nvL-line-numbers.filter.txt': 'iptables-list',
  'iptables-other/docker-moby-usernet-portmap.iptables-t-nat-S.txt': 'iptables-S',
  'iptables-other/docker-moby-usernet-portmap.iptables-t-nat-nvL-line-numbers.txt': 'iptables-list',
  'iptables-other/flannel-docker-kubeadm-2019-nginx-svc.iptables-t-nat-L-n.txt': 'iptables-list',
  'iptables-other/flannel-docker-kubeadm-2019.iptables-t-filter-L-n-v.txt': 'iptables-list',
  'iptables-other/flannel-docker-kubeadm-2019.iptables-t-nat-L-n-v.txt': 'iptables-list',
  'iptables-other/flannel-kubeadm-2026-k8s-cp.iptables-L-filter-resolved-names.txt': 'iptables-list',
  'iptables-other/flannel-kubeadm-2026-k8s-cp.iptables-t-nat-L-resolved-names.txt': 'iptables-list',
  'iptables-other/kindnet-kind-tkng-KIND-MASQ-AGENT.iptables-t-nat-nvL-grep-excerpt.txt': 'iptables-list',
  'iptables-other/tkng-kind-kube-proxy-iptables-loadbalancer-web-KUBE-FW.iptables-t-nat-nvL-per-chain.txt': 'iptables-list',
  'iptables-other/tkng-kind-kube-proxy-iptables-nodeport-web.iptables-t-nat-nvL-per-chain.txt': 'iptables-list',
  'iptables-other/tkng-kind-kube-proxy-iptables-web-svc.iptables-t-nat-nvL-per-chain.txt': 'iptables-list',
  'ipvs/k8s-ipvs-README-check-rules.ipvsadm-ln.txt': 'ipvsadm',
  'ipvs/k8s-ipvs-README-externalIPs-physdev.iptables-t-nat-nL.txt': 'iptables-list',
  'ipvs/k8s-ipvs-README-loadbalancer-sourceranges-ipset.iptables-t-nat-nL.txt': 'iptables-list',
  'ipvs/k8s-ipvs-README-masquerade-all.iptables-t-nat-nL.txt': 'iptables-list',
  'ipvs/minikube-docker-nodeport-32470.ipvsadm-Ln.txt': 'ipvsadm',
  'ipvs/tkng-kind-ipvs-k8s-guide-worker.ipset-list-KUBE-CLUSTER-IP-and-KUBE-LOOP-BACK.txt': 'ipset',
  'ipvs/tkng-kind-ipvs-k8s-guide-worker.iptables-t-nat-nvL-per-chain.txt': 'iptables-list',
  'ipvs/tkng-kind-ipvs-k8s-guide-worker.ipvsadm-ln.txt': 'ipvsadm',
  'ipvs/tkng-kind-ipvs-loadbalancer-web.ipvsadm-ln.txt': 'ipvsadm',
  'kubectl/aws-vpc-cni-standard-node.kubectl-get-pod-owide-A.txt': 'kubectl',
  'kubectl/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.kubectl-get-pod-A-owide.txt': 'kubectl',
  'kubectl/calico-nodeToNodeMesh-false-minion2.kubectl-get-po-and-o-wide.txt': 'kubectl',
  'kubectl/cms-daq-workshop-nginx.kubectl-get-ep.txt': 'kubectl',
  'kubectl/cms-daq-workshop-nginx.kubectl-get-pods-o-wide.txt': 'kubectl',
  'kubectl/cms-daq-workshop.kubectl-get-nodes-o-wide.txt': 'kubectl',
  'kubectl/k8s-ipvs-README-check-rules.kubectl-get-svc-all-namespaces.txt': 'kubectl',
  'kubectl/k8s-website-endpointslice-example-v1beta1.yaml': 'kubernetes',
  'kubectl/tkng-kind-iptables-web.kubectl-get-deploy-and-svc.txt': 'kubectl',
  'kubectl/tkng-kind-ipvs-web.kubectl-get-pod-owide-and-svc.txt': 'kubectl',
  'kubectl/tkng-kind-loadbalancer-web.kubectl-get-svc.txt': 'kubectl',
  'kubectl/tkng-kind-nodeport-web.kubectl-get-svc-and-ep.txt': 'kubectl',
  'nftables-kube-proxy/k8s-TestOverallNFTablesRules.nft.txt': 'nft-ruleset',
  'nftables-kube-proxy/k8s-nft-TestSyncProxyRulesRepeated-after-delete-stale-empty-chains.nft.txt': 'nft-ruleset',
  'nftables-kube-proxy/k8s-nft-baseRules.nft.txt': 'nft-ruleset',
  'routing/aws-vpc-cni-standard-node.ip-a.txt': 'ip-addr',
  'routing/aws-vpc-cni-standard-node.pod-netns.ip-a.txt': 'ip-addr',
  'routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.ip-a.txt': 'ip-addr',
  'routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.ip-route-get-172.31.2.37.txt': 'ip-route',
  'routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.ip-route-show-table-101.txt': 'ip-route',
  'routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.ip-route-show-table-102.txt': 'ip-route',
  'routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.ip-route.txt': 'ip-route',
  'routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.ip-rule.txt': 'ip-rule',
  'routing/aws-vpc-cni-trunk-sgpp-node-ip-172-31-0-225.pod-netns.ip-a.txt': 'ip-addr',
  'routing/calico-bgp-kind-tkng-node-worker2.ip-route.txt': 'ip-route',
  'routing/calico-bird-node-multipass.ip-route.txt': 'ip-route',
  'routing/calico-ipip-cms-daq-workshop-node-0.ip-address-list.txt': 'ip-addr',
  'routing/calico-ipip-cms-daq-workshop-node-0.ip-route-get-fibmatch.txt': 'ip-route',
  'routing/calico-ipip-cms-daq-workshop-node-0.route-n.txt': 'route-n',
  'routing/calico-ipip-cms-daq-workshop-pod-nginx.route-n.txt': 'route-n',
  'routing/calico-kind-tkng-node-veth-calic.ip-addr-show.txt': 'ip-addr',
  'routing/calico-kind-tkng-pod.ip-addr-and-ip-route.txt': 'ip-addr',
  'routing/calico-nodeToNodeMesh-false-minion2-after-bgp-peer.route-n.txt': 'route-n',
  'routing/calico-nodeToNodeMesh-false-minion2-before-bgp-peer.route-n.txt': 'route-n',
  'routing/cilium-kind-tkng-pod.ip-addr-and-ip-route.txt': 'ip-addr',
  'routing/docker-desktop-linuxkit-k8s-node.ifconfig.txt': 'ifconfig',
  'routing/docker-desktop-linuxkit-k8s-node.route-e.txt': 'route-n',
  'routing/flannel-vxlan-kind-tkng-node-worker2.ip-route.txt': 'ip-route',
  'routing/kindnet-kind-tkng-node-worker2.ip-route-and-veth-addrs.txt': 'ip-route',
  'routing/kindnet-kind-tkng-pod.ip-addr-and-ip-route.txt': 'ip-addr',
  'routing/tkng-kind-ipvs-k8s-guide-worker.ip-link-kube-ipvs0.txt': 'ip-link',
  'routing/weave-kind-tkng-node-worker2.ip-route.txt': 'ip-route',
  'routing/weave-kind-tkng-pod.ip-route.txt': 'ip-route',
};

/** Deliberately partial or noisy files and the issue codes they must raise (besides `pasted-prompt`). */
const MUST_RAISE: Record<string, string[]> = {
  'ipvs/tkng-kind-ipvs-loadbalancer-web.ipvsadm-ln.txt': ['pasted-elision'],
  'routing/kindnet-kind-tkng-node-worker2.ip-route-and-veth-addrs.txt': ['route-line-unrecognised'],
  'routing/aws-vpc-cni-standard-node.ip-a.txt': ['pasted-other-output'],
  'routing/aws-vpc-cni-standard-node.pod-netns.ip-a.txt': ['pasted-other-output'],
  'routing/calico-kind-tkng-pod.ip-addr-and-ip-route.txt': ['pasted-other-output'],
  'routing/cilium-kind-tkng-pod.ip-addr-and-ip-route.txt': ['pasted-other-output'],
  'routing/kindnet-kind-tkng-pod.ip-addr-and-ip-route.txt': ['pasted-other-output'],
  'routing/calico-ipip-cms-daq-workshop-node-0.route-n.txt': ['route-n-assumed-blackhole'],
  'kubectl/cms-daq-workshop-nginx.kubectl-get-ep.txt': ['kubectl-endpoints-truncated'],
};

const count = (lines: string[], re: RegExp) => lines.filter((l) => re.test(l)).length;
const PROMPTISH = /^\s*(?:\$\s|#\s|\S+@\S+[#$]\s|\[[^\]]*\][#$]\s|\/ #(?:\s|$)|bash-[\d.]+#\s|iptables\s|<\.\.\.>|\.\.\.$)/;

/**
 * iptables listing counts: distinct chains (a `Chain X (` header, or rows under a
 * `$ alias CHAIN | grep …` prompt that names one); rules under the first listing of
 * each chain (undefined when rows float without a header: filtered output is partial).
 */
function listingCounts(lines: string[]): Record<string, number | undefined> {
  const seen = new Set<string>();
  let cur: string | undefined;
  let promptChain: string | undefined;
  let counting = false;
  let rules: number | undefined = 0;
  for (const l of lines) {
    const h = /^Chain (\S+) \(/.exec(l);
    if (h) { counting = !seen.has(h[1]); seen.add(h[1]); cur = h[1]; continue; }
    if (l.trim() === '' || PROMPTISH.test(l)) { cur = undefined; promptChain = /^\$\s+\S+\s+([A-Z][A-Z0-9_-]*)\b/.exec(l)?.[1]; continue; }
    if (/^\s*(?:num\s+)?(?:pkts\s+bytes\s+)?target\s+prot/.test(l)) continue;
    if (cur === undefined) {
      rules = undefined;
      if (promptChain) seen.add(promptChain);
    } else if (counting && rules !== undefined) rules++;
  }
  return { chains: seen.size, rules };
}

/** kubectl: rows per table, a table being a NAME header and the non-blank, non-prompt lines under it. */
function kubectlTables(lines: string[]): number[] {
  const out: number[] = [];
  let open = false;
  for (const l of lines) {
    if (/^(?:NAMESPACE\s+)?NAME\s+[A-Z]/.test(l)) { out.push(0); open = true; continue; }
    if (l.trim() === '' || PROMPTISH.test(l)) { open = false; continue; }
    if (open) out[out.length - 1]++;
  }
  return out;
}

/** ipset: the lines under each `Members:` line, up to a blank line or a prompt. */
function ipsetMembers(lines: string[]): number {
  let open = false;
  let n = 0;
  for (const l of lines) {
    if (/^Members:\s*$/.test(l)) { open = true; continue; }
    if (l.trim() === '' || PROMPTISH.test(l) || /^Name: /.test(l)) { open = false; continue; }
    if (open) n++;
  }
  return n;
}

/** Counts taken with line filters, by format, compared with the summary's fields of the same name. */
function independentCounts(format: FormatName, text: string): Record<string, unknown> {
  const lines = text.split(/\r?\n/);
  switch (format) {
    case 'kubernetes': return { endpointSlices: count(lines, /^kind:\s*EndpointSlice\s*$/), pods: count(lines, /^kind:\s*Pod\s*$/) };
    case 'iptables-save': return { chains: count(lines, /^:/) - count(lines, /^-X /), rules: count(lines, /^-A /) };
    case 'iptables-S': return { chains: count(lines, /^-[PN] /), rules: count(lines, /^-A /) };
    case 'iptables-list': { const c = listingCounts(lines); return c.rules === undefined ? { chains: c.chains } : c; }
    case 'ip-route': return { routes: count(lines, /^(?:default|blackhole|unreachable|prohibit|throw|local|broadcast|\d+\.\d+\.\d+\.\d+)[\s/]/) };
    case 'route-n': return { routes: count(lines, /^(?:default|\d+\.\d+\.\d+\.\d+)\s+(?:\*|\d+\.\d+\.\d+\.\d+)\s+\d+\.\d+\.\d+\.\d+\s+[UGH!RDM]+\s/) };
    case 'ip-rule': return { rules: count(lines, /^\d+:\s/) };
    case 'ip-addr': {
      const brief = lines.filter((l) => /^\S+\s+(?:UP|DOWN|UNKNOWN)\s+\d/.test(l));
      return { interfaces: count(lines, /^\d+: \S+: </) + brief.length, addresses: count(lines, /^\s+inet \d/) + brief.reduce((n, l) => n + (l.match(/\s\d+\.\d+\.\d+\.\d+\/\d+/g) ?? []).length, 0) };
    }
    case 'ifconfig': return { interfaces: count(lines, /Link encap:|^\S+: flags=\d+</), addresses: count(lines, /^\s*inet (?:addr:)?\d/) };
    case 'resolv-conf': return {
      nameservers: lines.filter((l) => /^nameserver\s/.test(l)).slice(0, 3).map((l) => l.split(/\s+/)[1]),
      ndots: Number(/ndots:(\d+)/.exec(text)?.[1] ?? 1),
    };
    case 'kubectl': return { rows: kubectlTables(lines) };
    case 'ipvsadm': return { services: count(lines, /^(?:TCP|UDP|SCTP|FWM)\s+\d/), realServers: count(lines, /^\s+->\s+\d/) };
    // The corpus's nftables files are `nft -f` input (one `add …` command a line); none deletes or flushes.
    case 'nft-ruleset': return { tables: count(lines, /^add table /), chains: count(lines, /^add chain /), rules: count(lines, /^add rule /), sets: count(lines, /^add (?:set|map) /), baseChains: count(lines, /^add chain .* hook /), elements: count(lines, /^add element /) };
    case 'ipset': return { sets: count(lines, /^Name: \S/), members: ipsetMembers(lines) };
    case 'corefile': return { servers: count(lines, /^\s*[\w.-]*:\d+\s*\{\s*$/) };
    default: return {};
  }
}

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir).sort().flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n), `${prefix}${n}/`) : [`${prefix}${n}`]));
}

void test('corpus: every file is either an input with an expected format or explicitly skipped', () => {
  const files = walk(CORPUS);
  assert.ok(files.length > 80, `corpus at ${CORPUS} has ${files.length} files`);
  assert.deepEqual(files.filter((f) => !NOT_INPUT.has(f) && !(f in EXPECTED)), []);
  assert.deepEqual(Object.keys(EXPECTED).filter((f) => !files.includes(f)), []);
});

for (const [file, format] of Object.entries(EXPECTED)) {
  void test(`corpus: ${file}`, () => {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    assert.equal(detectFormat(text), format);
    const r = parseAs('auto', text);
    assert.equal(r.format, format);
    assert.deepEqual(r.issues.filter((i) => i.severity === 'error').map((i) => `${i.code}@${i.span.line}:${i.span.column}`), []);
    const codes = new Set(r.issues.map((i) => i.code));
    for (const c of MUST_RAISE[file] ?? []) assert.ok(codes.has(c), `${file} must raise ${c}`);
    const expected = independentCounts(format, text);
    const summary = format === 'kubectl' ? { rows: (r.summary.tables as { rows: number }[]).map((t) => t.rows) } : r.summary;
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(summary[k], v, `${k} of ${file}`);
  });
}
