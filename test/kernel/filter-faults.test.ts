// Scenarios (d) and (e): netfilter verdicts on the way, in one lab.
//   (d) node 1's filter FORWARD chain DROPs one port, REJECTs another (default
//       icmp-port-unreachable, for TCP and UDP) and a third with tcp-reset; the
//       rule counters confirm where the kernel stopped the packets;
//   (e) a Service with no endpoints: kube-proxy's REJECT in filter
//       KUBE-SERVICES, met from a pod (FORWARD) and from the node itself (OUTPUT).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, REPLY_WAIT_MS, SILENCE_MS, kernelUnavailable, type ProbeResult } from './netns';
import { buildSeedLab, kubeDnsService, labService } from './seed-lab';
import { writeTopology, simulate, type WrittenTopology } from './topology';
import { assertAgrees, probeKey } from './compare';

const skip = kernelUnavailable();
const PORTS = { drop: 8081, reject: 8082, reset: 8083 } as const;

void describe('kernel conformance: netfilter verdicts', { skip }, () => {
  const seen: Partial<Record<keyof typeof PORTS, ProbeResult[]>> = {};
  let udpReject: ProbeResult[] = [];
  let emptyFromPod: ProbeResult[] = [];
  let emptyFromNode: ProbeResult[] = [];
  let counters: { packets: number; rule: string }[] = [];
  let noEndpointRule: { packets: number; rule: string } | undefined;
  let topo: WrittenTopology;

  before(async () => {
    const lab = new Lab();
    try {
      const seed = buildSeedLab(lab, { services: (pods) => [kubeDnsService(pods), labService('default/empty', '10.0.0.20', 80, 'tcp', [], 8080)] });
      const n1 = seed.nodes[1].ns;
      const forward = (...spec: string[]) => lab.exec(n1, ['iptables', '-I', 'FORWARD', '-d', '10.244.1.6/32', ...spec]);
      forward('-p', 'tcp', '--dport', String(PORTS.drop), '-j', 'DROP');
      forward('-p', 'tcp', '--dport', String(PORTS.reject), '-j', 'REJECT');
      forward('-p', 'udp', '--dport', String(PORTS.reject), '-j', 'REJECT');
      forward('-p', 'tcp', '--dport', String(PORTS.reset), '-j', 'REJECT', '--reject-with', 'tcp-reset');
      await lab.serve('pod-web', 'default/web', Object.values(PORTS));
      for (const [k, port] of Object.entries(PORTS) as [keyof typeof PORTS, number][]) {
        seen[k] = await lab.send('pod-ubuntu', 'tcp', '10.244.1.6', port, 3, k === 'drop' ? SILENCE_MS : REPLY_WAIT_MS);
      }
      udpReject = await lab.send('pod-ubuntu', 'udp', '10.244.1.6', PORTS.reject, 3);
      counters = lab.counters(n1, 'filter', 'FORWARD');
      emptyFromPod = await lab.send('pod-ubuntu', 'tcp', '10.0.0.20', 80, 3);
      emptyFromNode = await lab.send(seed.nodes[0].ns, 'tcp', '10.0.0.20', 80, 3);
      noEndpointRule = lab.counters(seed.nodes[0].ns, 'filter', 'KUBE-SERVICES').find((c) => c.rule.includes('has no endpoints'));
      topo = writeTopology(seed);
    } finally {
      lab.destroy();
    }
  });
  after(() => topo?.remove());

  void it('kernel (d): DROP is silence, REJECT and REJECT --reject-with tcp-reset refuse at once; each rule counted its packets', () => {
    assert.deepEqual(seen.drop?.map(probeKey), ['timeout', 'timeout', 'timeout']);
    assert.deepEqual(seen.reject?.map(probeKey), ['refused', 'refused', 'refused']);
    assert.deepEqual(seen.reset?.map(probeKey), ['refused', 'refused', 'refused']);
    // ICMP port unreachable is a hard error: a connected UDP socket hears it too.
    assert.deepEqual(udpReject.map(probeKey), ['refused', 'refused', 'refused']);
    for (const port of Object.values(PORTS)) {
      const rule = counters.find((c) => c.rule.includes(`-p tcp -m tcp --dport ${port}`));
      assert.ok(rule && rule.packets >= 3, `FORWARD rule for ${port} on k8s-agent-1 counted ${rule?.packets}`);
    }
  });

  void it('kernel (e): a Service without endpoints refuses at once, from a pod and from the node', () => {
    assert.deepEqual([...emptyFromPod, ...emptyFromNode].map(probeKey), Array(6).fill('refused'));
    assert.equal(noEndpointRule?.packets, 6, 'k8s-agent-0\'s REJECT in filter KUBE-SERVICES answered all six');
  });

  void it('simulator matches the kernel (d): rejected at k8s-agent-1 (udp)', () => {
    const { result } = simulate(topo, { from: 'default/ubuntu', to: '10.244.1.6', protocol: 'udp', port: PORTS.reject });
    assertAgrees(udpReject, result, 'udp');
    assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [['rejected', 'k8s-agent-1']]);
  });

  for (const [k, disposition] of [['drop', 'dropped'], ['reject', 'rejected'], ['reset', 'rejected']] as const) {
    void it(`simulator matches the kernel (d): ${disposition} at k8s-agent-1 (port ${PORTS[k]})`, () => {
      const { result } = simulate(topo, { from: 'default/ubuntu', to: '10.244.1.6', protocol: 'tcp', port: PORTS[k] });
      assertAgrees(seen[k] ?? [], result, 'tcp');
      assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [[disposition, 'k8s-agent-1']]);
    });
  }

  for (const [from, obs] of [['default/ubuntu', () => emptyFromPod], ['k8s-agent-0', () => emptyFromNode]] as const) {
    void it(`simulator matches the kernel (e): rejected on k8s-agent-0 (from ${from})`, () => {
      const { result } = simulate(topo, { from, to: '10.0.0.20', protocol: 'tcp', port: 80 });
      assertAgrees(obs(), result, 'tcp');
      assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [['rejected', 'k8s-agent-0']]);
    });
  }
});
