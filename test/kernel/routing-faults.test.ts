// Scenarios (b), (c), (i): routing faults on the path between two pods on
// different nodes of the miniature seed.
//   (b) the gateway lacks the route to node 1's pod CIDR (a missing cloud route):
//       the kernel answers with ICMP net unreachable; the simulator must say
//       no-route at the gateway;
//   (c) the gateway has a blackhole route for it: silence; simulator: blackhole;
//   (i) the forward path works but node 1 blackholes the way back: UDP is
//       received (the receiver logs it) yet no reply comes, TCP times out;
//       simulator: delivered forward, reply blackhole at node 1, connection timeout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, SILENCE_MS, REPLY_WAIT_MS, kernelUnavailable, relaxErrorCost, restoreErrorCost, type ProbeResult, type Server } from './netns';
import { buildSeedLab, type SeedLab } from './seed-lab';
import { writeTopology, simulate, type WrittenTopology } from './topology';
import { assertAgrees, probeKey } from './compare';

const skip = kernelUnavailable();
const WEB = { from: 'default/ubuntu', to: '10.244.1.6', port: 8080 } as const;

/** Builds the seed, applies a fault, probes ubuntu → web with TCP and (when silence is expected) UDP, dumps, tears down. */
async function observe(fault: (seed: SeedLab) => void, expectSilence: boolean, opts: { omitRouteToNode1?: boolean } = {}): Promise<{ tcp: ProbeResult[]; udp: ProbeResult[]; web: Server; topo: WrittenTopology; gwUnreachables: number }> {
  const lab = new Lab();
  try {
    const seed = buildSeedLab(lab, opts);
    fault(seed);
    const web = await lab.serve('pod-web', 'default/web', [WEB.port]);
    const wait = expectSilence ? SILENCE_MS : REPLY_WAIT_MS;
    const tcp = await lab.send('pod-ubuntu', 'tcp', WEB.to, WEB.port, 3, wait);
    const udp = expectSilence ? await lab.send('pod-ubuntu', 'udp', WEB.to, WEB.port, 3, wait) : [];
    return { tcp, udp, web, topo: writeTopology(seed), gwUnreachables: lab.icmpCounters(seed.router.ns).OutDestUnreachs };
  } finally {
    lab.destroy();
  }
}

void describe('kernel conformance: routing faults between nodes', { skip }, () => {
  const topos: WrittenTopology[] = [];
  before(() => relaxErrorCost());
  after(() => { restoreErrorCost(); for (const t of topos) t.remove(); });

  void describe('(b) gateway without a route to the pod CIDR', () => {
    let obs: Awaited<ReturnType<typeof observe>>;
    before(async () => { obs = await observe(() => {}, false, { omitRouteToNode1: true }); topos.push(obs.topo); });

    void it('kernel: TCP connect fails at once with ENETUNREACH (ICMP net unreachable from the gateway)', () => {
      assert.deepEqual(obs.tcp.map((r) => r.code), ['ENETUNREACH', 'ENETUNREACH', 'ENETUNREACH']);
      assert.equal(obs.gwUnreachables, 3);
      assert.equal(obs.web.log.length, 0);
    });

    void it('simulator matches the kernel: no-route at the gateway', () => {
      const { result } = simulate(obs.topo, { ...WEB, protocol: 'tcp' });
      assertAgrees(obs.tcp, result, 'tcp');
      assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [['no-route', 'azure-gateway']]);
    });
  });

  void describe('(c) blackhole route at the gateway', () => {
    let obs: Awaited<ReturnType<typeof observe>>;
    before(async () => {
      obs = await observe((s) => {
        s.lab.delRoute(s.router.ns, ['10.244.1.0/24']);
        s.lab.route(s.router.ns, ['blackhole', '10.244.1.0/24']);
      }, true);
      topos.push(obs.topo);
    });

    void it('kernel: silence for TCP and UDP, nothing received', () => {
      assert.deepEqual([...obs.tcp, ...obs.udp].map(probeKey), Array(6).fill('timeout'));
      assert.equal(obs.gwUnreachables, 0, 'a blackhole sends no ICMP');
      assert.equal(obs.web.log.length, 0);
    });

    void it('simulator matches the kernel: blackhole at the gateway', () => {
      const { result } = simulate(obs.topo, { ...WEB, protocol: 'tcp' });
      assertAgrees(obs.tcp, result, 'tcp');
      assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [['blackhole', 'azure-gateway']]);
    });
  });

  void describe('(i) reply path blackholed at the destination node', () => {
    let obs: Awaited<ReturnType<typeof observe>>;
    before(async () => {
      obs = await observe((s) => s.lab.route(s.nodes[1].ns, ['blackhole', '10.244.0.0/24']), true);
      topos.push(obs.topo);
    });

    void it('kernel: the receiver gets the UDP datagrams from the original source, the sender hears nothing, TCP times out', () => {
      assert.deepEqual(obs.web.log.filter((r) => r.proto === 'udp').map((r) => r.peer), ['10.244.0.6', '10.244.0.6', '10.244.0.6']);
      assert.deepEqual([...obs.tcp, ...obs.udp].map(probeKey), Array(6).fill('timeout'));
    });

    void it('simulator matches the kernel: delivered forward, reply blackholed at k8s-agent-1, connection timeout', () => {
      for (const protocol of ['tcp', 'udp'] as const) {
        const { result } = simulate(obs.topo, { ...WEB, protocol });
        assertAgrees(protocol === 'tcp' ? obs.tcp : obs.udp, result, protocol);
        assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.delivered?.pod, o.seenSource?.ip, o.reply?.disposition, o.reply?.at]),
          [['delivered', 'default/web', '10.244.0.6', 'blackhole', 'k8s-agent-1']], protocol);
      }
      const { result } = simulate(obs.topo, { ...WEB, protocol: 'tcp' });
      assert.equal(result.outcomes[0].connection, 'timeout');
    });
  });
});
