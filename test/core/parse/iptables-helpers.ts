/**
 * Helpers for the iptables parser tests: a model stripped of what legitimately
 * differs between formats (spans, raw text, and on request counters and the
 * fields a listing cannot show), and independent line counts of the corpus.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue } from '../../../src/core/source';
import type { Rule, Ruleset } from '../../../src/core/model/netfilter';
import { CORPUS } from '../../fixtures/dirs';
export { CORPUS };

/** Corpus files of a folder whose names match `re`. */
export function corpusFiles(folder: string, re: RegExp): { name: string; path: string; text: string }[] {
  return readdirSync(join(CORPUS, folder))
    .filter((n) => re.test(n))
    .sort()
    .map((name) => ({ name, path: join(CORPUS, folder, name), text: readFileSync(join(CORPUS, folder, name), 'utf8') }));
}

export interface StripOptions {
  /** Drop counters (a listing has them, an iptables-save without -c does not). */
  counters?: boolean;
  /** Drop `unknown` (what a listing could not show). */
  unknown?: boolean;
}

/** A rule as plain data without spans and raw text. */
export function plainRule(r: Rule, o: StripOptions = {}): unknown {
  return {
    index: r.index,
    protocol: r.protocol && { ...r.protocol },
    source: r.source && { ...r.source },
    destination: r.destination && { ...r.destination },
    inInterface: r.inInterface && { ...r.inInterface },
    outInterface: r.outInterface && { ...r.outInterface },
    fragment: r.fragment && { ...r.fragment },
    matches: r.matches.map((m) => ({ module: m.module, known: m.known, options: m.options.map((x) => ({ name: x.name, values: [...x.values], negated: x.negated })) })),
    target: r.target && { name: r.target.name, goto: r.target.goto, options: r.target.options.map((x) => ({ name: x.name, values: [...x.values], negated: x.negated })) },
    counters: o.counters ? undefined : r.counters && { ...r.counters },
    unknown: o.unknown ? undefined : r.unknown,
  };
}

/** A ruleset as plain data: table → chain → {policy, counters, rules}. */
export function plainRuleset(r: Ruleset, o: StripOptions = {}): unknown {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [tn, t] of r.tables) {
    out[tn] = {};
    for (const [cn, c] of t.chains) {
      out[tn][cn] = { policy: c.policy, counters: o.counters ? undefined : c.counters && { ...c.counters }, rules: c.rules.map((x) => plainRule(x, o)) };
    }
  }
  return out;
}

/** Issues as `severity code line:col-endCol` strings, for compact assertions. */
export function issueKeys(issues: Issue[], filter?: (i: Issue) => boolean): string[] {
  return issues.filter(filter ?? (() => true)).map((i) => `${i.severity} ${i.code} ${i.span.line}:${i.span.column}-${i.span.endColumn}`);
}

/** Total rules of a ruleset. */
export function ruleCount(r: Ruleset): number {
  let n = 0;
  for (const t of r.tables.values()) for (const c of t.chains.values()) n += c.rules.length;
  return n;
}

/** Every span of every issue lies within the text. */
export function spansInside(issues: Issue[], text: string): boolean {
  return issues.every((i) => i.span.start >= 0 && i.span.end <= text.length && i.span.start <= i.span.end && i.span.line >= 1 && i.span.column >= 1);
}
