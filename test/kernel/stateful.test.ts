// A stateful firewall on the gateway (FORWARD policy DROP): new connections
// are allowed from node 0's pods to node 1's pods only; packets of established
// connections (conntrack ESTABLISHED,RELATED) only for some pods. Every packet
// of a connection is judged by the rules with its conntrack state, in both
// directions:
//   - ubuntu → web: allowed, and both its later packets and the replies are
//     allowed as ESTABLISHED: works, TCP and UDP;
//   - kube-dns-0 → web: allowed forward, but the replies meet the DROP
//     policy: received, never answered;
//   - half → web: replies allowed, but half's own ESTABLISHED packets are not:
//     one UDP datagram and its answer pass, while TCP's handshake completes on
//     the client (SYN-ACK passes) and its final ACK is dropped: the server
//     never accepts, the client hears nothing;
//   - web → ubuntu: a new connection the other way: dropped by the policy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, SILENCE_MS, kernelUnavailable, type ProbeResult, type Server } from './netns';
import { buildSeedLab } from './seed-lab';
import { writeTopology, simulate, type WrittenTopology } from './topology';
import { assertAgrees, probeKey } from './compare';

const skip = kernelUnavailable();

const GATEWAY_FILTER = [
  '*filter',
  ':INPUT ACCEPT [0:0]',
  ':FORWARD DROP [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  '-A FORWARD -d 10.244.0.6/32 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  '-A FORWARD -s 10.244.0.6/32 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  '-A FORWARD -d 10.244.0.7/32 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  '-A FORWARD -s 10.244.0.0/24 -d 10.244.1.0/24 -m conntrack --ctstate NEW -j ACCEPT',
  'COMMIT',
  '',
].join('\n');

const Q = {
  allowed: { from: 'default/ubuntu', to: '10.244.1.6', protocol: 'tcp', port: 8080, ns: 'pod-ubuntu', silent: false },
  allowedUdp: { from: 'default/ubuntu', to: '10.244.1.6', protocol: 'udp', port: 8080, ns: 'pod-ubuntu', silent: false },
  replyDropped: { from: 'kube-system/kube-dns-0', to: '10.244.1.6', protocol: 'udp', port: 8080, ns: 'pod-kube-dns-0', silent: true },
  halfUdp: { from: 'default/half', to: '10.244.1.6', protocol: 'udp', port: 8080, ns: 'pod-half', silent: false },
  halfTcp: { from: 'default/half', to: '10.244.1.6', protocol: 'tcp', port: 8080, ns: 'pod-half', silent: true },
  reverse: { from: 'default/web', to: '10.244.0.6', protocol: 'tcp', port: 8080, ns: 'pod-web', silent: true },
} as const;

void describe('kernel conformance: a stateful firewall on the gateway', { skip }, () => {
  const seen: Partial<Record<keyof typeof Q, ProbeResult[]>> = {};
  let web: Server;
  let topo: WrittenTopology;

  before(async () => {
    const lab = new Lab();
    try {
      const seed = buildSeedLab(lab, { extraPods: [{ name: 'half', namespace: 'default', node: 0, host: 7 }] });
      lab.iptablesRestore(seed.router.ns, GATEWAY_FILTER);
      web = await lab.serve('pod-web', 'default/web', [8080]);
      await lab.serve('pod-ubuntu', 'default/ubuntu', [8080]);
      for (const [k, q] of Object.entries(Q) as [keyof typeof Q, (typeof Q)[keyof typeof Q]][]) {
        seen[k] = await lab.send(q.ns, q.protocol, q.to, q.port, 3, q.silent ? SILENCE_MS : undefined);
      }
      topo = writeTopology(seed);
    } finally {
      lab.destroy();
    }
  });
  after(() => topo?.remove());

  void it('kernel: only connections whose every packet is allowed, in both directions, work', () => {
    const ok = Array(3).fill('delivered default/web from 10.244.0.6');
    assert.deepEqual(seen.allowed?.map(probeKey), ok);
    assert.deepEqual(seen.allowedUdp?.map(probeKey), ok);
    assert.deepEqual(seen.replyDropped?.map(probeKey), Array(3).fill('timeout'));
    assert.equal(web.log.filter((r) => r.peer === '10.244.0.2').length, 3, 'web received kube-dns-0\'s datagrams');
    assert.deepEqual(seen.halfUdp?.map(probeKey), Array(3).fill('delivered default/web from 10.244.0.7'));
    assert.deepEqual(seen.halfTcp?.map((r) => `${probeKey(r)}${r.connected ? ' after the handshake' : ''}`), Array(3).fill('timeout after the handshake'));
    assert.equal(web.log.filter((r) => r.peer === '10.244.0.7' && r.proto === 'tcp').length, 0, 'web never accepted half\'s connections');
    assert.deepEqual(seen.reverse?.map(probeKey), Array(3).fill('timeout'));
  });

  for (const k of Object.keys(Q) as (keyof typeof Q)[]) {
    void it(`simulator matches the kernel: ${Q[k].from} → ${Q[k].to} ${Q[k].protocol}`, () => {
      const { ns: _ns, silent: _silent, ...query } = Q[k];
      const { result } = simulate(topo, query);
      assertAgrees(seen[k] ?? [], result, query.protocol);
      if (k === 'replyDropped') {
        assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.delivered?.pod, o.reply?.disposition, o.reply?.at]), [['delivered', 'default/web', 'dropped', 'azure-gateway']]);
      }
      if (k === 'reverse') assert.deepEqual(result.outcomes.map((o) => [o.disposition, o.at]), [['dropped', 'azure-gateway']]);
    });
  }
});
