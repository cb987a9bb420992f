/**
 * The pasted dumps a topology entry carries (`interfaces:`, `routes:`,
 * `ipRules:`, `resolvConf:`, `iptables:`), parsed with the format's own parser.
 * The format of each source is detected from its content; a source whose content
 * looks like another kind of dump (a route table under `interfaces:`) gets a
 * warning, since it is almost always a paste into the wrong field.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { originOf } from '../../source';
import { type FormatName, detectFormat } from '../text/detect';
import { parseInterfaces } from '../interfaces/parse-interfaces';
import { parseRouteTable } from '../routes/parse-routes';
import { parseIpRule } from '../routes/parse-ip-rule';
import { parseResolvConf } from '../dns/parse-resolv-conf';
import type { InterfaceDump } from '../../model/interfaces';
import type { PolicyRule, RouteDump } from '../../model/routes';
import { guarded } from './topology-guard';
import { DEFAULT_RESOLV_OPTIONS, type ResolvConf } from '../../model/resolv';
import type { IptablesSources, Parsed, RouteSource, SourceText } from '../../model/topology';
import { type SourceContext, placeIssues, placeSpan, resolveSource } from './topology-sources';
import { report } from './topology-yaml';
import { RuleOrigins } from '../iptables/rule-origins';
import { readInlineRoutes } from './topology-routes';
import { parseIptablesSource, IPTABLES_TABLES } from './topology-iptables';

/** Formats acceptable under each field; detection outside the list is a `topology-source-format-mismatch` warning. */
const EXPECTED: Record<string, readonly FormatName[]> = {
  interfaces: ['ip-addr', 'ip-link', 'ifconfig'],
  routes: ['route-n', 'ip-route', 'azure-route-table'],
  ipRules: ['ip-rule'],
  resolvConf: ['resolv-conf'],
};

function checkFormat(sc: SourceContext, src: SourceText, field: string): void {
  const f = detectFormat(src.text);
  if (f !== undefined && !EXPECTED[field].includes(f)) {
    report(sc.yaml, src.span, 'topology-source-format-mismatch', 'warning', `${field}: the text looks like ${f} output, not ${EXPECTED[field].join(' or ')}`);
  }
}

/** `interfaces:` → InterfaceDump. */
export function readInterfaces(sc: SourceContext, node: Node | null, what: string): Parsed<InterfaceDump> | undefined {
  const src = resolveSource(sc, node, `${what} interfaces`);
  if (!src) return undefined;
  checkFormat(sc, src, 'interfaces');
  const r = guarded('parseInterfaces', (): InterfaceDump => ({ format: 'ip-addr', interfaces: [] }), () => parseInterfaces(src.text));
  placeIssues(sc.yaml, r.issues, src);
  return { value: r.value, source: src };
}

/** `routes:` → RouteDump: pasted `route -n` / `ip route` / Azure table, a file, or an inline list. */
export function readRoutes(sc: SourceContext, node: Node | null, what: string): RouteSource | undefined {
  if (isSeq(node)) return readInlineRoutes(sc.yaml, node, what);
  const src = resolveSource(sc, node, `${what} routes`);
  if (!src) return undefined;
  checkFormat(sc, src, 'routes');
  const r = guarded('parseRouteTable', (): RouteDump => ({ format: 'ip-route', routes: [] }), () => parseRouteTable(src.text));
  placeIssues(sc.yaml, r.issues, src);
  return { value: r.value, source: src };
}

/** `ipRules:` (additive) → `ip rule` list. */
export function readIpRules(sc: SourceContext, node: Node | null, what: string): Parsed<PolicyRule[]> | undefined {
  const src = resolveSource(sc, node, `${what} ipRules`);
  if (!src) return undefined;
  checkFormat(sc, src, 'ipRules');
  const r = guarded('parseIpRule', (): PolicyRule[] => [], () => parseIpRule(src.text));
  placeIssues(sc.yaml, r.issues, src);
  return { value: r.value, source: src };
}

/** `resolvConf:` → ResolvConf. */
export function readResolvConf(sc: SourceContext, node: Node | null, what: string): Parsed<ResolvConf> | undefined {
  const src = resolveSource(sc, node, `${what} resolvConf`);
  if (!src) return undefined;
  checkFormat(sc, src, 'resolvConf');
  const r = guarded('parseResolvConf', (): ResolvConf => ({ nameservers: [], search: [], options: { ...DEFAULT_RESOLV_OPTIONS, other: [] }, optionSpans: {} }), () => parseResolvConf(src.text));
  placeIssues(sc.yaml, r.issues, src);
  return { value: r.value, source: src };
}

/**
 * `iptables:` → one ruleset. Either one source (iptables-save of all tables, or
 * `-S`/listing output whose table is then unknown and taken as filter), or a map
 * table → source. Origins of every rule are computed here, while the source of
 * each table is still known.
 */
export function readIptables(sc: SourceContext, node: Node | null, what: string): IptablesSources | undefined {
  const origins = new RuleOrigins();
  const out: IptablesSources = { ruleset: { tables: new Map(), format: 'iptables-save' }, sources: [], origins };
  const perTable = isMap(node) && !(node.items as Pair[]).some((p) => isScalar(p.key) && p.key.value === 'file');
  const entries: { table?: string; node: Node | null }[] = [];
  if (perTable) {
    for (const p of node.items as Pair[]) {
      const k = p.key as Node | null;
      const name = isScalar(k) ? String(k.value) : '';
      if (!IPTABLES_TABLES.includes(name)) {
        report(sc.yaml, k, 'topology-unknown-field', 'warning', `${what} iptables: "${name}" is not a table (${IPTABLES_TABLES.join(', ')})`);
        continue;
      }
      entries.push({ table: name, node: p.value as Node | null });
    }
  } else entries.push({ node });
  let first = true;
  for (const e of entries) {
    const src = resolveSource(sc, e.node, `${what} iptables${e.table ? ` ${e.table}` : ''}`);
    if (!src) continue;
    const r = parseIptablesSource(src.text, e.table);
    placeIssues(sc.yaml, r.issues, src);
    if (r.misplaced) report(sc.yaml, src.span, 'topology-source-format-mismatch', 'warning', `${what} iptables: ${r.misplaced}`);
    out.sources.push(src);
    if (first) out.ruleset.format = r.value.format;
    if (r.value.partial) out.ruleset.partial = true;
    first = false;
    for (const [name, table] of r.value.tables) {
      // Under a table key only that table is taken from a full dump; a later source for a table replaces it whole.
      if (e.table && name !== e.table) continue;
      out.ruleset.tables.set(name, table);
      origins.setTable(name, table, (rule) => ({ ...originOf(placeSpan(sc.yaml, rule.span, src.placement), rule.raw, undefined), file: src.placement.file }));
    }
  }
  return out.sources.length ? out : undefined;
}

