// Route types beyond the brief's faults, on the gateway of the miniature seed:
// an `unreachable` route (ICMP host unreachable), a `prohibit` route (ICMP
// administratively prohibited), a routing loop between the gateway and a node
// (the TTL runs out: ICMP time exceeded), and two routes for the same prefix
// that differ only in metric (the lower metric wins, whichever is listed first).
// TCP hears the three ICMP errors at once as EHOSTUNREACH.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, REPLY_WAIT_MS, SILENCE_MS, kernelUnavailable, relaxErrorCost, restoreErrorCost, type ProbeResult } from './netns';
import { buildSeedLab } from './seed-lab';
import { writeTopology, simulate, type WrittenTopology } from './topology';
import { assertAgrees, probeKey } from './compare';

const skip = kernelUnavailable();

/** Destination → the gateway's routes for it, what the kernel does, what the simulator must say. */
const CASES = [
  { name: 'unreachable route', to: '10.244.1.6', routes: [['unreachable', '10.244.1.6/32']], kernel: 'unreachable EHOSTUNREACH', disposition: 'no-route' },
  { name: 'prohibit route', to: '10.244.1.2', routes: [['prohibit', '10.244.1.2/32']], kernel: 'unreachable EHOSTUNREACH', disposition: 'no-route' },
  // node 0 sends everything off its pod CIDR to the gateway, which sends this
  // prefix back to node 0: the two bounce the packet until its TTL runs out.
  { name: 'routing loop', to: '10.244.9.9', routes: [['10.244.9.0/24', 'via', '10.240.0.4']], kernel: 'unreachable EHOSTUNREACH', disposition: 'loop' },
  {
    name: 'blackhole with the lower metric', to: '10.244.1.10',
    routes: [['10.244.1.10/32', 'via', '10.240.0.5', 'metric', '100'], ['blackhole', '10.244.1.10/32', 'metric', '50']],
    kernel: 'timeout', disposition: 'blackhole',
  },
  {
    name: 'gateway route with the lower metric', to: '10.244.1.11',
    routes: [['blackhole', '10.244.1.11/32', 'metric', '100'], ['10.244.1.11/32', 'via', '10.240.0.5', 'metric', '50']],
    kernel: 'delivered default/metric-b from 10.244.0.6', disposition: 'delivered',
  },
] as const;

void describe('kernel conformance: unreachable, prohibit, looping and metric-ordered routes', { skip }, () => {
  const seen = new Map<string, ProbeResult[]>();
  /** ICMP errors the gateway and node 0 sent while each case was probed. */
  const icmp = new Map<string, { gw: Record<string, number>; node0: Record<string, number> }>();
  let topo: WrittenTopology;

  before(async () => {
    relaxErrorCost();
    const lab = new Lab();
    try {
      const seed = buildSeedLab(lab, { extraPods: [{ name: 'metric-a', namespace: 'default', node: 1, host: 10 }, { name: 'metric-b', namespace: 'default', node: 1, host: 11 }] });
      for (const c of CASES) for (const r of c.routes) lab.route(seed.router.ns, [...r]);
      for (const p of seed.pods.filter((x) => x.node === 'k8s-agent-1')) await lab.serve(p.ns, p.id, [8080]);
      for (const c of CASES) {
        const before = { gw: lab.icmpCounters(seed.router.ns), node0: lab.icmpCounters(seed.nodes[0].ns) };
        seen.set(c.name, await lab.send('pod-ubuntu', 'tcp', c.to, 8080, 3, c.kernel === 'timeout' ? SILENCE_MS : REPLY_WAIT_MS));
        const after = { gw: lab.icmpCounters(seed.router.ns), node0: lab.icmpCounters(seed.nodes[0].ns) };
        const delta = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] - b[k]]));
        icmp.set(c.name, { gw: delta(after.gw, before.gw), node0: delta(after.node0, before.node0) });
      }
      topo = writeTopology(seed);
    } finally {
      lab.destroy();
    }
  });
  after(() => { restoreErrorCost(); topo?.remove(); });

  void it('kernel: ICMP errors refuse at once with EHOSTUNREACH; the lower metric wins', () => {
    for (const c of CASES) {
      assert.deepEqual(seen.get(c.name)?.map((r) => (r.code ? `${probeKey(r)} ${r.code}` : probeKey(r))), Array(3).fill(c.kernel), c.name);
    }
  });

  void it('kernel: the gateway sent the ICMP errors (unreachable, prohibited, and the time exceeded of the loop)', () => {
    const sent = (name: string) => icmp.get(name);
    assert.deepEqual([sent('unreachable route')?.gw.OutDestUnreachs, sent('prohibit route')?.gw.OutDestUnreachs], [3, 3]);
    assert.deepEqual([sent('routing loop')?.gw.OutTimeExcds, sent('routing loop')?.node0.OutTimeExcds], [3, 0]);
  });

  for (const c of CASES) {
    void it(`simulator matches the kernel: ${c.name} → ${c.disposition}`, () => {
      const { result } = simulate(topo, { from: 'default/ubuntu', to: c.to, protocol: 'tcp', port: 8080 });
      assertAgrees(seen.get(c.name) ?? [], result, 'tcp');
      assert.deepEqual(result.outcomes.map((o) => o.disposition), [c.disposition]);
      if (c.disposition !== 'delivered') assert.deepEqual(result.outcomes.map((o) => o.at), ['azure-gateway']);
    });
  }
});
