// Route types beyond the brief's faults, on the gateway of the miniature seed:
// an `unreachable` route (ICMP host unreachable), a `prohibit` route (ICMP
// administratively prohibited) and a routing loop between the gateway and a
// node (TTL runs out: ICMP time exceeded). TCP hears all three at once as
// EHOSTUNREACH; the simulator says no-route, no-route and loop.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, kernelUnavailable, relaxErrorCost, restoreErrorCost, type ProbeResult } from './netns';
import { buildSeedLab } from './seed-lab';
import { writeTopology, simulate, type WrittenTopology } from './topology';
import { assertAgrees, probeKey } from './compare';

const skip = kernelUnavailable();

/** Destination → how the gateway routes it. */
const CASES = [
  { name: 'unreachable route', to: '10.244.1.6', route: ['unreachable', '10.244.1.6/32'], disposition: 'no-route' },
  { name: 'prohibit route', to: '10.244.1.2', route: ['prohibit', '10.244.1.2/32'], disposition: 'no-route' },
  // node 0 sends everything off its pod CIDR to the gateway, which sends this
  // prefix back to node 0: the two bounce the packet until its TTL runs out.
  { name: 'routing loop', to: '10.244.9.9', route: ['10.244.9.0/24', 'via', '10.240.0.4'], disposition: 'loop' },
] as const;

void describe('kernel conformance: unreachable, prohibit and looping routes', { skip }, () => {
  const seen = new Map<string, ProbeResult[]>();
  let topo: WrittenTopology;

  before(async () => {
    relaxErrorCost();
    const lab = new Lab();
    try {
      const seed = buildSeedLab(lab);
      for (const c of CASES) lab.route(seed.router.ns, [...c.route]);
      await lab.serve('pod-web', 'default/web', [8080]);
      await lab.serve('pod-kube-dns-1', 'kube-system/kube-dns-1', [8080]);
      for (const c of CASES) seen.set(c.name, await lab.send('pod-ubuntu', 'tcp', c.to, 8080, 3));
      topo = writeTopology(seed);
    } finally {
      lab.destroy();
    }
  });
  after(() => { restoreErrorCost(); topo?.remove(); });

  void it('kernel: TCP connect fails at once with EHOSTUNREACH in all three cases', () => {
    for (const c of CASES) assert.deepEqual(seen.get(c.name)?.map((r) => `${probeKey(r)} ${r.code}`), Array(3).fill('unreachable EHOSTUNREACH'), c.name);
  });

  for (const c of CASES) {
    void it(`simulator matches the kernel: ${c.name} → ${c.disposition}, its ICMP error back to the sender`, () => {
      const { result } = simulate(topo, { from: 'default/ubuntu', to: c.to, protocol: 'tcp', port: 8080 });
      assertAgrees(seen.get(c.name) ?? [], result, 'tcp');
      assert.deepEqual(result.outcomes.map((o) => o.disposition), [c.disposition]);
      if (c.disposition === 'no-route') assert.deepEqual(result.outcomes.map((o) => o.at), ['azure-gateway']);
    });
  }
});
