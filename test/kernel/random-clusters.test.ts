// Random clusters with hairpin off, judged by the kernel. Each seed builds the
// miniature seed (gateway, two kubenet nodes) with a random number of extra pods,
// the pods' bridge ports named the way a CNI names them (veth…, cali…, vethwe-…,
// eth…; each node its own way), random dump formats (pods' own `eth0@ifN` dumps
// included), and Services that send a pod to itself: one endpoint (the pod alone,
// so the bridge must hairpin) and several (some shares hairpin, some do not).
// The simulator must predict what the kernel did for every query.
// Seeds: KNS_SEEDS=1,2,3 to replay or widen the run; the default set is fixed.
import { after, before, describe, it } from 'node:test';
import { Lab, SILENCE_MS, kernelUnavailable, type ProbeResult } from './netns';
import { buildSeedLab, kubeDnsService, labService, serveAllPods } from './seed-lab';
import { writeTopology, simulate, type DumpFormats, type WrittenTopology } from './topology';
import { assertAgrees } from './compare';
import { prng as rng } from '../../scripts/gen-kube-proxy-dump';

const skip = kernelUnavailable();

/** How CNIs name the node side of a pod's veth pair. */
const PORT_SCHEMES: Record<string, (host: number) => string> = {
  veth: (h) => `veth${(0x1a2b00 + h).toString(16)}`,
  cali: (h) => `cali${(0x5f6e7d00 + h).toString(16)}`,
  weave: (h) => `vethwe-p${h}`,
  eth: (h) => `eth${h}`,
};

const SEEDS = (process.env.KNS_SEEDS ?? '3,17,29,101').split(',').map(Number).filter(Number.isFinite);

interface Query { what: string; fromNs: string; from: string; to: string; protocol: 'tcp' | 'udp'; port: number; count: number }

for (const [n, seed] of SEEDS.entries()) {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  // Port naming goes round the schemes, so the default four seeds give each node every scheme.
  const names = Object.keys(PORT_SCHEMES);
  const schemes = [names[n % names.length], names[(n + 1) % names.length]] as const;
  const extra = [0, 1].flatMap((node) => Array.from({ length: Math.floor(r() * 3) }, (_, k) => ({ name: `app${node}${k}`, namespace: 'default', node: node as 0 | 1, host: 10 + k })));
  const formats: DumpFormats = {
    routes: pick(['ip-route', 'route-n'] as const), iptables: pick(['save', 'list'] as const),
    interfaces: pick(['ip-addr', 'ifconfig'] as const), podInterfaces: r() < 0.5,
  };
  const label = `seed ${seed}: ports ${schemes.join('/')}, ${extra.length} extra pods, ${formats.routes}, iptables ${formats.iptables}, ${formats.interfaces}${formats.podInterfaces ? ', pod dumps' : ''}`;

  void describe(`kernel conformance: random cluster, hairpin off (${label})`, { skip }, () => {
    const seen = new Map<string, ProbeResult[]>();
    const queries: Query[] = [];
    let topo: WrittenTopology;

    before(async () => {
      const lab = new Lab();
      try {
        const built = buildSeedLab(lab, {
          hairpin: false,
          extraPods: extra,
          portName: (node, host) => PORT_SCHEMES[schemes[node]](host),
          services: (pods) => {
            const apps = pods.filter((p) => p.namespace === 'default');
            const selfs = apps.map((p, i) => labService(`default/${p.name}-self`, `10.0.1.${10 + i}`, 80, 'tcp', [p], 8080));
            // Several endpoints, the sender among them: only its own share needs the hairpin.
            const sender = pick(apps);
            const others = pods.filter((p) => p !== sender).sort(() => r() - 0.5).slice(0, 1 + Math.floor(r() * 2));
            const spread = labService('default/spread', '10.0.2.10', 80, 'udp', [sender, ...others], 8080);
            queries.push({ what: `${sender.id} → default/spread (${spread.endpoints.length} endpoints, itself one)`, fromNs: sender.ns, from: sender.id, to: '10.0.2.10', protocol: 'udp', port: 80, count: 40 });
            for (const [i, p] of apps.entries()) queries.push({ what: `${p.id} → its own Service`, fromNs: p.ns, from: p.id, to: `10.0.1.${10 + i}`, protocol: 'tcp', port: 80, count: 2 });
            return [kubeDnsService(pods), ...selfs, spread];
          },
        });
        await serveAllPods(built, [53, 8080]);
        for (const q of queries) seen.set(q.what, await lab.send(q.fromNs, q.protocol, q.to, q.port, q.count, SILENCE_MS));
        topo = writeTopology(built, formats);
      } finally {
        lab.destroy();
      }
    });
    after(() => topo?.remove());

    void it('the simulator matches the kernel on every query', () => {
      for (const q of queries) {
        const { result } = simulate(topo, { from: q.from, to: q.to, protocol: q.protocol, port: q.port });
        try {
          assertAgrees(seen.get(q.what) ?? [], result, q.protocol);
        } catch (e) {
          throw new Error(`${label}: ${q.what}: ${(e as Error).message}`);
        }
      }
    });
  });
}

