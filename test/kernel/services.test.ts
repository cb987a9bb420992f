// Scenarios (f), (g), (h): Service NAT as the kernel does it.
//   (f) hairpin: a pod reaching itself through its own Service (br_netfilter on,
//       bridge-nf-call-iptables=1): with hairpin on the cbr0 port the packet
//       comes back masqueraded; with it off the bridge will not send the frame
//       back out the port it came in on;
//   (g) a node reaching the kube-dns ClusterIP: KUBE-MARK-MASQ (source outside
//       the cluster CIDR) then MASQUERADE, so each endpoint sees the address of
//       the node's interface that leads to it;
//   (h) a non-uniform statistic cascade (0.2, then 0.5, then the rest) over
//       three endpoints: frequencies against the simulator's probabilities.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, REPLY_WAIT_MS, SILENCE_MS, kernelUnavailable, type ProbeResult } from './netns';
import { buildSeedLab, kubeDnsService, labService, pod, serveAllPods, type SeedLab } from './seed-lab';
import { shares } from './kube-proxy-rules';
import { writeTopology, simulate, type WrittenTopology } from './topology';
import { assertAgrees, assertBinomial, probeKey, tally } from './compare';

const skip = kernelUnavailable();

/** Builds a seed lab, runs `probe` against it, dumps, tears down. */
async function observe<T>(opts: Parameters<typeof buildSeedLab>[1], probe: (seed: SeedLab) => Promise<T>): Promise<{ seen: T; topo: WrittenTopology }> {
  const lab = new Lab();
  try {
    const seed = buildSeedLab(lab, opts);
    const seen = await probe(seed);
    return { seen, topo: writeTopology(seed) };
  } finally {
    lab.destroy();
  }
}

void describe('kernel conformance: Service NAT', { skip }, () => {
  const topos: WrittenTopology[] = [];
  after(() => { for (const t of topos) t.remove(); });

  for (const hairpin of [true, false]) {
    void describe(`(f) a pod reaching itself through its Service, hairpin ${hairpin ? 'on' : 'off'}`, () => {
      let obs: { seen: ProbeResult[]; topo: WrittenTopology };
      const query = { from: 'default/ubuntu', to: '10.0.0.30', protocol: 'tcp', port: 80 } as const;
      before(async () => {
        obs = await observe({ hairpin, services: (pods) => [kubeDnsService(pods), labService('default/ubuntu-svc', '10.0.0.30', 80, 'tcp', [pod(pods, 'default/ubuntu')], 8080)] }, async (seed) => {
          await seed.lab.serve('pod-ubuntu', 'default/ubuntu', [8080]);
          return seed.lab.send('pod-ubuntu', 'tcp', query.to, query.port, 3, hairpin ? REPLY_WAIT_MS : SILENCE_MS);
        });
        topos.push(obs.topo);
      });

      void it(hairpin
        ? 'kernel: delivered to itself, seen from cbr0\'s address (hairpin masquerade), reply from the ClusterIP'
        : 'kernel: silence (the bridge does not send the frame back out its port)', () => {
        if (hairpin) {
          assert.deepEqual(obs.seen.map(probeKey), Array(3).fill('delivered default/ubuntu from 10.244.0.1'));
          assert.ok(obs.seen.every((r) => r.from === '10.0.0.30'));
        } else {
          assert.deepEqual(obs.seen.map(probeKey), Array(3).fill('timeout'));
        }
      });

      void it('simulator matches the kernel', () => {
        const { result } = simulate(obs.topo, query);
        assertAgrees(obs.seen, result, 'tcp');
        if (!hairpin) assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [['dropped', 'k8s-agent-0']]);
      });
    });
  }

  void describe('(g) a node reaching a ClusterIP is masqueraded', () => {
    let obs: { seen: ProbeResult[]; topo: WrittenTopology };
    const query = { from: 'k8s-agent-0', to: '10.0.0.10', protocol: 'udp', port: 53 } as const;
    before(async () => {
      obs = await observe({}, async (seed) => {
        await serveAllPods(seed, [53]);
        return seed.lab.send(seed.nodes[0].ns, 'udp', query.to, query.port, 100);
      });
      topos.push(obs.topo);
    });

    void it('kernel: the local endpoint sees cbr0\'s address, the remote one the node\'s eth0 address; replies come from the ClusterIP', () => {
      const t = tally(obs.seen.map(probeKey));
      assert.deepEqual([...t.keys()].sort(), ['delivered kube-system/kube-dns-0 from 10.244.0.1', 'delivered kube-system/kube-dns-1 from 10.240.0.4']);
      assertBinomial(t.get('delivered kube-system/kube-dns-0 from 10.244.0.1') ?? 0, obs.seen.length, 0.5, 'local endpoint share');
      assert.ok(obs.seen.every((r) => r.from === '10.0.0.10'), 'conntrack undoes both the DNAT and the MASQUERADE on every reply');
    });

    void it('simulator matches the kernel', () => {
      const { result } = simulate(obs.topo, query);
      assertAgrees(obs.seen, result, 'udp');
    });
  });

  void describe('(h) a non-uniform statistic cascade: 0.2, 0.5, rest', () => {
    let obs: { seen: ProbeResult[]; topo: WrittenTopology };
    const query = { from: 'default/ubuntu', to: '10.0.0.40', protocol: 'udp', port: 80 } as const;
    const ids = ['kube-system/kube-dns-0', 'kube-system/kube-dns-1', 'default/web'];
    before(async () => {
      obs = await observe({ services: (pods) => [kubeDnsService(pods), labService('default/echo', '10.0.0.40', 80, 'udp', ids.map((id) => pod(pods, id)), 8080, [0.2, 0.5])] }, async (seed) => {
        await serveAllPods(seed, [8080]);
        return seed.lab.send('pod-ubuntu', 'udp', query.to, query.port, 240);
      });
      topos.push(obs.topo);
    });

    void it('kernel: the shares are 0.2 / 0.4 / 0.4', () => {
      const t = tally(obs.seen.map(probeKey));
      const expected = shares({ namespace: '', name: '', portName: '', clusterIP: '', port: 0, protocol: 'udp', endpoints: ids.map(() => ({ ip: '', port: 0 })), probabilities: [0.2, 0.5] });
      assert.equal([...t.values()].reduce((a, b) => a + b, 0), 240);
      ids.forEach((id, i) => assertBinomial(t.get(`delivered ${id} from 10.244.0.6`) ?? 0, 240, expected[i], id));
      assert.ok(obs.seen.every((r) => r.from === '10.0.0.40'));
    });

    void it('simulator matches the kernel', () => {
      const { result } = simulate(obs.topo, query);
      assertAgrees(obs.seen, result, 'udp');
    });
  });
});
