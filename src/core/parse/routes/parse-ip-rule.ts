/**
 * `ip rule [show]` output → PolicyRule[]: the routing policy database
 * (ip-rule(8)), which decides which route table a packet is looked up in.
 * Each line: `PRIORITY:` selector (`[not] from … to … iif … oif … fwmark …`)
 * then an action (`lookup T`, `blackhole`, `unreachable`, `prohibit`, `goto N`, `nop`).
 */
import { type Issue, type ParseResult, issue } from '../../source';
import { type Prefix, parsePrefix } from '../../net/ipv4';
import type { PolicyRule } from '../../model/routes';
import { type Word, wordsOf, trimmedSpan, pushRun } from '../text/line-words';
import { linesFor } from '../text/paste-sections';
import { otherThan } from '../text/detect';

/** Selectors and options that take one value and do not change the model (they narrow or tune the rule). */
const IGNORED_VALUED = new Set(['ipproto', 'sport', 'dport', 'uidrange', 'suppress_prefixlength', 'suppress_ifgroup', 'realms', 'protocol', 'proto', 'l3mdev', 'pref', 'priority', 'preference']);

function prefixOf(w: Word | undefined, issues: Issue[]): Prefix | 'all' | 'v6' | undefined {
  if (!w) return undefined;
  if (w.text === 'all') return 'all';
  if (w.text.includes(':')) return 'v6';
  const p = /^[\d.]+(?:\/\d+)?$/.test(w.text) ? parsePrefix(w.text) : undefined;
  if (!p) { issues.push(issue('ip-rule-bad-prefix', 'error', w.span, `'${w.text}' is not a prefix`)); return undefined; }
  return { addr: p.addr, len: p.len };
}

/** Parses `ip rule [show]` output. Never throws. */
export function parseIpRule(text: string): ParseResult<PolicyRule[]> {
  const issues: Issue[] = [];
  const rules: PolicyRule[] = [];
  const isOther = otherThan(['ip-rule']);
  for (const l of linesFor(text, ['ip-rule'], issues)) {
    if (l.text.trim() === '') continue;
    const ws = wordsOf(l);
    const pm = /^(\d+):$/.exec(ws[0].text);
    if (!pm) {
      const other = isOther(l.text);
      pushRun(issues, issue(other ? 'ip-rule-line-other-format' : 'ip-rule-line-unrecognised', other ? 'info' : 'warning', trimmedSpan(l),
        other ? 'lines of another command\'s output: left to their own parser' : 'not an `ip rule` line (PRIORITY: selector action): not read'));
      continue;
    }
    const rule: Partial<PolicyRule> & { not: boolean } = { priority: Number(pm[1]), not: false, raw: l.text, span: trimmedSpan(l) };
    let bad = false;
    let v6 = false;
    for (let i = 1; i < ws.length && !bad; i++) {
      const k = ws[i].text;
      const v = ws[i + 1];
      switch (k) {
        case 'not': rule.not = true; break;
        case 'from': case 'to': {
          const p = prefixOf(v, issues);
          if (p === undefined) bad = true;
          else if (p === 'v6') v6 = true;
          else if (p !== 'all') rule[k] = p;
          i++;
          break;
        }
        case 'iif': case 'oif':
          if (!v) { bad = true; issues.push(issue('ip-rule-missing-value', 'error', ws[i].span, `\`${k}\` needs a device`)); break; }
          rule[k] = v.text;
          i++;
          if (ws[i + 1]?.text === '[detached]') i++;
          break;
        case 'fwmark': {
          const m = v ? /^(0x[0-9a-fA-F]+|\d+)(?:\/(0x[0-9a-fA-F]+|\d+))?$/.exec(v.text) : null;
          if (!m) { bad = true; issues.push(issue('ip-rule-bad-fwmark', 'error', (v ?? ws[i]).span, 'fwmark needs VALUE[/MASK]')); break; }
          rule.fwmark = { value: Number(m[1]) >>> 0, mask: m[2] !== undefined ? Number(m[2]) >>> 0 : 0xffffffff };
          i++;
          break;
        }
        case 'tos': case 'dsfield':
          if (v && /^(?:0x[0-9a-fA-F]+|\d+)$/.test(v.text)) rule.tos = Number(v.text);
          i++;
          break;
        case 'lookup': case 'table':
          if (!v) { bad = true; issues.push(issue('ip-rule-missing-value', 'error', ws[i].span, '`lookup` needs a table')); break; }
          rule.action = { kind: 'lookup', table: v.text === '254' ? 'main' : v.text === '255' ? 'local' : v.text === '253' ? 'default' : v.text };
          i++;
          break;
        case 'blackhole': case 'unreachable': case 'prohibit': case 'nop':
          rule.action = { kind: k };
          break;
        case 'goto':
          if (!v || !/^\d+$/.test(v.text)) { bad = true; issues.push(issue('ip-rule-missing-value', 'error', (v ?? ws[i]).span, '`goto` needs a priority')); break; }
          rule.action = { kind: 'goto', target: Number(v.text) };
          i++;
          break;
        case '[detached]': case 'all':
          break;
        default:
          if (IGNORED_VALUED.has(k) && v) { i++; break; }
          issues.push(issue('ip-rule-unknown-selector', 'warning', ws[i].span, `unknown rule selector '${k}': skipped`));
      }
    }
    if (bad) continue;
    if (v6) { issues.push(issue('ip-rule-ipv6-skipped', 'info', rule.span!, 'IPv6 rule skipped: the simulator models IPv4 only')); continue; }
    if (!rule.action) { issues.push(issue('ip-rule-no-action', 'error', rule.span!, 'rule without an action (lookup, blackhole, unreachable, prohibit, goto, nop)')); continue; }
    rules.push(rule as PolicyRule);
  }
  return { value: rules, issues };
}
