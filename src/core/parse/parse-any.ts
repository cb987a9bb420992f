/**
 * One entry point for every format: parse text as a named (or detected) format
 * and say, in a few counts, what was understood — what `kube-netsim parse`
 * prints and what the editor shows for a pasted dump.
 */
import { type Issue, issue, lineSpan, splitLines } from '../source';
import { type FormatName, detectFormat } from './text/detect';
import { classifyPasted, maskHeaderComments } from './text/pasted';
import type { Ruleset } from '../model/netfilter';
import { parseIptablesSave } from './iptables/parse-iptables-save';
import { parseIptablesS } from './iptables/parse-iptables-s';
import { parseIptablesList } from './iptables/parse-iptables-list';
import { parseRouteTableAs } from './routes/parse-routes';
import { parseIpRule } from './routes/parse-ip-rule';
import { parseInterfacesAs } from './interfaces/parse-interfaces';
import { parseResolvConf } from './dns/parse-resolv-conf';
import { parseKubectl } from './kubectl/parse-kubectl';
import { parseIpvsadm } from './ipvs/parse-ipvsadm';
import { parseCorefile } from './dns/parse-corefile';
import { parseKubernetes } from './kubernetes/parse-kubernetes';
import { parseTopology } from './topology/parse-topology';
import type { NftRuleset } from '../model/nftables';
import { parseNftRuleset } from './nft/parse-nft-ruleset';
import { type IpSetList, parseIpsetList } from './iptables/parse-ipset';
import type { FileReader } from '../model/topology';
import { parseIpNeigh } from './neighbours/parse-ip-neigh';
import { parseBridgeFdb } from './neighbours/parse-bridge-fdb';

/** What `kube-netsim parse` prints: the format, a summary of what was read, and the issues. */
export interface AnyParse {
  format: FormatName | 'unknown';
  /** The parsed value (Ruleset, RouteDump, …), typed by format. */
  value: unknown;
  /** Counts a person checks at a glance: tables, chains, rules, routes, interfaces, … */
  summary: Record<string, unknown>;
  issues: Issue[];
}

/** Options for formats whose text does not say everything. */
export interface ParseAsOptions {
  /** The iptables table of an `iptables -S` / `-L` dump (default: from the prompt's `-t`, else `filter`). */
  table?: string;
  /** Reads files a topology references; standalone parsing refuses them all. */
  reader?: FileReader;
  /** The topology's path as the user names it. */
  file?: string;
}

/** A reader for parsing a topology on its own: it has no files to give. */
const REFUSING_READER: FileReader = { read: (path) => ({ error: `not read: ${path} (parsing the topology on its own)` }) };

/** The table a pasted prompt names (`iptables -t nat -L -n`), if any. */
function tableOfPrompt(text: string): string | undefined {
  for (const l of splitLines(text)) {
    const c = classifyPasted(l.text);
    if (c.kind === 'prompt') {
      const m = /\s(?:-t\s*|--table[= ])(\w+)/.exec(` ${c.prompt!.command}`);
      if (m) return m[1];
    }
  }
  return undefined;
}

function iptablesSummary(r: Ruleset): Record<string, unknown> {
  const tables: Record<string, { chains: number; rules: number }> = {};
  let chains = 0;
  let rules = 0;
  for (const [name, t] of r.tables) {
    const n = [...t.chains.values()].reduce((s, c) => s + c.rules.length, 0);
    tables[name] = { chains: t.chains.size, rules: n };
    chains += t.chains.size;
    rules += n;
  }
  return { tables, chains, rules };
}

/** nftables: how many tables, chains (and base chains among them), rules, named sets and maps, and their elements. */
function nftSummary(r: NftRuleset): Record<string, unknown> {
  let chains = 0;
  let baseChains = 0;
  let rules = 0;
  let sets = 0;
  let elements = 0;
  for (const t of r.tables.values()) {
    chains += t.chains.size;
    sets += t.sets.size;
    for (const c of t.chains.values()) {
      rules += c.rules.length;
      if (c.hook) baseChains++;
    }
    for (const s of t.sets.values()) elements += s.elements.length;
  }
  return { tables: r.tables.size, chains, rules, sets, baseChains, elements };
}

/** `ipset list`: how many sets and how many members the listing shows (not what `Number of entries:` claims). */
function ipsetSummary(r: IpSetList): Record<string, unknown> {
  let members = 0;
  for (const s of r.values()) members += s.members.length;
  return { sets: r.size, members };
}

/** Parses `text` as `format`, or as the detected format when `format` is `auto`. Never throws. */
export function parseAs(format: FormatName | 'auto', original: string, opts: ParseAsOptions = {}): AnyParse {
  // A leading `#` note is not command output (the topology loader masks it the same way).
  const masked = maskHeaderComments(original);
  const f = format === 'auto' ? detectFormat(masked) : format;
  const text = f === 'topology' ? original : masked;
  if (f === undefined) {
    const first = splitLines(text)[0];
    return { format: 'unknown', value: undefined, summary: {}, issues: [issue('format-undetected', 'error', lineSpan(0, 1, 1, first?.text.length ?? 0), 'could not tell which command printed this text: give --format')] };
  }
  const table = opts.table ?? tableOfPrompt(text);
  switch (f) {
    case 'iptables-save': { const r = parseIptablesSave(text); return { format: f, value: r.value, summary: iptablesSummary(r.value), issues: r.issues }; }
    case 'iptables-S': { const r = parseIptablesS(text, table ? { table } : {}); return { format: f, value: r.value, summary: iptablesSummary(r.value), issues: r.issues }; }
    case 'iptables-list': { const r = parseIptablesList(text, table ? { table } : {}); return { format: f, value: r.value, summary: iptablesSummary(r.value), issues: r.issues }; }
    case 'route-n': case 'ip-route': case 'azure-route-table': {
      const r = parseRouteTableAs(text, f, f === 'ip-route' && opts.table ? { table: opts.table } : {});
      const byType: Record<string, number> = {};
      for (const route of r.value.routes) byType[route.type] = (byType[route.type] ?? 0) + 1;
      return { format: f, value: r.value, summary: { routes: r.value.routes.length, byType, tables: [...new Set(r.value.routes.map((x) => x.table))] }, issues: r.issues };
    }
    case 'ip-rule': { const r = parseIpRule(text); return { format: f, value: r.value, summary: { rules: r.value.length }, issues: r.issues }; }
    case 'ip-addr': case 'ip-link': case 'ifconfig': {
      const r = parseInterfacesAs(text, f);
      const addresses = r.value.interfaces.reduce((n, i) => n + i.addresses.length, 0);
      const kinds: Record<string, number> = {};
      for (const i of r.value.interfaces) if (i.link) kinds[i.link.kind === 'other' ? i.link.name : i.link.kind] = (kinds[i.link.kind === 'other' ? i.link.name : i.link.kind] ?? 0) + 1;
      return { format: f, value: r.value, summary: { interfaces: r.value.interfaces.length, addresses, ...(Object.keys(kinds).length ? { kinds } : {}) }, issues: r.issues };
    }
    case 'ip-neigh': {
      const r = parseIpNeigh(text);
      const ns = r.value.neighbours;
      return { format: f, value: r.value, summary: { neighbours: ns.length, withLladdr: ns.filter((n) => n.lladdr).length, proxy: ns.filter((n) => n.proxy).length }, issues: r.issues };
    }
    case 'bridge-fdb': {
      const r = parseBridgeFdb(text);
      const es = r.value.entries;
      return { format: f, value: r.value, summary: { entries: es.length, withDst: es.filter((e) => e.dstText !== undefined).length, devices: [...new Set(es.map((e) => e.dev ?? ''))].filter((d) => d !== '') }, issues: r.issues };
    }
    case 'resolv-conf': {
      const r = parseResolvConf(text);
      return { format: f, value: r.value, summary: { nameservers: r.value.nameservers.map((n) => n.address), search: r.value.search, ndots: r.value.options.ndots }, issues: r.issues };
    }
    case 'kubectl': {
      const r = parseKubectl(text);
      return { format: f, value: r.value, summary: { tables: r.value.tables.map((t) => ({ kind: t.kind, rows: t.rows.length })) }, issues: r.issues };
    }
    case 'ipvsadm': {
      const r = parseIpvsadm(text);
      return { format: f, value: r.value, summary: { services: r.value.services.length, realServers: r.value.services.reduce((n, s) => n + s.realServers.length, 0) }, issues: r.issues };
    }
    case 'corefile': {
      const r = parseCorefile(text);
      return { format: f, value: r.value, summary: { servers: r.value.servers.filter((s) => !s.snippet).length, zones: r.value.servers.flatMap((s) => s.keys.map((k) => `${k.zone}:${k.port}`)) }, issues: r.issues };
    }
    case 'topology': {
      const r = parseTopology(text, opts.file ?? '', opts.reader ?? REFUSING_READER);
      const t = r.value;
      return {
        format: f, value: t,
        summary: { name: t.name, routers: t.routers.length, hosts: t.hosts.length, nodes: t.nodes.length, pods: t.pods.length, services: t.services.length, files: t.referencedFiles.length },
        issues: r.issues,
      };
    }
    case 'ipset': { const r = parseIpsetList(text); return { format: f, value: r.value, summary: ipsetSummary(r.value), issues: r.issues }; }
    case 'nft-ruleset': { const r = parseNftRuleset(text); return { format: f, value: r.value, summary: nftSummary(r.value), issues: r.issues }; }
    case 'kubernetes': {
      const r = parseKubernetes(text, opts.file ?? '');
      const o = r.value;
      return {
        format: f, value: o,
        summary: { nodes: o.nodes.length, pods: o.pods.length, services: o.services.length, endpointSlices: o.endpointSlices.length, namespaces: o.namespaces.length, workloads: o.workloads.length, networkPolicies: o.policies.length },
        issues: r.issues,
      };
    }
  }
}
