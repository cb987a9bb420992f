// Scenarios (d) and (e): netfilter verdicts on the way.
//   (d) node 1's filter FORWARD chain DROPs one port, REJECTs another (default
//       icmp-port-unreachable) and a third with tcp-reset; the rule counters
//       confirm where the kernel stopped the packets;
//   (e) a Service with no endpoints: kube-proxy's REJECT in filter
//       KUBE-SERVICES, met from a pod (FORWARD) and from the node itself (OUTPUT).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, REPLY_WAIT_MS, SILENCE_MS, kernelUnavailable, type ProbeResult } from './netns';
import { buildSeedLab, kubeDnsService, labService } from './seed-lab';
import { writeTopology, simulate, type WrittenTopology } from './topology';
import { assertAgrees, probeKey } from './compare';

const skip = kernelUnavailable();

void describe('kernel conformance: netfilter verdicts', { skip }, () => {
  const topos: WrittenTopology[] = [];
  after(() => { for (const t of topos) t.remove(); });

  void describe('(d) DROP and REJECT in FORWARD on the receiving node', () => {
    const ports = { drop: 8081, reject: 8082, reset: 8083 } as const;
    const seen: Partial<Record<keyof typeof ports, ProbeResult[]>> = {};
    let udpReject: ProbeResult[] = [];
    let counters: { packets: number; rule: string }[] = [];
    let topo: WrittenTopology;

    before(async () => {
      const lab = new Lab();
      try {
        const seed = buildSeedLab(lab);
        const n1 = seed.nodes[1].ns;
        lab.exec(n1, ['iptables', '-I', 'FORWARD', '-d', '10.244.1.6/32', '-p', 'tcp', '--dport', String(ports.drop), '-j', 'DROP']);
        lab.exec(n1, ['iptables', '-I', 'FORWARD', '-d', '10.244.1.6/32', '-p', 'tcp', '--dport', String(ports.reject), '-j', 'REJECT']);
        lab.exec(n1, ['iptables', '-I', 'FORWARD', '-d', '10.244.1.6/32', '-p', 'udp', '--dport', String(ports.reject), '-j', 'REJECT']);
        lab.exec(n1, ['iptables', '-I', 'FORWARD', '-d', '10.244.1.6/32', '-p', 'tcp', '--dport', String(ports.reset), '-j', 'REJECT', '--reject-with', 'tcp-reset']);
        await lab.serve('pod-web', 'default/web', Object.values(ports));
        for (const [k, port] of Object.entries(ports) as [keyof typeof ports, number][]) seen[k] = await lab.send('pod-ubuntu', 'tcp', '10.244.1.6', port, 3, k === 'drop' ? SILENCE_MS : REPLY_WAIT_MS);
        udpReject = await lab.send('pod-ubuntu', 'udp', '10.244.1.6', ports.reject, 3);
        counters = lab.counters(n1, 'filter', 'FORWARD');
        topo = writeTopology(seed);
        topos.push(topo);
      } finally {
        lab.destroy();
      }
    });

    void it('kernel: DROP is silence, REJECT and REJECT --reject-with tcp-reset refuse at once; each rule counted its packets', () => {
      assert.deepEqual(seen.drop?.map(probeKey), ['timeout', 'timeout', 'timeout']);
      assert.deepEqual(seen.reject?.map(probeKey), ['refused', 'refused', 'refused']);
      assert.deepEqual(seen.reset?.map(probeKey), ['refused', 'refused', 'refused']);
      // ICMP port unreachable is a hard error: a connected UDP socket hears it too.
      assert.deepEqual(udpReject.map(probeKey), ['refused', 'refused', 'refused']);
      for (const port of Object.values(ports)) {
        const rule = counters.find((c) => c.rule.includes(`-p tcp -m tcp --dport ${port}`));
        assert.ok(rule && rule.packets >= 3, `FORWARD rule for ${port} on k8s-agent-1 counted ${rule?.packets}`);
      }
    });

    void it('simulator matches the kernel: rejected at k8s-agent-1 (udp)', () => {
      const { result } = simulate(topo, { from: 'default/ubuntu', to: '10.244.1.6', protocol: 'udp', port: ports.reject });
      assertAgrees(udpReject, result, 'udp');
      assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [['rejected', 'k8s-agent-1']]);
    });

    for (const [k, disposition] of [['drop', 'dropped'], ['reject', 'rejected'], ['reset', 'rejected']] as const) {
      void it(`simulator matches the kernel: ${disposition} at k8s-agent-1 (port ${ports[k]})`, () => {
        const { result } = simulate(topo, { from: 'default/ubuntu', to: '10.244.1.6', protocol: 'tcp', port: ports[k] });
        assertAgrees(seen[k] ?? [], result, 'tcp');
        assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [[disposition, 'k8s-agent-1']]);
      });
    }
  });

  void describe('(e) a Service with no endpoints', () => {
    let fromPod: ProbeResult[];
    let fromNode: ProbeResult[];
    let topo: WrittenTopology;

    before(async () => {
      const lab = new Lab();
      try {
        const seed = buildSeedLab(lab, { services: (pods) => [kubeDnsService(pods), labService('default/empty', '10.0.0.20', 80, 'tcp', [], 8080)] });
        fromPod = await lab.send('pod-ubuntu', 'tcp', '10.0.0.20', 80, 3);
        fromNode = await lab.send(seed.nodes[0].ns, 'tcp', '10.0.0.20', 80, 3);
        topo = writeTopology(seed);
        topos.push(topo);
      } finally {
        lab.destroy();
      }
    });

    void it('kernel: refused at once from a pod and from the node', () => {
      assert.deepEqual([...fromPod, ...fromNode].map(probeKey), Array(6).fill('refused'));
    });

    for (const [from, obs] of [['default/ubuntu', () => fromPod], ['k8s-agent-0', () => fromNode]] as const) {
      void it(`simulator matches the kernel: rejected on k8s-agent-0 (from ${from})`, () => {
        const { result } = simulate(topo, { from, to: '10.0.0.20', protocol: 'tcp', port: 80 });
        assertAgrees(obs(), result, 'tcp');
        assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [['rejected', 'k8s-agent-0']]);
      });
    }
  });
});
