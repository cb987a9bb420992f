/**
 * The chain commands of iptables-restore input and `iptables -S` output, applied
 * to a ruleset as iptables-restore would: `-A` append, `-I [n]` insert, `-R n`
 * replace, `-D` delete (by number or by rule specification), `-N` new chain,
 * `-X` delete chain, `-F` flush, `-P` policy, `-Z` zero counters.
 */
import { type Issue, type Severity, type Span, lineSpan } from '../../source';
import { BUILTIN_CHAINS, type Chain, type Counters, type Rule, type Ruleset, type Table } from '../../model/netfilter';
import { type LinePlace, type RuleSpec, parseRuleSpec } from './iptables-args';
import type { ArgTokens } from './iptables-tokenize';
import { printRuleSpec } from './print-iptables-save';

type Command = 'A' | 'I' | 'R' | 'D' | 'N' | 'X' | 'F' | 'P' | 'Z' | 'E';

const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['-A', 'A'], ['--append', 'A'], ['-I', 'I'], ['--insert', 'I'], ['-R', 'R'], ['--replace', 'R'],
  ['-D', 'D'], ['--delete', 'D'], ['-N', 'N'], ['--new-chain', 'N'], ['-X', 'X'], ['--delete-chain', 'X'],
  ['-F', 'F'], ['--flush', 'F'], ['-P', 'P'], ['--policy', 'P'], ['-Z', 'Z'], ['--zero', 'Z'],
  ['-E', 'E'], ['--rename-chain', 'E'],
]);

/** Commands only iptables-restore input (never iptables-save output) contains. */
const RESTORE_ONLY: ReadonlySet<Command> = new Set<Command>(['I', 'R', 'D', 'N', 'X', 'F', 'P', 'Z', 'E']);

/** A new, empty table. */
export function newTable(name: string, span?: Span): Table {
  return { name, chains: new Map(), span };
}

/** Builds a ruleset from commands, line by line; shared by the save/restore and `-S` parsers. */
export class RulesetBuilder {
  readonly ruleset: Ruleset;
  /** Whether a restore-only command was seen (then the input is iptables-restore, not iptables-save). */
  sawRestoreCommand = false;
  /** `-A` to chains never declared: reported at the end, as an error for a save dump, a warning for restore input. */
  readonly undeclared: Issue[] = [];
  /** Whether `-A CHAIN` may create CHAIN silently (`iptables -S` of one chain, listings). */
  autoCreate = false;

  constructor(format: Ruleset['format'], readonly issues: Issue[]) {
    this.ruleset = { tables: new Map(), format };
  }

  /** The table named `name`, created if needed. */
  table(name: string, span?: Span): Table {
    let t = this.ruleset.tables.get(name);
    if (!t) {
      t = newTable(name, span);
      this.ruleset.tables.set(name, t);
    }
    return t;
  }

  /** Declares a chain (`:NAME POLICY [p:b]` or `-N NAME`); returns it. `counters` only go into a new chain. */
  declare(table: Table, name: string, span: Span, counters?: Counters): Chain {
    let c = table.chains.get(name);
    if (!c) {
      // Counters in the literal: added afterwards, they would need an out-of-object property store per chain.
      c = counters ? { name, rules: [], span, counters } : { name, rules: [], span };
      table.chains.set(name, c);
    }
    return c;
  }

  /** Whether `word` is a chain command this builder knows. */
  static isCommand(word: string): boolean {
    return COMMANDS.has(word);
  }

  /**
   * Applies the command in tokens `[from, …)` (`-A CHAIN spec…`) to `table`.
   * `rulePrefixCounters` are `[p:b]` counters written before the command.
   */
  apply(table: Table, line: string, t: ArgTokens, from: number, place: LinePlace, lineSpanAll: Rule['span'], rulePrefixCounters?: Rule['counters']): void {
    const span = (k: number) => lineSpan(place.offset, place.line, t.start[k] + 1, t.end[k] - t.start[k]);
    const cmd = COMMANDS.get(t.text[from]);
    if (cmd === undefined) {
      this.issues.push({ code: 'iptables-unknown-command', severity: 'error', span: span(from), message: `unknown command ${t.text[from]}` });
      return;
    }
    if (RESTORE_ONLY.has(cmd)) this.sawRestoreCommand = true;
    const chainAt = from + 1;
    const chainName = chainAt < t.count ? t.text[chainAt] : undefined;
    if (chainName === undefined && cmd !== 'F' && cmd !== 'X' && cmd !== 'Z') {
      this.issues.push({ code: 'iptables-missing-value', severity: 'error', span: span(from), message: `${t.text[from]} needs a chain name` });
      return;
    }
    if (chainName !== undefined && !isChainName(chainName, t.quoted[chainAt])) {
      this.issues.push({ code: 'iptables-bad-chain-name', severity: 'error', span: span(chainAt), message: `"${chainName}" cannot be a chain name` });
      return;
    }
    const existing = chainName === undefined ? undefined : table.chains.get(chainName);
    switch (cmd) {
      case 'N':
        if (existing) this.issues.push({ code: 'iptables-duplicate-chain', severity: 'warning', span: span(chainAt), message: `chain ${chainName} already exists` });
        else this.declare(table, chainName!, span(chainAt));
        return;
      case 'X':
        if (chainName === undefined) {
          for (const [name, c] of table.chains) if (c.policy === undefined && !isBuiltin(table.name, name)) table.chains.delete(name);
        } else table.chains.delete(chainName);
        return;
      case 'F':
        if (chainName === undefined) for (const c of table.chains.values()) c.rules = [];
        else if (existing) existing.rules = [];
        return;
      case 'Z':
        return;
      case 'E': {
        const to = t.text[chainAt + 1];
        if (existing && to) {
          table.chains.delete(chainName!);
          existing.name = to;
          table.chains.set(to, existing);
        }
        return;
      }
      case 'P': {
        const policy = t.text[chainAt + 1];
        if (policy === undefined) {
          this.issues.push({ code: 'iptables-missing-value', severity: 'error', span: span(from), message: '-P needs a chain and a policy' });
          return;
        }
        const c = existing ?? this.declare(table, chainName!, span(chainAt));
        c.policy = policy;
        // `-P CHAIN POLICY -c P B` is how `iptables -S -v` prints a built-in chain's counters.
        if (t.text[chainAt + 2] === '-c' && chainAt + 4 < t.count) {
          c.counters = { packets: Number(t.text[chainAt + 3]), bytes: Number(t.text[chainAt + 4]) };
        }
        return;
      }
    }
    // A, I, R, D: a rule specification follows (after a position for I/R/D).
    let specFrom = chainAt + 1;
    let position: number | undefined;
    if ((cmd === 'I' || cmd === 'R' || cmd === 'D') && specFrom < t.count && /^\d+$/.test(t.text[specFrom])) {
      position = Number(t.text[specFrom]);
      specFrom++;
    }
    let chain = existing;
    if (!chain) {
      if (!isBuiltin(table.name, chainName!) && !this.autoCreate) {
        this.undeclared.push({ code: 'iptables-undeclared-chain', severity: 'error', span: span(chainAt), message: `chain ${chainName} was not declared in table ${table.name}` });
      }
      chain = this.declare(table, chainName!, span(chainAt));
    }
    if (cmd === 'D' && position !== undefined && specFrom >= t.count) {
      if (position >= 1 && position <= chain.rules.length) chain.rules.splice(position - 1, 1);
      else this.issues.push({ code: 'iptables-delete-no-match', severity: 'warning', span: span(specFrom - 1), message: `${chainName} has no rule ${position}` });
      renumber(chain);
      return;
    }
    const spec = parseRuleSpec(line, t, specFrom, place, this.issues);
    const rule = ruleFromSpec(spec, line, lineSpanAll);
    if (!rule.counters && rulePrefixCounters) rule.counters = rulePrefixCounters;
    if (cmd === 'A') {
      rule.index = chain.rules.length + 1;
      // Most kube-proxy chains hold 1–3 rules; a pushed-to array reserves 16 slots, so short chains get exact-size copies.
      if (chain.rules.length < 8) chain.rules = chain.rules.length === 0 ? [rule] : chain.rules.concat(rule);
      else chain.rules.push(rule);
      return;
    }
    if (cmd === 'I') {
      const at = Math.min(Math.max((position ?? 1) - 1, 0), chain.rules.length);
      chain.rules.splice(at, 0, rule);
    } else if (cmd === 'R') {
      if (position !== undefined && position >= 1 && position <= chain.rules.length) chain.rules[position - 1] = rule;
      else this.issues.push({ code: 'iptables-delete-no-match', severity: 'warning', span: span(chainAt), message: `${chainName} has no rule ${position ?? '?'} to replace` });
    } else {
      const key = printRuleSpec(rule);
      const at = chain.rules.findIndex((r) => printRuleSpec(r) === key);
      if (at >= 0) chain.rules.splice(at, 1);
      // Restore input may delete a rule that only the kernel holds (a --noflush update): recorded, not an error.
      else this.issues.push({ code: 'iptables-delete-no-match', severity: 'info', span: span(from), message: `-D recorded: no rule of ${chainName} in this text matches it (the kernel may hold one)` });
    }
    renumber(chain);
  }

  /** Sets the severity of the `-A to undeclared chain` issues once the format is known, and files them. */
  finish(undeclaredSeverity: Severity): void {
    for (const i of this.undeclared) this.issues.push({ ...i, severity: undeclaredSeverity });
  }
}

/** Whether `name` can name a chain or target: one unquoted word, not an option, not a negation. */
export function isChainName(name: string, quoted: boolean): boolean {
  // Unquoted words hold no blanks (the tokenizer split on them); only stray quotes and a leading - or ! are left to check.
  const c = name.charCodeAt(0);
  return !quoted && name.length > 0 && c !== 45 && c !== 33 && name.indexOf('"') < 0 && name.indexOf("'") < 0;
}

/** Whether `chain` is a built-in chain of `table`. */
export function isBuiltin(table: string, chain: string): boolean {
  return BUILTIN_CHAINS[table]?.includes(chain) ?? false;
}

function renumber(c: Chain): void {
  for (let i = 0; i < c.rules.length; i++) c.rules[i].index = i + 1;
}

/** A Rule holding only the fields the spec has (absent, not undefined, so models compare equal however they were built). */
export function ruleFromSpec(spec: RuleSpec, raw: string, span: Rule['span']): Rule {
  const { matches, protocol, source, destination, target } = spec;
  // The shapes kube-proxy's rules take are written out as literals, so each rule is one object;
  // fields added to a literal afterwards would need a second, out-of-object property store.
  let rule: Rule;
  if (target && !source && !destination && !protocol) rule = { index: 0, matches, target, raw, span };
  else if (target && source && !destination && !protocol) rule = { index: 0, source, matches, target, raw, span };
  else if (target && protocol && !source && !destination) rule = { index: 0, protocol, matches, target, raw, span };
  else if (target && protocol && destination && !source) rule = { index: 0, protocol, destination, matches, target, raw, span };
  else if (target && protocol && destination && source) rule = { index: 0, protocol, source, destination, matches, target, raw, span };
  else {
    rule = { index: 0, matches, raw, span };
    if (protocol) rule.protocol = protocol;
    if (source) rule.source = source;
    if (destination) rule.destination = destination;
    if (target) rule.target = target;
  }
  if (spec.inInterface) rule.inInterface = spec.inInterface;
  if (spec.outInterface) rule.outInterface = spec.outInterface;
  if (spec.fragment) rule.fragment = spec.fragment;
  if (spec.counters) rule.counters = spec.counters;
  return rule;
}
