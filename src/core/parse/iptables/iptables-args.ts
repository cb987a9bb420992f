/**
 * The rule specification shared by iptables-save, iptables-restore and `iptables -S`:
 * everything after `-A CHAIN` (`-s`, `-d`, `-i`, `-o`, `-p`, `-f`, `-m MODULE opts…`,
 * `-j TARGET opts…`, `-g CHAIN`, `-c P B`, `!` negation in both the modern
 * `! -s x` and the old `-s ! x` form). Options are attached to the match that
 * owns them (searching back from the latest `-m`), so kube-proxy's interleaved
 * `-m tcp -p tcp -d X --dport 80` reads like iptables-save's `-m tcp --dport 80`.
 */
import { type Issue, type Span, lineSpan } from '../../source';
import { type ArgTokens, newArgTokens, tokenizeArgs } from './iptables-tokenize';
import type { Match, Option, Rule, Target } from '../../model/netfilter';
import { LAST_SINGLE, NO_OPTIONS, NO_VALUES, isCount, sameOption, sharedJump, sharedMatch, sharedProtocol } from './iptables-shared';
import { type ExtensionInfo, MATCH_INDEX, TARGET_INDEX, canonicalProtocol } from './iptables-modules';
import { canonicalTcpFlags, canonicalizeMatch, canonicalizeTarget } from './iptables-canonical';

/** Where the tokens of the line sit in the whole text (for spans). */
export interface LinePlace {
  offset: number;
  line: number;
}

/** The rule fields read from one rule specification. */
export type RuleSpec = Pick<Rule, 'protocol' | 'source' | 'destination' | 'inInterface' | 'outInterface' | 'fragment' | 'matches' | 'target' | 'counters'>;

type TopKind = 's' | 'd' | 'i' | 'o' | 'p' | 'j' | 'g' | 'm' | 'f' | 'c';

/** Top-level options with their long spellings. */
const TOP: ReadonlyMap<string, TopKind> = new Map<string, TopKind>([
  ['-s', 's'], ['--source', 's'], ['--src', 's'],
  ['-d', 'd'], ['--destination', 'd'], ['--dst', 'd'],
  ['-i', 'i'], ['--in-interface', 'i'],
  ['-o', 'o'], ['--out-interface', 'o'],
  ['-p', 'p'], ['--protocol', 'p'],
  ['-j', 'j'], ['--jump', 'j'],
  ['-g', 'g'], ['--goto', 'g'],
  ['-m', 'm'], ['--match', 'm'],
  ['-f', 'f'], ['--fragment', 'f'],
  ['-c', 'c'], ['--set-counters', 'c'],
]);

/** Options whose value is free text, where unquoted multi-word values are accepted. */
const FREE_TEXT = new Set(['--comment', '--log-prefix']);

const PROTOCOL_MODULES = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp', 'icmp', 'esp', 'ah']);

/**
 * Parser state for one rule, kept at module level and reset per rule: the hot
 * path of a 400k-line dump must not allocate closures or scratch arrays per line.
 */
const st = {
  lineText: '',
  t: undefined as unknown as ArgTokens,
  place: undefined as unknown as LinePlace,
  issues: undefined as unknown as Issue[],
  spec: undefined as unknown as RuleSpec,
  negate: false,
  /** The target's entry in TARGET_INDEX (undefined: unknown target or chain). */
  targetInfo: undefined as ExtensionInfo | undefined,
  /** Each match's entry in MATCH_INDEX (undefined: unknown module). */
  matchInfo: [] as (ExtensionInfo | undefined)[],
  /** Offsets (in the line) where each match's text starts and ends; spans are made once per rule. */
  matchStart: [] as number[],
  matchEnd: [] as number[],
  /** Whether each match is the one `-p tcp` implies (its text starts at its first option, after any `!`). */
  matchImplicit: [] as boolean[],
  /** Offset of the first `-j`/`-g` of the rule, or -1. */
  firstTargetStart: -1,
};

function tokSpan(k: number): Span {
  const t = st.t;
  return lineSpan(st.place.offset, st.place.line, t.start[k] + 1, t.end[k] - t.start[k]);
}

function tokSpanFrom(k: number, endK: number): Span {
  const t = st.t;
  return lineSpan(st.place.offset, st.place.line, t.start[k] + 1, t.end[endK] - t.start[k]);
}

/** Whether token `k` exists and can be a value (it is quoted, or not an option). */
function isValue(k: number): boolean {
  const t = st.t;
  if (k >= t.count) return false;
  if (t.quoted[k]) return true;
  const w = t.text[k];
  return !(w.charCodeAt(0) === 45 && (w.charCodeAt(1) === 45 || TOP.has(w)));
}

/**
 * The span of each match of a rule read from iptables-save / restore / `-S` text
 * (from `-m NAME` to its last option; for a match `-p tcp` implies, from its first
 * option), computed from the rule's raw line when asked for: hovers and
 * diagnostics need a few, a big dump has hundreds of thousands.
 */
export function ruleMatchSpans(rule: Rule): (Span | undefined)[] {
  const t = tokenizeArgs(rule.raw, 0, newArgTokens());
  let from = t.count > 0 && t.text[0].startsWith('[') ? 1 : 0;
  const cmd = t.text[from];
  from += 2; // the command and its chain
  if ((cmd === '-I' || cmd === '-R' || cmd === '--insert' || cmd === '--replace') && /^\d+$/.test(t.text[from] ?? '')) from++;
  const lineStart = rule.span.start - (rule.span.column - 1);
  const spec = parseRuleSpec(rule.raw, t, from, { offset: lineStart, line: rule.span.line }, [], true);
  return spec.matches.map((m) => m.span);
}

/**
 * Reads tokens `[from, t.count)` as a rule specification. Problems go to `issues`
 * with the offending word's span; the spec holds everything that could be read.
 */
export function parseRuleSpec(lineText: string, t: ArgTokens, from: number, place: LinePlace, issues: Issue[], matchSpans = false): RuleSpec {
  const spec: RuleSpec = { matches: [] };
  st.lineText = lineText;
  st.t = t;
  st.place = place;
  st.issues = issues;
  st.spec = spec;
  st.negate = false;
  st.targetInfo = undefined;
  st.matchInfo.length = 0;
  st.matchStart.length = 0;
  st.matchEnd.length = 0;
  st.matchImplicit.length = 0;
  st.firstTargetStart = -1;
  let negateAt = -1;
  let i = from;
  const n = t.count;
  while (i < n) {
    const word = t.text[i];
    const quoted = t.quoted[i];
    if (!quoted && word === '!') {
      st.negate = true;
      negateAt = i;
      i++;
      continue;
    }
    const kind = quoted || word.charCodeAt(0) !== 45 ? undefined : TOP.get(word);
    if (kind !== undefined) {
      i = readTopLevel(kind, i);
      continue;
    }
    if (!quoted && word.length > 1 && word.charCodeAt(0) === 45 /* - */) {
      i = readExtensionOption(i);
      continue;
    }
    issues.push({ code: 'iptables-unexpected-word', severity: 'warning', span: tokSpan(i), message: `unexpected "${word}": ignored` });
    st.negate = false;
    i++;
  }
  spec.matches = spec.matches.length ? spec.matches.slice() : spec.matches;
  if (st.negate) {
    issues.push({ code: 'iptables-dangling-negation', severity: 'warning', span: tokSpan(negateAt), message: '"!" with nothing to negate' });
  }
  if (spec.target) {
    canonicalizeTarget(spec.target);
    if (spec.target.options === NO_OPTIONS) spec.target = sharedJump(spec.target);
  }
  for (let m = 0; m < spec.matches.length; m++) {
    if (spec.matches[m].module === 'recent') canonicalizeMatch(spec.matches[m]);
    // Match spans are made on request only (ruleMatchSpans): a 300k-rule dump would otherwise hold ~500k of them.
    if (matchSpans) spec.matches[m].span = lineSpan(place.offset, place.line, st.matchStart[m] + 1, st.matchEnd[m] - st.matchStart[m]);
    else if (!st.matchImplicit[m] && (st.firstTargetStart < 0 || st.firstTargetStart > st.matchStart[m])) {
      // An explicit match's text, from `-m` to its last option, decides its content, unless a target written
      // before it took options it would otherwise own (or a `!` before an implied match's first option negated it).
      spec.matches[m] = sharedMatch(spec.matches[m], lineText, st.matchStart[m], st.matchEnd[m]);
    }
  }
  return spec;
}

/** Reads a top-level option (`-s x`, `-m name`, `-j T`, `-f`, `-c P B`) at `i`; returns the next index. */
function readTopLevel(kind: TopKind, i: number): number {
  const { t, spec, issues } = st;
  const n = t.count;
  if (kind === 'f') {
    spec.fragment = { negated: st.negate, value: true };
    st.negate = false;
    return i + 1;
  }
  if (kind === 'c') {
    st.negate = false;
    if (i + 2 < n && isCount(t.text[i + 1]) && isCount(t.text[i + 2])) {
      spec.counters = { packets: Number(t.text[i + 1]), bytes: Number(t.text[i + 2]) };
      return i + 3;
    }
    issues.push({ code: 'iptables-bad-counters', severity: 'error', span: tokSpan(Math.min(i + 1, n - 1)), message: '-c needs two counts: packets and bytes' });
    return i + 1 < n && isCount(t.text[i + 1]) ? i + 2 : i + 1;
  }
  let j = i + 1;
  let negated = st.negate;
  st.negate = false;
  if (j < n && !t.quoted[j] && t.text[j] === '!') {
    negated = true; // old form: `-s ! 10.0.0.0/8`
    j++;
  }
  if (!isValue(j)) {
    issues.push({ code: 'iptables-missing-value', severity: 'error', span: tokSpan(i), message: `${t.text[i]} needs a value` });
    return j;
  }
  const value = t.text[j];
  switch (kind) {
    case 's':
    case 'd':
      if (value.includes(':')) {
        issues.push({ code: 'iptables-ipv6', severity: 'warning', span: tokSpan(j), message: `IPv6 address ${value}: this simulator models IPv4 only` });
      }
      if (kind === 's') spec.source = { negated, value };
      else spec.destination = { negated, value };
      break;
    case 'i':
      spec.inInterface = { negated, value };
      break;
    case 'o':
      spec.outInterface = { negated, value };
      break;
    case 'p':
      spec.protocol = negated ? { negated, value: canonicalProtocol(value) } : sharedProtocol(value);
      break;
    case 'm': {
      const info = MATCH_INDEX.get(value);
      if (!info) {
        issues.push({ code: 'iptables-unknown-match', severity: 'warning', span: tokSpan(j), message: `unknown match module "${value}": kept, not evaluated` });
      }
      spec.matches.push({ module: info ? info.name : value, options: NO_OPTIONS, known: info !== undefined });
      st.matchInfo.push(info);
      st.matchStart.push(t.start[i]);
      st.matchEnd.push(t.end[j]);
      st.matchImplicit.push(false);
      break;
    }
    case 'j':
    case 'g':
      if (t.quoted[j] || value.indexOf('"') >= 0 || value.indexOf("'") >= 0 || value.charCodeAt(0) === 33 /* ! */) {
        issues.push({ code: 'iptables-bad-chain-name', severity: 'error', span: tokSpan(j), message: `"${value}" cannot be a target or chain name` });
        break;
      }
      if (st.firstTargetStart < 0) st.firstTargetStart = t.start[i];
      st.targetInfo = kind === 'j' ? TARGET_INDEX.get(value) : undefined;
      // No span: the rule's span locates it, and a target's own span is made only when an issue needs it (targetSpan).
      spec.target = { name: st.targetInfo ? st.targetInfo.name : value, options: NO_OPTIONS, goto: kind === 'g' };
      break;
  }
  return j + 1;
}

/** Reads `--opt [!] values…` at `k`, attaching it to the match or target that owns it; returns the next index. */
function readExtensionOption(k: number): number {
  const { t, spec, issues } = st;
  const n = t.count;
  const raw = t.text[k];
  let name = raw;
  let owner: Match | Target | undefined;
  let ownerIndex = -1;
  let arity: number | undefined;
  if (spec.target && st.targetInfo) {
    const o = st.targetInfo.options.get(raw);
    if (o) {
      owner = spec.target;
      name = o.name;
      arity = o.arity;
    }
  }
  if (!owner) {
    for (let m = spec.matches.length - 1; m >= 0; m--) {
      const o = st.matchInfo[m]?.options.get(raw);
      if (o) {
        owner = spec.matches[m];
        ownerIndex = m;
        name = o.name;
        arity = o.arity;
        break;
      }
    }
  }
  if (!owner && spec.protocol && PROTOCOL_MODULES.has(spec.protocol.value)) {
    // `-p tcp --dport 53` without `-m tcp`: iptables loads the protocol's match itself.
    const info = MATCH_INDEX.get(spec.protocol.value);
    const o = info?.options.get(raw);
    if (info && o) {
      owner = { module: info.name, options: NO_OPTIONS, known: true };
      name = o.name;
      arity = o.arity;
      ownerIndex = spec.matches.length;
      spec.matches.push(owner);
      st.matchInfo.push(info);
      st.matchStart.push(t.start[k]);
      st.matchEnd.push(t.end[k]);
      st.matchImplicit.push(true);
    }
  }
  if (!owner) {
    // Options of an unknown module or target are taken greedily: all values up to the next option.
    if (spec.target && !st.targetInfo) owner = spec.target;
    else {
      const last = spec.matches.length - 1;
      if (last >= 0 && !spec.matches[last].known) {
        owner = spec.matches[last];
        ownerIndex = last;
      } else {
        issues.push({ code: 'iptables-unknown-option', severity: 'warning', span: tokSpan(k), message: `option ${raw} belongs to no match or target here: ignored` });
      }
    }
  }
  let j = k + 1;
  let negated = st.negate;
  st.negate = false;
  if (j < n && !t.quoted[j] && t.text[j] === '!') {
    negated = true;
    j++;
  }
  // Arrays are made at their final size: a pushed-to `[]` reserves room for 16 entries, and a big dump holds ~1M of these.
  let values: string[];
  if (arity === 1 && isValue(j)) {
    values = [t.text[j++]];
  } else if (arity === 0) {
    values = NO_VALUES;
  } else if (arity === undefined) {
    const from = j;
    while (isValue(j) && t.text[j] !== '!') j++;
    values = t.text.slice(from, j);
  } else {
    values = [];
    for (let v = 0; v < arity; v++) {
      if (!isValue(j)) {
        issues.push({ code: 'iptables-missing-value', severity: 'error', span: tokSpan(k), message: `${raw} needs ${arity} value(s)` });
        break;
      }
      values.push(t.text[j++]);
    }
  }
  if (owner === spec.target && values.length === 1 && (name === '--to-destination' || name === '--to-source') && values[0].indexOf(':') !== values[0].lastIndexOf(':')) {
    issues.push({ code: 'iptables-ipv6', severity: 'warning', span: tokSpan(j - 1), message: `IPv6 address ${values[0]}: this simulator models IPv4 only` });
  }
  if (values.length === 1 && !t.quoted[j - 1] && FREE_TEXT.has(name) && isValue(j) && t.text[j] !== '!') {
    // `--comment kubernetes service portals`: real iptables-restore rejects it, Kubernetes' own fake parser takes the words up to the next option.
    const first = j - 1;
    while (isValue(j) && t.text[j] !== '!') j++;
    values = [st.lineText.slice(t.start[first], t.end[j - 1])];
    issues.push({ code: 'iptables-unquoted-words', severity: 'info', span: tokSpanFrom(first, j - 1), message: `${raw} value of several unquoted words: read up to the next option` });
  }
  if (owner) {
    let opt: Option = { name, values, negated };
    if (name === '--syn' || name === '--tcp-flags') opt = canonicalTcpFlags(opt);
    if (owner.options === NO_OPTIONS) {
      // A match's only option is often the very one the previous rule had (`--comment ns/svc:p80` on both
      // rules of a KUBE-SEP chain, `--dport 80`): reuse that option and its list instead of a copy. Shared
      // objects are frozen, when they first become shared (freezing every new option costs more than it saves).
      const prev = LAST_SINGLE.get(name);
      if (prev !== undefined && sameOption(prev[0], opt)) {
        if (!Object.isFrozen(prev)) {
          Object.freeze(prev[0].values);
          Object.freeze(prev[0]);
          Object.freeze(prev);
        }
        owner.options = prev;
      } else {
        const list = [opt];
        LAST_SINGLE.set(name, list);
        owner.options = list;
      }
    } else owner.options = owner.options.concat(opt);
    if (ownerIndex >= 0 && j > k + 1 && t.end[j - 1] > st.matchEnd[ownerIndex]) st.matchEnd[ownerIndex] = t.end[j - 1];
    else if (ownerIndex >= 0 && t.end[k] > st.matchEnd[ownerIndex]) st.matchEnd[ownerIndex] = t.end[k];
  }
  return j;
}
