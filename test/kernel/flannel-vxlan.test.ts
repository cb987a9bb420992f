// Flannel VXLAN between two nodes (flannel-lab.ts), healthy and broken, the
// kernel against the simulator on the kernel's own dumps (`ip -d addr`, `ip
// neigh`, `bridge fdb`):
//   healthy: pod → pod over the tunnel (UDP and TCP), node → remote pod leaves
//     with flannel.1's address (PODCIDR.0) as source;
//   no fdb entry / wrong VNI / wrong port / UDP 8472 dropped on the receiver: silence;
//   no neighbour entry: the node ARPs into the tunnel, TCP gets EHOSTUNREACH after ~3 s;
//   pod MTU 1500 over a 1450 overlay: a 1500-byte datagram with DF is refused
//     at the sender's node (ICMP fragmentation needed back to the pod, whose socket
//     reports EMSGSIZE), a small one passes.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, SILENCE_MS, kernelUnavailable, relaxErrorCost, restoreErrorCost, type ProbeResult } from './netns';
import { buildFlannelLab, writeFlannelTopology, type FlannelFaults } from './flannel-lab';
import { simulate, type WrittenTopology } from './topology';
import { assertAgrees, describeSim } from './compare';
import type { TraceQuery, TraceResult } from '../../src/core/sim/types';

const skip = kernelUnavailable();
const topos: WrittenTopology[] = [];

interface Run {
  probes: ProbeResult[];
  topo: WrittenTopology;
  icmp: Record<string, Record<string, number>>;
}

/** Builds the lab with `faults`, probes once from `from` (namespace) to `to`, dumps, and tears down. */
async function runLab(faults: FlannelFaults, from: string, proto: 'udp' | 'tcp', to: string, opts: { count?: number; timeoutMs?: number; size?: number } = {}): Promise<Run> {
  const lab = new Lab();
  try {
    buildFlannelLab(lab, faults);
    await lab.serve('p1', 'default/pod-1', [8080]);
    await lab.serve('n1', 'k8s-node-1', [9090]);
    const probes = await lab.send(from, proto, to, to === '10.240.0.5' ? 9090 : 8080, opts.count ?? 3, opts.timeoutMs ?? SILENCE_MS * 4, opts.size);
    const icmp = Object.fromEntries(['n0', 'n1', 'p0'].map((n) => [n, lab.icmpCounters(n)]));
    const topo = writeFlannelTopology(lab);
    topos.push(topo);
    return { probes, topo, icmp };
  } finally {
    lab.destroy();
  }
}

function sim(r: Run, q: TraceQuery): TraceResult {
  const { result, issues } = simulate(r.topo, q);
  assert.deepEqual(issues.filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.file}:${i.span.line} ${i.message}`), []);
  return result;
}

const kinds = (rs: ProbeResult[]) => rs.map((r) => r.kind);
const hopKinds = (o: TraceResult['outcomes'][number]) => o.hops.map((h) => h.kind);

void describe('kernel conformance: flannel VXLAN', { skip }, () => {
  after(() => { for (const t of topos) t.remove(); });

  void describe('healthy: pod to pod across the tunnel', () => {
    const q = { from: 'default/pod-0', to: '10.244.1.2', port: 8080 } as const;
    let udp: Run;
    let tcp: Run;
    void it('kernel delivers UDP and TCP; the simulator agrees, with an encap and a decap hop on the way', async () => {
      udp = await runLab({}, 'p0', 'udp', q.to, { timeoutMs: 2000 });
      tcp = await runLab({}, 'p0', 'tcp', q.to, { timeoutMs: 2000 });
      assert.deepEqual(kinds(udp.probes), ['reply', 'reply', 'reply']);
      const ru = sim(udp, { ...q, protocol: 'udp' });
      assertAgrees(udp.probes, ru, 'udp');
      assertAgrees(tcp.probes, sim(tcp, { ...q, protocol: 'tcp' }), 'tcp');
      const o = ru.outcomes[0];
      const k = hopKinds(o);
      assert.ok(k.indexOf('encap') >= 0 && k.indexOf('decap') > k.indexOf('encap'), describeSim(ru));
      const encap = o.hops.find((h) => h.kind === 'encap')!;
      assert.equal(encap.host, 'k8s-node-0');
      assert.match(encap.text, /^encapsulated in VXLAN 1 to 10\.240\.0\.5:8472 \(flannel\.1 fdb line \d+\)/);
      assert.deepEqual(encap.outer, { src: '10.240.0.4', dst: '10.240.0.5', protocol: 'udp', port: 8472 });
      assert.equal(o.hops.find((h) => h.kind === 'decap')?.host, 'k8s-node-1');
      assert.equal(o.reply?.hops.filter((h) => h.kind === 'encap').length, 1, 'the reply is tunnelled back too');
    });
  });

  void describe('node to a remote pod', () => {
    void it('leaves with flannel.1\'s address (PODCIDR.0) as source, in the kernel and the simulator', async () => {
      const r = await runLab({}, 'n0', 'udp', '10.244.1.2', { timeoutMs: 2000 });
      assert.deepEqual(r.probes.map((p) => p.answer?.peer), ['10.244.0.0', '10.244.0.0', '10.244.0.0']);
      const res = sim(r, { from: 'k8s-node-0', to: '10.244.1.2', protocol: 'udp', port: 8080 });
      assertAgrees(r.probes, res, 'udp');
      assert.equal(res.source.ip, '10.244.0.0');
    });
  });

  const silent: [string, FlannelFaults, string][] = [
    ['no fdb entry for the remote VTEP', { noFdb: true }, 'k8s-node-0'],
    ['a different VNI on the receiver', { n1Vni: 2 }, 'k8s-node-1'],
    ['a different port on the receiver', { n1Port: 4789 }, 'k8s-node-1'],
    ['the receiver drops UDP 8472', { n1DropsVxlan: true }, 'k8s-node-1'],
  ];
  for (const [name, faults, at] of silent) {
    void describe(`broken: ${name}`, () => {
      void it(`kernel: silence (UDP and TCP); simulator: dropped at ${at}`, async () => {
        const udp = await runLab(faults, 'p0', 'udp', '10.244.1.2');
        const tcp = await runLab(faults, 'p0', 'tcp', '10.244.1.2', { timeoutMs: 1500 });
        assert.deepEqual(kinds(udp.probes), ['timeout', 'timeout', 'timeout']);
        assert.deepEqual(kinds(tcp.probes), ['timeout', 'timeout', 'timeout']);
        const ru = sim(udp, { from: 'default/pod-0', to: '10.244.1.2', protocol: 'udp', port: 8080 });
        assertAgrees(udp.probes, ru, 'udp');
        assertAgrees(tcp.probes, sim(tcp, { from: 'default/pod-0', to: '10.244.1.2', protocol: 'tcp', port: 8080 }), 'tcp');
        assert.deepEqual(ru.outcomes.map((o) => [o.disposition, o.at]), [['dropped', at]], describeSim(ru));
      });
    });
  }

  void describe('broken: no neighbour entry for the remote VTEP', () => {
    void it('kernel: TCP gets EHOSTUNREACH after about 3 s; simulator: no-route at k8s-node-0, the error reaches the pod', async () => {
      const tcp = await runLab({ noNeighbour: true }, 'p0', 'tcp', '10.244.1.2', { count: 1, timeoutMs: 8000 });
      assert.deepEqual(tcp.probes.map((p) => p.code), ['EHOSTUNREACH']);
      const res = sim(tcp, { from: 'default/pod-0', to: '10.244.1.2', protocol: 'tcp', port: 8080 });
      assertAgrees(tcp.probes, res, 'tcp');
      assert.deepEqual(res.outcomes.map((o) => [o.disposition, o.at]), [['no-route', 'k8s-node-0']]);
    });
  });

  void describe('pod MTU 1500 over the 1450 overlay', () => {
    void it('kernel: a 1500-byte datagram is refused at k8s-node-0 (ICMP fragmentation needed to the pod), a 1400-byte one arrives; the simulator agrees', async () => {
      relaxErrorCost();
      try {
        const big = await runLab({ podMtu: 1500 }, 'p0', 'udp', '10.244.1.2', { count: 1, size: 1500 });
        const small = await runLab({ podMtu: 1500 }, 'p0', 'udp', '10.244.1.2', { count: 1, size: 1400, timeoutMs: 2000 });
        assert.deepEqual(big.probes.map((p) => `${p.kind} ${p.code}`), ['too-big EMSGSIZE']);
        assert.equal(big.icmp.n0.OutDestUnreachs, 1, 'k8s-node-0 sent the fragmentation-needed');
        assert.equal(big.icmp.p0.InDestUnreachs, 1, 'the pod received it');
        assert.deepEqual(kinds(small.probes), ['reply']);
        const rb = sim(big, { from: 'default/pod-0', to: '10.244.1.2', protocol: 'udp', port: 8080, size: 1500 });
        assertAgrees(big.probes, rb, 'udp');
        assert.deepEqual(rb.outcomes.map((o) => [o.disposition, o.at, o.mtu, o.reply?.disposition, o.reply?.at]), [['too-big', 'k8s-node-0', 1450, 'delivered', 'default/pod-0']]);
        assertAgrees(small.probes, sim(small, { from: 'default/pod-0', to: '10.244.1.2', protocol: 'udp', port: 8080, size: 1400 }), 'udp');
      } finally {
        restoreErrorCost();
      }
    });
  });
});
