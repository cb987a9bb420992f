// Scenario (a): the seed cluster in miniature. A pod reaches the kube-dns
// ClusterIP (two endpoints, one per node, `statistic random 0.5`) and a pod on
// the other node through the gateway's route table. The kernel's answers are
// then compared with the simulator's for the same state, read from real dumps
// in three sets of formats: iptables-save/ip route/ip addr; the seed's own
// iptables -L -n -v/route -n/ifconfig; ip route show table all/ip -o addr.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, kernelUnavailable, type ProbeResult } from './netns';
import { buildSeedLab, kubeDnsService, serveAllPods, type SeedLab } from './seed-lab';
import { writeTopology, simulate, type WrittenTopology } from './topology';
import { assertAgrees, assertBinomial, probeKey, tally } from './compare';

const skip = kernelUnavailable();

void describe('kernel conformance: seed cluster in miniature', { skip }, () => {
  let seed: SeedLab;
  let saveTopo: WrittenTopology;
  let listTopo: WrittenTopology;
  let allTopo: WrittenTopology;
  let toDns: ProbeResult[];
  let toDnsTcp: ProbeResult[];
  let toPod: ProbeResult[];

  before(async () => {
    const lab = new Lab();
    try {
      seed = buildSeedLab(lab, { services: (pods) => [kubeDnsService(pods, 'udp'), kubeDnsService(pods, 'tcp')] });
      await serveAllPods(seed, [53, 8080]);
      toDns = await lab.send('pod-ubuntu', 'udp', '10.0.0.10', 53, 120);
      toDnsTcp = await lab.send('pod-ubuntu', 'tcp', '10.0.0.10', 53, 60);
      toPod = await lab.send('pod-ubuntu', 'tcp', '10.244.1.6', 8080, 5);
      saveTopo = writeTopology(seed, { iptables: 'save', routes: 'ip-route' });
      listTopo = writeTopology(seed, { iptables: 'list', routes: 'route-n', interfaces: 'ifconfig' });
      allTopo = writeTopology(seed, { iptables: 'save', routes: 'ip-route-table-all', interfaces: 'ip-o-addr' });
    } finally {
      lab.destroy();
    }
  });
  after(() => { seed?.lab.destroy(); saveTopo?.remove(); listTopo?.remove(); allTopo?.remove(); });

  void it('kernel: pod → ClusterIP udp reaches both kube-dns endpoints about equally, replies come from the ClusterIP', () => {
    const t = tally(toDns.map(probeKey));
    assert.deepEqual([...t.keys()].sort(), ['delivered kube-system/kube-dns-0 from 10.244.0.6', 'delivered kube-system/kube-dns-1 from 10.244.0.6']);
    assertBinomial(t.get('delivered kube-system/kube-dns-0 from 10.244.0.6') ?? 0, toDns.length, 0.5, 'kube-dns-0 share');
    assert.ok(toDns.every((r) => r.from === '10.0.0.10'), 'conntrack undoes the DNAT on the reply');
  });

  void it('kernel: pod → ClusterIP tcp spreads the same way, each connection to one endpoint', () => {
    const t = tally(toDnsTcp.map(probeKey));
    assert.deepEqual([...t.keys()].sort(), ['delivered kube-system/kube-dns-0 from 10.244.0.6', 'delivered kube-system/kube-dns-1 from 10.244.0.6']);
    assertBinomial(t.get('delivered kube-system/kube-dns-0 from 10.244.0.6') ?? 0, toDnsTcp.length, 0.5, 'kube-dns-0 share');
  });

  void it('kernel: pod → pod across nodes is delivered with the original source', () => {
    assert.deepEqual(toPod.map(probeKey), Array(5).fill('delivered default/web from 10.244.0.6'));
    assert.ok(toPod.every((r) => r.from === '10.244.1.6'));
  });

  for (const [format, topo] of [['iptables-save + ip route', () => saveTopo], ['iptables -L -n -v + route -n + ifconfig', () => listTopo], ['ip route show table all + ip -o addr', () => allTopo]] as const) {
    void it(`the kernel's own dumps load without errors or warnings (${format})`, () => {
      const { issues } = simulate(topo(), { from: 'default/ubuntu', to: '10.0.0.10', protocol: 'udp', port: 53 });
      assert.deepEqual(issues.filter((i) => i.severity !== 'info').map((i) => `${i.file}:${i.span.line}:${i.span.column} ${i.code}: ${i.message}`), []);
    });

    void it(`simulator matches the kernel: pod → ClusterIP udp (${format})`, () => {
      const { result } = simulate(topo(), { from: 'default/ubuntu', to: '10.0.0.10', protocol: 'udp', port: 53 });
      assertAgrees(toDns, result, 'udp');
    });

    void it(`simulator matches the kernel: pod → ClusterIP tcp (${format})`, () => {
      const { result } = simulate(topo(), { from: 'default/ubuntu', to: '10.0.0.10', protocol: 'tcp', port: 53 });
      assertAgrees(toDnsTcp, result, 'tcp');
    });

    void it(`simulator matches the kernel: pod → pod across nodes tcp (${format})`, () => {
      const { result } = simulate(topo(), { from: 'default/ubuntu', to: '10.244.1.6', protocol: 'tcp', port: 8080 });
      assertAgrees(toPod, result, 'tcp');
    });
  }
});
