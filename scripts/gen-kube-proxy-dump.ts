/**
 * Generates the iptables-restore input modern kube-proxy (iptables mode) writes
 * for N ClusterIP services with M endpoints each, shaped like the corpus's
 * k8s-TestOverallIPTablesRules dump: KUBE-SERVICES one rule per service port,
 * KUBE-SVC-* with a masquerade rule and a statistic cascade (1/n, 1/(n-1), …
 * printed with 10 decimals as kube-proxy does), KUBE-SEP-* with KUBE-MARK-MASQ
 * + DNAT, KUBE-MARK-MASQ, KUBE-POSTROUTING and the filter-table rules.
 * Chain names are kube-proxy's: "KUBE-SVC-" + base32(sha256(name + protocol))[:16].
 *
 * Deterministic for a given seed. Used as the parser benchmark:
 *   npx tsx scripts/gen-kube-proxy-dump.ts 10000 10 > out.txt
 */
import { kubeHash } from '../src/core/build/kube-proxy-hash';

/** Options of the generator. */
export interface KubeProxyDumpOptions {
  services: number;
  endpointsPerService: number;
  /** Seed for service/endpoint addresses and ports. */
  seed: number;
}

/** kube-proxy's chain-name hash: first 16 base32 characters of sha256(servicePortName + protocol [+ endpoint]). */
function chainHash(...parts: string[]): string {
  return kubeHash(parts.join(''));
}

/** mulberry32: a small seeded PRNG, so the same seed gives the same dump (and a test's failing seed can be replayed). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ip(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The dump, as one string. */
export function generateKubeProxyDump({ services, endpointsPerService, seed }: KubeProxyDumpOptions): string {
  const rand = prng(seed);
  const clusterCidr = '10.0.0.0/8';
  const out: string[] = [];
  out.push('*filter');
  for (const c of ['KUBE-NODEPORTS', 'KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FIREWALL', 'KUBE-FORWARD', 'KUBE-PROXY-FIREWALL']) out.push(`:${c} - [0:0]`);
  out.push('-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP');
  out.push('-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP');
  out.push('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT');
  out.push('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  out.push('COMMIT');

  interface Svc { name: string; clusterIP: string; port: number; svcChain: string; eps: { ip: string; port: number; chain: string }[] }
  const svcs: Svc[] = [];
  const ipBase = (172 << 24) | (30 << 16);
  const epBase = (10 << 24) | (180 << 16);
  let epSeq = 0;
  for (let s = 0; s < services; s++) {
    const name = `ns${s % 97}/svc${s}:p${80 + (s % 3)}`;
    const port = [80, 443, 53, 8080, 9090][Math.floor(rand() * 5)];
    const targetPort = 1024 + Math.floor(rand() * 60000);
    const eps = [];
    for (let e = 0; e < endpointsPerService; e++) {
      const epIP = ip(epBase + ((epSeq++ * 7 + Math.floor(rand() * 5)) & 0xffff));
      eps.push({ ip: epIP, port: targetPort, chain: `KUBE-SEP-${chainHash(name, 'tcp', `${epIP}:${targetPort}`)}` });
    }
    svcs.push({ name, clusterIP: ip(ipBase + 1 + s), port, svcChain: `KUBE-SVC-${chainHash(name, 'tcp')}`, eps });
  }

  out.push('*nat');
  for (const c of ['KUBE-NODEPORTS', 'KUBE-SERVICES', 'KUBE-MARK-MASQ', 'KUBE-POSTROUTING']) out.push(`:${c} - [0:0]`);
  for (const s of svcs) {
    out.push(`:${s.svcChain} - [0:0]`);
    for (const e of s.eps) out.push(`:${e.chain} - [0:0]`);
  }
  for (const s of svcs) {
    out.push(`-A KUBE-SERVICES -m comment --comment "${s.name} cluster IP" -m tcp -p tcp -d ${s.clusterIP} --dport ${s.port} -j ${s.svcChain}`);
  }
  out.push('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
  out.push('-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000');
  out.push('-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN');
  out.push('-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000');
  out.push('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE');
  for (const s of svcs) {
    out.push(`-A ${s.svcChain} -m comment --comment "${s.name} cluster IP" -m tcp -p tcp -d ${s.clusterIP} --dport ${s.port} ! -s ${clusterCidr} -j KUBE-MARK-MASQ`);
    const n = s.eps.length;
    s.eps.forEach((e, i) => {
      const stat = i < n - 1 ? ` -m statistic --mode random --probability ${(1 / (n - i)).toFixed(10)}` : '';
      out.push(`-A ${s.svcChain} -m comment --comment "${s.name} -> ${e.ip}:${e.port}"${stat} -j ${e.chain}`);
    });
    for (const e of s.eps) {
      out.push(`-A ${e.chain} -m comment --comment ${s.name} -s ${e.ip} -j KUBE-MARK-MASQ`);
      out.push(`-A ${e.chain} -m comment --comment ${s.name} -m tcp -p tcp -j DNAT --to-destination ${e.ip}:${e.port}`);
    }
  }
  out.push('COMMIT');
  return out.join('\n') + '\n';
}

const invokedDirectly = typeof process !== 'undefined' && process.argv[1] !== undefined && /gen-kube-proxy-dump\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  const services = Number(process.argv[2] ?? 10000);
  const endpoints = Number(process.argv[3] ?? 10);
  const seed = Number(process.argv[4] ?? 1);
  process.stdout.write(generateKubeProxyDump({ services, endpointsPerService: endpoints, seed }));
}
