/**
 * What the cluster DNS server (CoreDNS) does with a query, read from its
 * Corefile: which server block takes a name, whether the kubernetes plugin
 * answers it (zones, pods mode, fallthrough), how `rewrite name` changes it and
 * where `forward`/`proxy` sends the rest. Only the plugins that decide an
 * answer are modelled; caching, metrics, health, loop detection change no
 * answer and are ignored on purpose.
 */
import { originOf, type Issue, type Origin } from '../source';
import { normaliseZone, parseCorefile, type CorefileDirective } from '../parse/dns/parse-corefile';
import type { ClusterDns } from '../model/cluster';

/** How the kubernetes plugin answers `a-b-c-d.ns.pod.<zone>`. */
export type PodsMode = 'disabled' | 'insecure' | 'verified';

/** The kubernetes plugin of one server block. */
export interface KubernetesPlugin {
  /** Zones it is authoritative for, normalised (`cluster.local.`). */
  zones: string[];
  pods: PodsMode;
  /** Zones for which NXDOMAIN falls through to the next plugin; `['.']` for a bare `fallthrough`. */
  fallthrough: string[];
  /** `namespaces NS…`: only these namespaces are answered (empty: all). */
  namespaces: string[];
  origin?: Origin;
}

/** A `rewrite name …` rule (query name only; the answer is rewritten back, so the client never sees it). */
export interface NameRewrite {
  match: 'exact' | 'prefix' | 'suffix' | 'substring' | 'regex';
  from: string;
  to: string;
  origin?: Origin;
}

/** A `forward FROM TO…` (or legacy `proxy`) plugin. */
export interface ForwardPlugin {
  /** The zone it forwards (`.`: everything). */
  from: string;
  /** Upstreams as written (`8.8.8.8`, `/etc/resolv.conf`, `tls://…`). */
  to: string[];
  origin?: Origin;
}

/** One server block reduced to what decides answers. */
export interface DnsServerBlock {
  zones: string[];
  port: number;
  rewrites: NameRewrite[];
  kubernetes?: KubernetesPlugin;
  forward?: ForwardPlugin;
  origin?: Origin;
}

/** The cluster DNS server's behaviour. */
export interface DnsServerConfig {
  blocks: DnsServerBlock[];
  /** True when no Corefile was given and kubeadm's default was assumed. */
  assumedDefault: boolean;
  issues: Issue[];
}

/** kubeadm's default Corefile (the one kind, kubeadm and most distributions install), used when the topology gives none. */
export const DEFAULT_COREFILE = `.:53 {
    errors
    health
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
`;

/** Reads the cluster's Corefile (or kubeadm's default, with the cluster's domain) into server behaviour. */
export function serverConfigOf(dns: ClusterDns | undefined, dnsDomain: string): DnsServerConfig {
  const given = dns?.corefile;
  const text = given?.text ?? DEFAULT_COREFILE.replace('cluster.local', dnsDomain);
  const parsed = parseCorefile(text);
  const place = given?.placement;
  const blocks: DnsServerBlock[] = [];
  for (const sb of parsed.value.servers) {
    if (sb.snippet !== undefined) continue;
    const zones = sb.keys.map((k) => k.zone);
    const block: DnsServerBlock = { zones, port: sb.keys[0]?.port ?? 53, rewrites: [], origin: given ? originOf(sb.span, sb.keys[0]?.text ?? '', place) : undefined };
    for (const d of sb.directives) {
      const origin = given ? originOf(d.span, d.text, place) : undefined;
      if (d.name === 'kubernetes') block.kubernetes = kubernetesOf(d, zones, origin);
      else if (d.name === 'forward' || d.name === 'proxy') {
        if (d.args.length >= 1) block.forward = { from: normaliseZone(d.args[0].text), to: d.args.slice(1).map((a) => a.text), origin };
      } else if (d.name === 'rewrite') {
        const r = rewriteOf(d, origin);
        if (r) block.rewrites.push(r);
      }
    }
    blocks.push(block);
  }
  return { blocks, assumedDefault: given === undefined, issues: parsed.issues };
}

/** `kubernetes [ZONES…] { pods MODE; fallthrough [ZONES…] }`; without `pods` the plugin's own default is `disabled`. */
function kubernetesOf(d: CorefileDirective, blockZones: string[], origin: Origin | undefined): KubernetesPlugin {
  const zones = d.args.length > 0 ? d.args.map((a) => normaliseZone(a.text)) : blockZones;
  let pods: PodsMode = 'disabled';
  let fallthrough: string[] = [];
  let namespaces: string[] = [];
  for (const sub of d.block ?? []) {
    if (sub.name === 'namespaces') namespaces = sub.args.map((a) => a.text.toLowerCase());
    else if (sub.name === 'pods' && sub.args[0]) {
      const m = sub.args[0].text.toLowerCase();
      if (m === 'insecure' || m === 'verified' || m === 'disabled') pods = m;
    } else if (sub.name === 'fallthrough') {
      fallthrough = sub.args.length > 0 ? sub.args.map((a) => normaliseZone(a.text)) : ['.'];
    }
  }
  return { zones, pods, fallthrough, namespaces, origin };
}

/** `rewrite [continue|stop] name [exact|prefix|suffix|substring|regex] FROM TO [answer …]`. */
function rewriteOf(d: CorefileDirective, origin: Origin | undefined): NameRewrite | undefined {
  const a = d.args.map((t) => t.text);
  let k = 0;
  if (a[k] === 'continue' || a[k] === 'stop') k++;
  if (a[k] !== 'name') return undefined;
  k++;
  let match: NameRewrite['match'] = 'exact';
  if (a[k] === 'exact' || a[k] === 'prefix' || a[k] === 'suffix' || a[k] === 'substring' || a[k] === 'regex') match = a[k++] as NameRewrite['match'];
  if (a[k] === undefined || a[k + 1] === undefined) return undefined;
  return { match, from: a[k], to: a[k + 1], origin };
}

/** Whether `name` (normalised, trailing dot) is inside `zone`. */
export function inZone(name: string, zone: string): boolean {
  return zone === '.' || name === zone || name.endsWith(`.${zone}`);
}

/** The server block CoreDNS picks for a name: the longest matching zone on that port. */
export function blockFor(cfg: DnsServerConfig, name: string, port = 53): { block: DnsServerBlock; zone: string } | undefined {
  let best: { block: DnsServerBlock; zone: string } | undefined;
  for (const b of cfg.blocks) {
    if (b.port !== port) continue;
    for (const z of b.zones) if (inZone(name, z) && (!best || z.length > best.zone.length)) best = { block: b, zone: z };
  }
  return best;
}

/** Applies the block's name rewrites in order (CoreDNS stops at the first that matches unless `continue`; we take the first). */
export function rewriteName(block: DnsServerBlock, name: string): { name: string; rule?: NameRewrite } {
  for (const r of block.rewrites) {
    const from = r.match === 'regex' ? r.from : normaliseZone(r.from).replace(/\.$/, '');
    const bare = name.replace(/\.$/, '');
    let out: string | undefined;
    if (r.match === 'exact' && bare === from) out = r.to;
    else if (r.match === 'prefix' && bare.startsWith(from)) out = r.to + bare.slice(from.length);
    else if (r.match === 'suffix' && bare.endsWith(from)) out = bare.slice(0, bare.length - from.length) + r.to;
    else if (r.match === 'substring' && bare.includes(from)) out = bare.replace(from, r.to);
    else if (r.match === 'regex') out = regexRewrite(r.from, r.to, bare);
    if (out !== undefined) return { name: normaliseZone(out), rule: r };
  }
  return { name };
}

/** CoreDNS regex rewrite: `{1}` in the target names capture group 1. */
function regexRewrite(pattern: string, to: string, name: string): string | undefined {
  let re: RegExp;
  try { re = new RegExp(pattern.replace(/\\\.$/, '').replace(/\.$/, '')); } catch { return undefined; }
  const m = re.exec(name) ?? re.exec(`${name}.`);
  if (!m) return undefined;
  return to.replace(/\{(\d+)\}/g, (_s, g: string) => m[Number(g)] ?? '');
}
