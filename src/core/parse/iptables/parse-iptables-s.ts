/**
 * `iptables -S [-t TABLE] [CHAIN]` output → Ruleset: `-P CHAIN POLICY`,
 * `-N CHAIN`, `-A CHAIN spec…` (with `-c P B` under `-v`). The output does not
 * name its table, so the caller says which (default `filter`); when the text is a
 * terminal paste, a prompt line such as `# iptables -t nat -S` switches the table.
 */
import { type Issue, type ParseResult, lineSpan } from '../../source';
import type { Ruleset, Table } from '../../model/netfilter';
import { RulesetBuilder } from './iptables-commands';
import { resetRuleSpecCaches } from './iptables-shared';
import { newArgTokens, tokenizeArgs } from './iptables-tokenize';
import { checkTargets } from './parse-iptables-save';
import { forEachLine } from '../text/lines';
import { classifyPasted } from '../text/pasted';

/** Parses `iptables -S` text; `table` names the table when the dump does not (default `filter`). Never throws. */
export function parseIptablesS(text: string, opts: { table?: string } = {}): ParseResult<Ruleset> {
  const issues: Issue[] = [];
  resetRuleSpecCaches();
  const b = new RulesetBuilder('iptables-S', issues);
  // `iptables -S CHAIN` prints `-A CHAIN …` without a `-N CHAIN` line.
  b.autoCreate = true;
  const t = newArgTokens();
  let table: Table | undefined;
  let tableName = opts.table ?? 'filter';

  forEachLine(text, (line, lineNo, offset) => {
    const whole = () => lineSpan(offset, lineNo, 1, line.length);
    const first = line.charCodeAt(0);
    if (first === 45 /* - */) {
      tokenizeArgs(line, 0, t);
      if (t.unclosedQuote >= 0) {
        issues.push({ code: 'iptables-unbalanced-quote', severity: 'error', span: lineSpan(offset, lineNo, t.unclosedQuote + 1, line.length - t.unclosedQuote), message: 'quote never closed' });
      }
      if (!RulesetBuilder.isCommand(t.text[0])) {
        issues.push({ code: 'iptables-unknown-command', severity: 'error', span: lineSpan(offset, lineNo, 1, t.end[0]), message: `unknown command ${t.text[0]}` });
        return;
      }
      table ??= b.table(tableName, whole());
      b.apply(table, line, t, 0, { offset, line: lineNo }, whole());
      return;
    }
    const c = classifyPasted(line);
    if (c.kind === 'blank') return;
    if (c.kind === 'prompt') {
      issues.push({ code: 'pasted-prompt', severity: 'info', span: whole(), message: `shell prompt skipped: ${c.prompt!.command}` });
      const m = /(?:^|\s)(?:-t|--table)\s*(\w+)/.exec(c.prompt!.command);
      if (m && m[1] !== tableName) {
        tableName = m[1];
        table = undefined;
      } else if (!m && /^(?:sudo\s+)?iptables\b/.test(c.prompt!.command) && tableName !== 'filter') {
        tableName = 'filter';
        table = undefined;
      }
      return;
    }
    if (c.kind === 'elision') {
      issues.push({ code: 'pasted-elision', severity: 'info', span: whole(), message: 'elided lines ("...") skipped: what they held is unknown' });
      return;
    }
    issues.push({ code: 'iptables-unexpected-line', severity: 'error', span: whole(), message: 'not an iptables -S line: ignored' });
  });

  b.finish('warning');
  checkTargets(b.ruleset, issues, false);
  // The caches only speed up one parse; dropping them lets the garbage collector reclaim their keys.
  resetRuleSpecCaches();
  return { value: b.ruleset, issues };
}
