/**
 * Ruleset → `iptables-save` text, in the order and spelling iptables-save uses:
 * `*table`, one `:CHAIN POLICY [p:b]` per chain, the rules as
 * `[-s] [-d] [-i] [-o] [-p] [-f] -m … -j …`, then `COMMIT`. Reading the output
 * back gives the same model (the round-trip tests hold every corpus dump to that).
 */
import type { Match, Negatable, Option, Rule, Ruleset, Target } from '../../model/netfilter';

/** Prints a ruleset in iptables-save form (tables, chain declarations, rules, COMMIT). */
export function printIptablesSave(r: Ruleset): string {
  const out: string[] = [];
  for (const table of r.tables.values()) {
    out.push(`*${table.name}`);
    for (const c of table.chains.values()) {
      const k = c.counters ?? { packets: 0, bytes: 0 };
      out.push(`:${c.name} ${c.policy ?? '-'} [${k.packets}:${k.bytes}]`);
    }
    for (const c of table.chains.values()) {
      for (const rule of c.rules) {
        const prefix = rule.counters ? `[${rule.counters.packets}:${rule.counters.bytes}] ` : '';
        const spec = printRuleSpec(rule);
        out.push(`${prefix}-A ${c.name}${spec ? ' ' + spec : ''}`);
      }
    }
    out.push('COMMIT');
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** A rule's specification (everything after `-A CHAIN`), as iptables-save prints it; also the identity `-D` compares. */
export function printRuleSpec(rule: Rule): string {
  const parts: string[] = [];
  neg(parts, '-s', rule.source);
  neg(parts, '-d', rule.destination);
  neg(parts, '-i', rule.inInterface);
  neg(parts, '-o', rule.outInterface);
  neg(parts, '-p', rule.protocol);
  if (rule.fragment) parts.push(rule.fragment.negated ? '! -f' : '-f');
  for (const m of rule.matches) printMatch(parts, m);
  if (rule.target) printTarget(parts, rule.target);
  return parts.join(' ');
}

function neg(parts: string[], flag: string, v: Negatable<string> | undefined): void {
  if (!v) return;
  parts.push(`${v.negated ? '! ' : ''}${flag} ${quote(v.value, false)}`);
}

function printMatch(parts: string[], m: Match): void {
  parts.push(`-m ${quote(m.module, false)}`);
  for (const o of m.options) printOption(parts, o);
}

function printTarget(parts: string[], t: Target): void {
  parts.push(`${t.goto ? '-g' : '-j'} ${t.name}`);
  for (const o of t.options) printOption(parts, o);
}

/** Options whose value iptables-save always quotes (free text). */
const ALWAYS_QUOTED = new Set(['--comment', '--log-prefix', '--nflog-prefix', '--string']);

function printOption(parts: string[], o: Option): void {
  const always = ALWAYS_QUOTED.has(o.name);
  let s = o.negated ? `! ${o.name}` : o.name;
  for (const v of o.values) s += ' ' + quote(v, always);
  parts.push(s);
}

/** Quotes a value when it would not read back as one word (spaces, quotes, a leading dash, empty). */
export function quote(v: string, always: boolean): string {
  if (!always && v.length > 0 && !/[\s"'\\]/.test(v) && v[0] !== '-' && v !== '!') return v;
  return '"' + v.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}
