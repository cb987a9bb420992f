/**
 * Objects the rule-specification parser shares between rules, and the small
 * helpers around them. A 300k-rule kube-proxy dump repeats the same empty option
 * lists, the same `-p tcp`, the same `--comment` of a KUBE-SEP chain's two rules;
 * sharing them (frozen, since the model is read-only once parsed) keeps the heap
 * and the garbage collector's work down.
 */
import { type Span, lineSpan } from '../../source';
import type { Match, Negatable, Option, Target } from '../../model/netfilter';
import { canonicalProtocol } from './iptables-modules';

/** The values of a flag option (`--random-fully`): shared and frozen. */
export const NO_VALUES: string[] = Object.freeze([]) as unknown as string[];

/**
 * The options array of a match or target that has none. Shared (and frozen) so the
 * 300k `-j KUBE-SEP-…` rules of a big dump do not each hold an empty array.
 */
export const NO_OPTIONS: Option[] = Object.freeze([]) as unknown as Option[];

/** Per option name, the last one-option list made (see iptables-args' readExtensionOption). Names are the index's own strings, so lookups hash nothing new. */
export const LAST_SINGLE = new Map<string, Option[]>();

export function sameOption(a: Option, b: Option): boolean {
  if (a.negated !== b.negated || a.values.length !== b.values.length) return false;
  for (let i = 0; i < a.values.length; i++) if (a.values[i] !== b.values[i]) return false;
  return true;
}

const SHARED_JUMPS = new Map<string, Target>();
const SHARED_GOTOS = new Map<string, Target>();
/** Most jump names of a big dump are written once (`-j KUBE-SEP-…`): the caches are emptied when full rather than grown. */
const SHARED_JUMPS_MAX = 8192;

/**
 * An option-less jump or goto (`-j KUBE-MARK-MASQ`, `-j ACCEPT`): the object an earlier
 * rule made for the same name, frozen as it becomes shared; most rules of a kube-proxy
 * dump are such jumps.
 */
export function sharedJump(t: Target): Target {
  const cache = t.goto ? SHARED_GOTOS : SHARED_JUMPS;
  const v = cache.get(t.name);
  if (v !== undefined) return Object.isFrozen(v) ? v : Object.freeze(v);
  if (cache.size >= SHARED_JUMPS_MAX) cache.clear();
  cache.set(t.name, t);
  return t;
}

/**
 * Matches already made, by the text they were read from (`-m statistic --mode random
 * --probability 0.1000000000`, `-m tcp`, a KUBE-SEP chain's `-m comment --comment ns/svc:p`).
 * Unique texts (most comments) would fill it, so it is emptied when full: texts that
 * recur, like the statistic cascade of every service, are back in it at once.
 */
const SHARED_MATCHES = new Map<string, Match>();
const SHARED_MATCHES_MAX = 8192;

/**
 * The match an earlier rule read from the same text (`line[start, end)`) if there is
 * one (frozen, with its options, as it becomes shared), else `m`, remembered for the
 * next rule. The caller vouches that this text alone decided `m`'s content (see parseRuleSpec).
 */
export function sharedMatch(m: Match, line: string, start: number, end: number): Match {
  const opts = m.options;
  if (opts.length < 2) {
    // No option, or one option list shared with the previous rule (LAST_SINGLE): the match's content is
    // (module, known, that list), compared by identity, without cutting and hashing its text.
    const last = LAST_MATCH.get(m.module);
    if (last !== undefined && last.options === opts && last.known === m.known) return freezeMatch(last);
    LAST_MATCH.set(m.module, m);
    return m;
  }
  const text = line.slice(start, end);
  const prev = SHARED_MATCHES.get(text);
  if (prev !== undefined) return freezeMatch(prev);
  if (SHARED_MATCHES.size >= SHARED_MATCHES_MAX) SHARED_MATCHES.clear();
  SHARED_MATCHES.set(text, m);
  return m;
}

/** Per module, the last match with fewer than two options (see sharedMatch). */
const LAST_MATCH = new Map<string, Match>();

/** Freezes a match as it becomes shared, with its options (freezing every new match costs more than it saves). */
function freezeMatch(m: Match): Match {
  if (!Object.isFrozen(m)) {
    for (const o of m.options) {
      Object.freeze(o.values);
      Object.freeze(o);
    }
    Object.freeze(m.options);
    Object.freeze(m);
  }
  return m;
}

/** Clears per-parse state (called by every parser entry point). */
export function resetRuleSpecCaches(): void {
  SHARED_MATCHES.clear();
  LAST_MATCH.clear();
  SHARED_JUMPS.clear();
  SHARED_GOTOS.clear();
  SHARED_PROTOCOLS.clear();
  LAST_SINGLE.clear();
}

const SHARED_PROTOCOLS = new Map<string, Negatable<string>>();

/** A non-negated protocol, shared between rules (frozen: the model is read-only once parsed). */
export function sharedProtocol(p: string): Negatable<string> {
  let v = SHARED_PROTOCOLS.get(p);
  if (!v) {
    v = Object.freeze({ negated: false, value: canonicalProtocol(p) });
    if (SHARED_PROTOCOLS.size < 64) SHARED_PROTOCOLS.set(p, v);
  }
  return v;
}

/**
 * Where a rule's `-j NAME` / `-g NAME` (or `--jump`/`--goto`) is written, found in
 * its raw text when an issue needs to point at it; the rule's span otherwise.
 */
export function targetSpan(rule: { raw: string; span: Span; target?: Target }): Span {
  const t = rule.target;
  if (!t) return rule.span;
  const re = new RegExp(`(?:^|\\s)(?:-[jg]|--jump|--goto)\\s+"?${t.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=["\\s]|$)`);
  const m = re.exec(rule.raw);
  if (!m) return rule.span;
  const start = m.index + (m[0].length - m[0].trimStart().length);
  return lineSpan(rule.span.start - (rule.span.column - 1), rule.span.line, start + 1, m.index + m[0].length - start);
}

/** Whether `s` is a decimal count (packets, bytes). */
export function isCount(s: string): boolean {
  if (s.length === 0 || s.length > 20) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
