/**
 * Dumps opened on their own: one parse and one chain scan per version, shared by
 * diagnostics, the outline, navigation and chain hovers.
 */
import * as path from 'node:path';
import { parseAs, type AnyParse } from '../../core/parse/parse-any';
import { detectFormat, type FormatName } from '../../core/parse/text/detect';
import type { RouteDump } from '../../core/model/routes';
import { indexChains, type ChainIndex } from '../logic/chain-index';
import { chainOutline, routeOutline, type OutlineNode } from '../logic/symbols';
import type { Documents } from './documents';

/** Language ids of dumps, and the format assumed when the content does not say. */
export const DUMP_LANGUAGES: Readonly<Record<string, FormatName | undefined>> = {
  'iptables-save': 'iptables-save',
  'iptables-list': 'iptables-list',
  'route-table': undefined,
  'ip-addr': undefined,
  'resolv-conf': 'resolv-conf',
};

/** Languages whose documents hold iptables rules. */
export const IPTABLES_LANGUAGES: readonly string[] = ['iptables-save', 'iptables-list'];

// Detection needs the first lines only; a 46 MB dump is recognisable from its start.
const SAMPLE = 64 * 1024;

// Past this many rules an outline lists chains only: a rule per symbol would swamp the editor.
const MAX_OUTLINE_RULES = 20000;

/** The table a listing file holds, from its name (`…iptables-t-nat-L-n-v.txt` → nat). */
export function tableFromFileName(p: string): string | undefined {
  return /(?:^|[-_.\s])(?:t[-_.]?)?(nat|filter|mangle|raw|security)(?:[-_.]|$)/.exec(path.basename(p))?.[1];
}

/** The parse and chain index caches. */
export class Dumps {
  private readonly parses = new Map<string, { key: string; parse: AnyParse }>();
  private readonly indexes = new Map<string, { key: string; index: ChainIndex }>();
  /** How many parses ran. */
  count = 0;

  constructor(private readonly docs: Documents) {}

  /** The parse of `p` at its current version. */
  parse(p: string, languageId: string): AnyParse | undefined {
    const key = this.docs.key(p);
    const hit = this.parses.get(p);
    if (hit && hit.key === key) return hit.parse;
    const t = this.docs.read(p);
    if ('error' in t) return undefined;
    const format = detectFormat(t.text.slice(0, SAMPLE)) ?? DUMP_LANGUAGES[languageId] ?? 'auto';
    let parse: AnyParse;
    try {
      parse = parseAs(format, t.text);
    } catch (e) {
      // Parsers promise never to throw; if one does, say so on line 1 rather than lose every feature.
      parse = { format: 'unknown', value: undefined, summary: {}, issues: [{ code: 'internal-parser-error', severity: 'error', message: `parser failed: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } }] };
    }
    this.count++;
    this.parses.set(p, { key: t.key, parse });
    return parse;
  }

  /** The chain index of `p` at its current version. */
  index(p: string, table?: string): ChainIndex | undefined {
    const key = this.docs.key(p);
    const hit = this.indexes.get(p);
    if (hit && hit.key === key) return hit.index;
    const t = this.docs.read(p);
    if ('error' in t) return undefined;
    const index = indexChains(t.text, table ?? tableFromFileName(p));
    this.indexes.set(p, { key: t.key, index });
    return index;
  }

  /** The outline of a dump. */
  outline(p: string, languageId: string): OutlineNode[] {
    if (IPTABLES_LANGUAGES.includes(languageId)) {
      const idx = this.index(p);
      if (!idx) return [];
      const out = chainOutline(idx);
      let rules = 0;
      for (const c of idx.chains.values()) rules += c.rules.length;
      if (rules > MAX_OUTLINE_RULES) for (const t of out) for (const c of t.kind === 'table' ? t.children : [t]) c.children = [];
      return out;
    }
    if (languageId === 'route-table') {
      const v = this.parse(p, languageId)?.value as RouteDump | undefined;
      if (v && Array.isArray(v.routes)) return routeOutline(v.routes);
    }
    return [];
  }

  /** Forgets a closed file. */
  forget(p: string): void {
    this.parses.delete(p);
    this.indexes.delete(p);
  }
}
