// Traffic crossing the cluster's edge, with a client machine on the node
// network (a topology `hosts:` entry):
//   - NodePort: the client reaches node 0's address on the node port; the
//     `addrtype --dst-type LOCAL` rule sends it to KUBE-NODEPORTS, which marks
//     it for masquerade and picks an endpoint; the local endpoint sees cbr0's
//     address, the one on the other node sees node 0's eth0 address;
//   - outbound SNAT (kubenet's ip-masq rule): a pod reaching the client is seen
//     from its node's address.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, kernelUnavailable, type ProbeResult } from './netns';
import { buildSeedLab, kubeDnsService, labService, pod } from './seed-lab';
import { writeTopology, simulate, type WrittenTopology } from './topology';
import { assertAgrees, assertBinomial, probeKey, tally } from './compare';

const skip = kernelUnavailable();

void describe('kernel conformance: NodePort from outside, outbound masquerade', { skip }, () => {
  let toNodePort: ProbeResult[];
  let toClient: ProbeResult[];
  let topo: WrittenTopology;
  const nodePort = { from: 'office-client', to: '10.240.0.4', protocol: 'tcp', port: 30080 } as const;
  const egress = { from: 'default/ubuntu', to: '10.240.0.100', protocol: 'tcp', port: 9000 } as const;

  before(async () => {
    const lab = new Lab();
    try {
      const seed = buildSeedLab(lab, {
        client: true,
        egressMasquerade: true,
        services: (pods) => [kubeDnsService(pods), labService('default/web-np', '10.0.0.50', 80, 'tcp', [pod(pods, 'default/ubuntu'), pod(pods, 'default/web')], 8080, undefined, 30080)],
      });
      await lab.serve('pod-ubuntu', 'default/ubuntu', [8080]);
      await lab.serve('pod-web', 'default/web', [8080]);
      await lab.serve('client', 'office-client', [9000]);
      toNodePort = await lab.send('client', 'tcp', nodePort.to, nodePort.port, 60);
      toClient = await lab.send('pod-ubuntu', 'tcp', egress.to, egress.port, 3);
      topo = writeTopology(seed);
    } finally {
      lab.destroy();
    }
  });
  after(() => topo?.remove());

  void it('kernel: NodePort reaches both endpoints, masqueraded to the address of the way out; replies from the node address', () => {
    const t = tally(toNodePort.map(probeKey));
    assert.deepEqual([...t.keys()].sort(), ['delivered default/ubuntu from 10.244.0.1', 'delivered default/web from 10.240.0.4']);
    assertBinomial(t.get('delivered default/ubuntu from 10.244.0.1') ?? 0, toNodePort.length, 0.5, 'local endpoint share');
    assert.ok(toNodePort.every((r) => r.from === '10.240.0.4'));
  });

  void it('kernel: a pod reaching the client is seen from its node\'s address', () => {
    assert.deepEqual(toClient.map(probeKey), Array(3).fill('delivered office-client from 10.240.0.4'));
  });

  void it('simulator matches the kernel: NodePort from a host outside the cluster', () => {
    const { result } = simulate(topo, nodePort);
    assertAgrees(toNodePort, result, 'tcp');
  });

  void it('simulator matches the kernel: outbound masquerade', () => {
    const { result } = simulate(topo, egress);
    assertAgrees(toClient, result, 'tcp');
  });
});
