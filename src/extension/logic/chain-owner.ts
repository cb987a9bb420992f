/**
 * Which Service port a kube-proxy chain belongs to. Its name is a hash
 * (`KUBE-SVC-TCOU7JCQXEZGVUNU`), so a reader cannot tell; the rule comments
 * kube-proxy writes (`kube-system/kube-dns:dns`) say it, and where a dump has no
 * comments (kube-proxy before 1.8 wrote fewer), the topology's Services hashed
 * the way kube-proxy hashes them say it too.
 */
import type { ServiceInfo } from '../../core/model/cluster';
import { kubeHash, sepChainName, svcChainName } from '../../core/build/kube-proxy-hash';
import { servicePortName } from '../../core/build/kube-proxy-rules';
import { formatIPv4 } from '../../core/net/ipv4';
import type { ChainIndex, ChainInfo } from './chain-index';

/** A Service port in words, and for an endpoint chain the endpoint. */
export interface ChainOwner {
  /** `kube-system/kube-dns`. */
  service: string;
  /** `dns (53/UDP)`, or `53/UDP` for an unnamed port; the comment's port name when the topology does not say. */
  port: string;
  /** `10.244.0.2:53`, for a KUBE-SEP chain. */
  endpoint?: string;
  /** What the chain does for it. */
  role: string;
  /** Where this was read: the rule comments or the topology's Services. */
  from: 'comment' | 'topology';
}

const ROLES: Record<string, string> = {
  SVC: 'picks an endpoint',
  SEP: 'DNATs to one endpoint',
  FW: 'load-balancer traffic',
  EXT: 'external traffic (NodePort, external IPs, load balancer)',
  XLB: 'external traffic kept on this node',
};

/** Every kube-proxy chain name of the topology's Service ports, with its owner. */
export function ownersFromServices(services: readonly ServiceInfo[]): Map<string, ChainOwner> {
  const out = new Map<string, ChainOwner>();
  for (const s of services) {
    const svc = `${s.namespace}/${s.name}`;
    for (const p of s.ports) {
      const spn = servicePortName(s, p.name);
      const port = p.name ? `${p.name} (${p.port}/${p.protocol})` : `${p.port}/${p.protocol}`;
      const hash = kubeHash(spn + p.protocol.toLowerCase());
      out.set(svcChainName(spn, p.protocol), { service: svc, port, role: ROLES.SVC, from: 'topology' });
      for (const k of ['FW', 'EXT', 'XLB']) out.set(`KUBE-${k}-${hash}`, { service: svc, port, role: ROLES[k], from: 'topology' });
      const target = typeof p.targetPort === 'number' ? p.targetPort : Number.parseInt(p.targetPort, 10);
      if (!Number.isFinite(target)) continue;
      for (const ep of s.endpoints) {
        const endpoint = `${formatIPv4(ep.ip)}:${target}`;
        out.set(sepChainName(spn, p.protocol, endpoint), { service: svc, port, endpoint, role: ROLES.SEP, from: 'topology' });
      }
    }
  }
  return out;
}

const UNNAMED = '(unnamed port)';

// `--comment "kube-system/kube-dns:dns cluster IP"`, `--comment kube-system/kube-dns:dns`, `/* kube-system/kube-dns:dns */`
const COMMENT = /(?:--comment\s+"?|\/\*\s*)([a-z0-9][-a-z0-9.]*)\/([a-z0-9][-a-z0-9.]*)(?::([-a-z0-9]+))?/i;

/** The owner the rule comments name: in the chain's own rules, else in the rules that jump to it. */
export function ownerFromComments(chain: ChainInfo, index: ChainIndex): ChainOwner | undefined {
  const kind = /^KUBE-(SVC|SEP|FW|EXT|XLB)-/.exec(chain.name)?.[1];
  if (!kind) return undefined;
  const lines = new Map<number, string>();
  for (const c of index.chains.values()) for (const r of c.rules) lines.set(r.line, r.text);
  const texts = [...chain.rules.map((r) => r.text), ...chain.jumpedFrom.map((j) => lines.get(j.range.line) ?? '')];
  for (const t of texts) {
    const m = COMMENT.exec(t);
    if (!m) continue;
    const endpoint = kind === 'SEP' ? /to:(\S+)|--to-destination\s+(\S+)/.exec(chain.rules.map((r) => r.text).join('\n')) : null;
    return { service: `${m[1]}/${m[2]}`, port: m[3] ?? UNNAMED, endpoint: endpoint ? endpoint[1] ?? endpoint[2] : undefined, role: ROLES[kind], from: 'comment' };
  }
  return undefined;
}

/**
 * The owner of a chain: the topology's answer (it knows the port number) when it
 * has one, else the comments', with the port filled in from the topology's
 * Service when the comment names it (or the Service has one port).
 */
export function chainOwner(chain: ChainInfo, index: ChainIndex, fromServices: Map<string, ChainOwner> | undefined, services: readonly ServiceInfo[] = []): ChainOwner | undefined {
  const hashed = fromServices?.get(chain.name);
  if (hashed) return hashed;
  const said = ownerFromComments(chain, index);
  if (!said) return undefined;
  const svc = services.find((s) => `${s.namespace}/${s.name}` === said.service);
  const named = said.port === UNNAMED ? undefined : said.port;
  const p = svc?.ports.find((x) => x.name === named) ?? (svc?.ports.length === 1 ? svc.ports[0] : undefined);
  return p ? { ...said, port: p.name ? `${p.name} (${p.port}/${p.protocol})` : `${p.port}/${p.protocol}` } : said;
}
