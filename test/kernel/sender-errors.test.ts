// The sending host refusing its own packet: the application's call fails at once,
// and the errno says why. On node 0 (a sender with dumps, as users paste them):
// its OUTPUT chain drops UDP to one port (EPERM; TCP is not told, it retries), and its own routes
// blackhole (EINVAL), mark unreachable (EHOSTUNREACH) or prohibit (EACCES) three
// prefixes; a client host with no default route has no route at all (ENETUNREACH).
// The simulator must name the same errno as the kernel gave the application.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lab, SILENCE_MS, kernelUnavailable, type ProbeResult } from './netns';
import { buildSeedLab, serveAllPods } from './seed-lab';
import { writeTopology, simulate, type WrittenTopology } from './topology';

const skip = kernelUnavailable();

const CASES = [
  { name: 'UDP dropped by the sender\'s OUTPUT chain', from: 'k8s-agent-0', ns: 'node0', to: '10.244.1.6', port: 8080, protocol: 'udp', errno: 'EPERM' },
  // TCP is not told: the SYN is retransmitted into the DROP until connect() times out.
  { name: 'TCP dropped by the sender\'s OUTPUT chain', from: 'k8s-agent-0', ns: 'node0', to: '10.244.1.6', port: 8081, protocol: 'tcp', errno: undefined },
  { name: 'UDP into a blackhole route', from: 'k8s-agent-0', ns: 'node0', to: '10.9.1.1', port: 8080, protocol: 'udp', errno: 'EINVAL' },
  { name: 'TCP into a blackhole route', from: 'k8s-agent-0', ns: 'node0', to: '10.9.1.1', port: 8080, protocol: 'tcp', errno: 'EINVAL' },
  { name: 'UDP into an unreachable route', from: 'k8s-agent-0', ns: 'node0', to: '10.9.2.1', port: 8080, protocol: 'udp', errno: 'EHOSTUNREACH' },
  { name: 'TCP into an unreachable route', from: 'k8s-agent-0', ns: 'node0', to: '10.9.2.1', port: 8080, protocol: 'tcp', errno: 'EHOSTUNREACH' },
  { name: 'UDP into a prohibit route', from: 'k8s-agent-0', ns: 'node0', to: '10.9.3.1', port: 8080, protocol: 'udp', errno: 'EACCES' },
  { name: 'TCP into a prohibit route', from: 'k8s-agent-0', ns: 'node0', to: '10.9.3.1', port: 8080, protocol: 'tcp', errno: 'EACCES' },
  { name: 'UDP with no route', from: 'office-client', ns: 'client', to: '8.8.8.8', port: 53, protocol: 'udp', errno: 'ENETUNREACH' },
  { name: 'TCP with no route', from: 'office-client', ns: 'client', to: '8.8.8.8', port: 443, protocol: 'tcp', errno: 'ENETUNREACH' },
] as const;

void describe('kernel conformance: the sending host refuses its own packet', { skip }, () => {
  const seen = new Map<string, ProbeResult[]>();
  let topo: WrittenTopology;

  before(async () => {
    const lab = new Lab();
    try {
      const seed = buildSeedLab(lab, { client: true });
      lab.exec('node0', ['iptables', '-I', 'OUTPUT', '-d', '10.244.1.6', '-p', 'udp', '--dport', '8080', '-j', 'DROP']);
      lab.exec('node0', ['iptables', '-I', 'OUTPUT', '-d', '10.244.1.6', '-p', 'tcp', '--dport', '8081', '-j', 'DROP']);
      lab.route('node0', ['blackhole', '10.9.1.0/24']);
      lab.route('node0', ['unreachable', '10.9.2.0/24']);
      lab.route('node0', ['prohibit', '10.9.3.0/24']);
      lab.delRoute('client', ['default']);
      await serveAllPods(seed, [8080, 8081]);
      for (const c of CASES) seen.set(c.name, await lab.send(c.ns, c.protocol, c.to, c.port, 2, SILENCE_MS));
      topo = writeTopology(seed);
    } finally {
      lab.destroy();
    }
  });
  after(() => topo?.remove());

  for (const c of CASES) {
    void it(`${c.name}: the kernel ${c.errno ? `fails the call with ${c.errno}` : 'leaves the call waiting'}, and the simulator says so`, () => {
      assert.deepEqual(seen.get(c.name)?.map((r) => r.code ?? r.kind), [c.errno ?? 'timeout', c.errno ?? 'timeout'], JSON.stringify(seen.get(c.name)));
      const { result } = simulate(topo, { from: c.from, to: c.to, protocol: c.protocol, port: c.port });
      assert.equal(result.error, undefined);
      assert.deepEqual(result.outcomes.map((o) => [o.localError, o.at, o.probability]), [[c.errno, c.from, 1]], JSON.stringify(result.outcomes.map((o) => o.summary)));
    });
  }
});
