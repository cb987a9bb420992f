// Scenarios (f), (g), (h): Service NAT as the kernel does it, in one lab.
//   (f) hairpin: a pod reaching itself through its own Service (br_netfilter on,
//       bridge-nf-call-iptables=1). Node 0's cbr0 ports have hairpin on: the
//       packet comes back masqueraded to cbr0's address. Node 1's have it off:
//       the bridge will not send the frame back out the port it came in on;
//   (g) a node reaching the kube-dns ClusterIP: KUBE-MARK-MASQ (source outside
//       the cluster CIDR) then MASQUERADE, so each endpoint sees the address of
//       the node's interface that leads to it;
//   (h) a non-uniform statistic cascade (0.2, then 0.5, then the rest) over
//       three endpoints: frequencies against the simulator's probabilities.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, SILENCE_MS, kernelUnavailable, type ProbeResult } from './netns';
import { buildSeedLab, kubeDnsService, labService, pod, serveAllPods } from './seed-lab';
import { shares } from './kube-proxy-rules';
import { writeTopology, simulate, type WrittenTopology } from './topology';
import { assertAgrees, assertBinomial, probeKey, tally } from './compare';

const skip = kernelUnavailable();

const Q = {
  hairpinOn: { from: 'default/ubuntu', to: '10.0.0.30', protocol: 'tcp', port: 80 },
  hairpinOff: { from: 'default/web', to: '10.0.0.31', protocol: 'tcp', port: 80 },
  fromNode: { from: 'k8s-agent-0', to: '10.0.0.10', protocol: 'udp', port: 53 },
  cascade: { from: 'default/ubuntu', to: '10.0.0.40', protocol: 'udp', port: 80 },
} as const;
const CASCADE = ['kube-system/kube-dns-0', 'kube-system/kube-dns-1', 'default/web'];

void describe('kernel conformance: Service NAT', { skip }, () => {
  const seen: Partial<Record<keyof typeof Q, ProbeResult[]>> = {};
  let topo: WrittenTopology;

  before(async () => {
    const lab = new Lab();
    try {
      const seed = buildSeedLab(lab, {
        hairpin: [true, false],
        services: (pods) => [
          kubeDnsService(pods),
          labService('default/ubuntu-svc', '10.0.0.30', 80, 'tcp', [pod(pods, 'default/ubuntu')], 8080),
          labService('default/web-svc', '10.0.0.31', 80, 'tcp', [pod(pods, 'default/web')], 8080),
          labService('default/echo', '10.0.0.40', 80, 'udp', CASCADE.map((id) => pod(pods, id)), 8080, [0.2, 0.5]),
        ],
      });
      await serveAllPods(seed, [53, 8080]);
      seen.hairpinOn = await lab.send('pod-ubuntu', 'tcp', Q.hairpinOn.to, Q.hairpinOn.port, 3);
      seen.hairpinOff = await lab.send('pod-web', 'tcp', Q.hairpinOff.to, Q.hairpinOff.port, 3, SILENCE_MS);
      seen.fromNode = await lab.send(seed.nodes[0].ns, 'udp', Q.fromNode.to, Q.fromNode.port, 100);
      seen.cascade = await lab.send('pod-ubuntu', 'udp', Q.cascade.to, Q.cascade.port, 240);
      topo = writeTopology(seed);
    } finally {
      lab.destroy();
    }
  });
  after(() => topo?.remove());

  void it('kernel (f): hairpin on, a pod reaches itself through its Service, seen from cbr0\'s address (hairpin masquerade), reply from the ClusterIP', () => {
    assert.deepEqual(seen.hairpinOn?.map(probeKey), Array(3).fill('delivered default/ubuntu from 10.244.0.1'));
    assert.ok(seen.hairpinOn?.every((r) => r.from === '10.0.0.30'));
  });

  void it('kernel (f): hairpin off, silence (the bridge does not send the frame back out its port)', () => {
    assert.deepEqual(seen.hairpinOff?.map(probeKey), Array(3).fill('timeout'));
  });

  void it('kernel (g): from the node, the local endpoint sees cbr0\'s address, the remote one the node\'s eth0 address; replies come from the ClusterIP', () => {
    const t = tally((seen.fromNode ?? []).map(probeKey));
    assert.deepEqual([...t.keys()].sort(), ['delivered kube-system/kube-dns-0 from 10.244.0.1', 'delivered kube-system/kube-dns-1 from 10.240.0.4']);
    assertBinomial(t.get('delivered kube-system/kube-dns-0 from 10.244.0.1') ?? 0, 100, 0.5, 'local endpoint share');
    assert.ok(seen.fromNode?.every((r) => r.from === '10.0.0.10'), 'conntrack undoes both the DNAT and the MASQUERADE on every reply');
  });

  void it('kernel (h): the cascade 0.2, 0.5, rest gives shares 0.2 / 0.4 / 0.4', () => {
    const t = tally((seen.cascade ?? []).map(probeKey));
    const expected = shares({ namespace: '', name: '', portName: '', clusterIP: '', port: 0, protocol: 'udp', endpoints: CASCADE.map(() => ({ ip: '', port: 0 })), probabilities: [0.2, 0.5] });
    assert.equal([...t.values()].reduce((a, b) => a + b, 0), 240);
    CASCADE.forEach((id, i) => assertBinomial(t.get(`delivered ${id} from 10.244.0.6`) ?? 0, 240, expected[i], id));
    assert.ok(seen.cascade?.every((r) => r.from === '10.0.0.40'));
  });

  for (const [k, what] of [['hairpinOn', '(f) hairpin on'], ['hairpinOff', '(f) hairpin off'], ['fromNode', '(g) node → ClusterIP'], ['cascade', '(h) cascade']] as const) {
    void it(`simulator matches the kernel: ${what}`, () => {
      const { result } = simulate(topo, Q[k]);
      assertAgrees(seen[k] ?? [], result, Q[k].protocol);
      if (k === 'hairpinOff') assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [['dropped', 'k8s-agent-1']]);
    });
  }
});
