/**
 * nftables hygiene, per host and table, placed on the line that needs the fix:
 * a jump, goto or verdict-map entry to a chain the table does not have
 * (`undefined-chain`), a set or map referenced but not defined
 * (`undefined-set`), chains that jump back into themselves (`jump-cycle`), and
 * a `numgen … mod N` verdict map whose keys do not cover 0…N-1 (connections
 * that fall through) or name values numgen never produces (an endpoint that
 * gets no traffic) (`numgen-modulus-mismatch`).
 */
import type { Issue, Origin, Span } from '../source';
import { originOf } from '../source';
import type { Host } from '../model/cluster';
import type { NftElement, NftExpr, NftRule, NftStmt } from '../model/nftables';
import { lintIssue } from './lint-issue';

/** Every nftables finding on `host`. */
export function checkNftables(host: Host, file: string): Issue[] {
  const nft = host.nftables;
  if (!nft) return [];
  const out: Issue[] = [];
  const at = (span: Span, text: string): Origin => originOf(span, text, nft.placement);
  const elementAt = (e: NftElement): Origin => at({ start: e.start, end: e.end, line: e.line, column: 1, endLine: e.line, endColumn: 1 }, e.key.join(' . '));
  for (const table of nft.ruleset.tables.values()) {
    const where = `${table.family} ${table.name}`;
    const edges = new Map<string, { to: string; rule: NftRule }[]>();
    const target = (from: string, to: string | undefined, rule: NftRule, origin: Origin, via: string): void => {
      if (to === undefined) return;
      if (!table.chains.has(to)) out.push(lintIssue('undefined-chain', origin, file, `${host.id}: ${via} to chain ${to}, which table ${where} does not have`));
      else (edges.get(from) ?? edges.set(from, []).get(from)!).push({ to, rule });
    };
    const setRef = (e: NftExpr | undefined, rule: NftRule, origin: Origin): void => {
      if (e?.kind === 'setref' && !table.sets.has(e.name)) out.push(lintIssue('undefined-set', origin, file, `${host.id}: @${e.name} is not a set or map of table ${where}`));
    };
    for (const chain of table.chains.values()) {
      for (const rule of chain.rules) {
        const o = at(rule.span, rule.text);
        for (const s of rule.stmts) checkStmt(s, chain.name, rule, o);
      }
    }
    function checkStmt(s: NftStmt, from: string, rule: NftRule, o: Origin): void {
      if (s.kind === 'verdict') target(from, s.verdict.chain, rule, o, s.verdict.kind);
      else if (s.kind === 'match') setRef(s.right, rule, o);
      else if (s.kind === 'nat') setRef(s.map, rule, o);
      else if (s.kind === 'dynset' && !table.sets.has(s.set)) out.push(lintIssue('undefined-set', o, file, `${host.id}: @${s.set} is not a set of table ${where}`));
      else if (s.kind === 'vmap') {
        setRef(s.map, rule, o);
        const elements = s.map.kind === 'set' ? s.map.elements : s.map.kind === 'setref' ? table.sets.get(s.map.name)?.elements ?? [] : [];
        for (const e of elements) {
          if (e.data && !Array.isArray(e.data)) target(from, e.data.chain, rule, s.map.kind === 'set' ? o : elementAt(e), `verdict map entry ${e.key.join(' . ')} : ${e.data.kind}`);
        }
        if (s.key.kind === 'numgen') checkModulus(s.key, elements, o);
      }
    }
    function checkModulus(key: NftExpr & { kind: 'numgen' }, elements: NftElement[], o: Origin): void {
      const keys = new Set(elements.map((e) => Number(e.key[0])));
      const lo = key.offset;
      const hi = key.offset + key.modulus - 1;
      const missing: number[] = [];
      for (let v = lo; v <= hi; v++) if (!keys.has(v)) missing.push(v);
      const never = [...keys].filter((v) => v < lo || v > hi);
      if (missing.length) out.push(lintIssue('numgen-modulus-mismatch', o, file, `${host.id}: numgen mod ${key.modulus} produces ${missing.join(', ')}, which the map does not hold: ${missing.length}/${key.modulus} of connections find no verdict and fall through`));
      if (never.length) out.push(lintIssue('numgen-modulus-mismatch', o, file, `${host.id}: the map holds ${never.join(', ')}, which numgen mod ${key.modulus}${key.offset ? ` offset ${key.offset}` : ''} never produces: those entries (endpoints) get no traffic`));
    }
    // Cycles: a chain reachable from itself through jumps and gotos (nft refuses to load them).
    const state = new Map<string, 1 | 2>();
    const visit = (c: string, path: string[]): void => {
      state.set(c, 1);
      for (const { to, rule } of edges.get(c) ?? []) {
        if (state.get(to) === 1) out.push(lintIssue('jump-cycle', at(rule.span, rule.text), file, `${host.id}: ${[...path.slice(path.indexOf(to)), c, to].filter((x, i, a) => i === 0 || a[i - 1] !== x).join(' → ')} in table ${where} is a cycle`));
        else if (!state.has(to)) visit(to, [...path, c]);
      }
      state.set(c, 2);
    };
    for (const c of table.chains.keys()) if (!state.has(c)) visit(c, []);
  }
  return out;
}

