// Scenarios (b), (c), (i): routing faults on the path between pods on
// different nodes of the miniature seed.
//   (b) the gateway lacks the route to node 1's pod CIDR (a missing cloud route):
//       the kernel answers with ICMP net unreachable from the gateway; the
//       simulator must say no-route at the gateway;
//   (c) the gateway has a blackhole route for a pod: silence, no ICMP;
//       simulator: blackhole at the gateway;
//   (i) the forward path works but the destination's node blackholes the way
//       back: UDP is received (the receiver logs it) yet no reply comes, TCP
//       times out; simulator: delivered forward, reply blackhole at that node,
//       connection timeout.
// (c) and (i) share a lab: their faults lie on different paths.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, SILENCE_MS, kernelUnavailable, relaxErrorCost, restoreErrorCost, type ProbeResult, type Server } from './netns';
import { buildSeedLab } from './seed-lab';
import { writeTopology, simulate, folderReader, type WrittenTopology } from './topology';
import { loadCluster } from '../../src/core/build/load';
import { lintCluster } from '../../src/core/lint/index';

/** The reachability findings lint makes on a topology dumped from the lab. */
const REACHABILITY = new Set(['unreachable-pod-cidr', 'blackholed-route', 'route-loop', 'asymmetric-route', 'next-hop-unknown', 'next-hop-not-on-link']);
function reachabilityLint(topo: WrittenTopology) {
  return lintCluster(loadCluster(topo.text, 'cluster.netsim.yaml', folderReader(topo.dir))).filter((i) => REACHABILITY.has(i.code));
}
import { assertAgrees, probeKey } from './compare';

const skip = kernelUnavailable();

void describe('kernel conformance: routing faults between nodes', { skip }, () => {
  const topos: WrittenTopology[] = [];
  before(() => relaxErrorCost());
  after(() => { restoreErrorCost(); for (const t of topos) t.remove(); });

  void describe('(b) gateway without a route to the pod CIDR', () => {
    const query = { from: 'default/ubuntu', to: '10.244.1.6', protocol: 'tcp', port: 8080 } as const;
    let tcp: ProbeResult[];
    let web: Server;
    let gwUnreachables: number;
    let topo: WrittenTopology;
    before(async () => {
      const lab = new Lab();
      try {
        const seed = buildSeedLab(lab, { omitRouteToNode1: true });
        web = await lab.serve('pod-web', 'default/web', [8080]);
        tcp = await lab.send('pod-ubuntu', 'tcp', query.to, query.port, 3);
        gwUnreachables = lab.icmpCounters(seed.router.ns).OutDestUnreachs;
        topo = writeTopology(seed);
        topos.push(topo);
      } finally {
        lab.destroy();
      }
    });

    void it('kernel: TCP connect fails at once with ENETUNREACH; the gateway sent the ICMP net unreachables', () => {
      assert.deepEqual(tcp.map((r) => r.code), ['ENETUNREACH', 'ENETUNREACH', 'ENETUNREACH']);
      assert.equal(gwUnreachables, 3);
      assert.equal(web.log.length, 0);
    });

    void it('simulator matches the kernel: no-route at the gateway', () => {
      const { result } = simulate(topo, query);
      assertAgrees(tcp, result, 'tcp');
      assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [['no-route', 'azure-gateway']]);
    });

    void it('lint: one unreachable-pod-cidr towards k8s-agent-1\'s pods, naming the lost replies the other way too', () => {
      const found = reachabilityLint(topo);
      const summary = found.map((i) => `${i.code}: ${i.message}`).join('\n');
      assert.deepEqual(found.map((i) => i.code), ['unreachable-pod-cidr'], summary);
      const [i] = found;
      assert.equal(i.severity, 'error');
      assert.match(i.message, /pods on k8s-agent-1 \(10\.244\.1\.0\/24\)/);
      assert.match(i.message, /azure-gateway has no route/);
      assert.notEqual(i.file, 'cluster.netsim.yaml', 'placed in the gateway\'s route dump');
      // k8s-agent-1's pods reach k8s-agent-0's, but the replies have no way back through the gateway: the same gap.
      assert.match(i.message, /connections from k8s-agent-1's pods to pods on k8s-agent-0.* time out/);
    });
  });

  void describe('(c) blackhole route at the gateway, (i) reply path blackholed at the destination node', () => {
    const blackholed = { from: 'default/ubuntu', to: '10.244.1.2', port: 8080, ns: 'pod-ubuntu' } as const;
    const asymmetric = { from: 'default/web', to: '10.244.0.6', port: 8080, ns: 'pod-web' } as const;
    const seen: Record<string, ProbeResult[]> = {};
    let servers: Server[];
    let gwUnreachables: number;
    let topo: WrittenTopology;
    before(async () => {
      const lab = new Lab();
      try {
        const seed = buildSeedLab(lab);
        lab.route(seed.router.ns, ['blackhole', '10.244.1.2/32']);
        lab.route(seed.nodes[0].ns, ['blackhole', '10.244.1.6/32']);
        servers = [await lab.serve('pod-kube-dns-1', 'kube-system/kube-dns-1', [8080]), await lab.serve('pod-ubuntu', 'default/ubuntu', [8080])];
        for (const [name, q] of [['c', blackholed], ['i', asymmetric]] as const) {
          for (const proto of ['tcp', 'udp'] as const) seen[`${name} ${proto}`] = await lab.send(q.ns, proto, q.to, q.port, 3, SILENCE_MS);
        }
        gwUnreachables = lab.icmpCounters(seed.router.ns).OutDestUnreachs;
        topo = writeTopology(seed);
        topos.push(topo);
      } finally {
        lab.destroy();
      }
    });

    void it('kernel (c): silence for TCP and UDP, nothing received, no ICMP from the gateway', () => {
      assert.deepEqual([...seen['c tcp'], ...seen['c udp']].map(probeKey), Array(6).fill('timeout'));
      assert.equal(servers[0].log.length, 0);
      assert.equal(gwUnreachables, 0, 'a blackhole sends no ICMP');
    });

    void it('kernel (i): the receiver gets the UDP datagrams from the original source, the sender hears nothing, TCP times out', () => {
      assert.deepEqual(servers[1].log.filter((r) => r.proto === 'udp').map((r) => r.peer), ['10.244.1.6', '10.244.1.6', '10.244.1.6']);
      assert.deepEqual([...seen['i tcp'], ...seen['i udp']].map(probeKey), Array(6).fill('timeout'));
    });

    void it('simulator matches the kernel (c): blackhole at the gateway', () => {
      for (const protocol of ['tcp', 'udp'] as const) {
        const { result } = simulate(topo, { ...blackholed, protocol });
        assertAgrees(seen[`c ${protocol}`], result, protocol);
        assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [['blackhole', 'azure-gateway']]);
      }
    });

    void it('simulator matches the kernel (i): delivered forward, reply blackholed at k8s-agent-0, connection timeout', () => {
      for (const protocol of ['tcp', 'udp'] as const) {
        const { result } = simulate(topo, { ...asymmetric, protocol });
        assertAgrees(seen[`i ${protocol}`], result, protocol);
        assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.delivered?.pod, o.seenSource?.ip, o.reply?.disposition, o.reply?.at]),
          [['delivered', 'default/ubuntu', '10.244.1.6', 'blackhole', 'k8s-agent-0']], protocol);
        if (protocol === 'tcp') assert.equal(result.outcomes[0].connection, 'timeout');
      }
    });

    void it('lint: the gateway\'s blackhole and the blackholed reply path, as warnings, and no error', () => {
      const found = reachabilityLint(topo);
      const summary = found.map((i) => `${i.code}: ${i.message}`).join('\n');
      assert.deepEqual([...new Set(found.map((i) => i.code))].sort(), ['asymmetric-route', 'blackholed-route'], summary);
      assert.ok(found.every((i) => i.severity === 'warning'), summary);
      assert.ok(found.some((i) => i.code === 'blackholed-route' && /azure-gateway discards/.test(i.message)), summary);
      assert.ok(found.some((i) => i.code === 'asymmetric-route' && /reply ends blackhole at k8s-agent-0/.test(i.message)), summary);
    });
  });
});
