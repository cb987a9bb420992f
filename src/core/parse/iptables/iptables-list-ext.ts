/**
 * The free-text tail of an `iptables -L` row (`/* default/web *\/ tcp dpt:80`,
 * `statistic mode random probability 0.50000000000`, `to:10.244.0.2:53`) mapped
 * back to the matches and target options iptables-save would print for the same
 * kernel rule. Each extension prints itself in its own words (its `print`
 * function in libxtables); this file reads those words. Anything it cannot read
 * is reported (`iptables-list-unknown-extension`) and the rest of the text is
 * left out of the model, since the words that follow cannot be attributed.
 */
import { type Issue, lineSpan } from '../../source';
import type { Match, Option } from '../../model/netfilter';
import { canonicalizeMatch, canonicalizeTarget } from './iptables-canonical';
import { ExtCursor, splitExtWords } from './iptables-list-cursor';
import { readMatch } from './iptables-list-matches';
import { readTargetWords } from './iptables-list-target';

/** Where the row sits and what it jumps to (the target decides what `to:` means). */
export interface ExtContext {
  offset: number;
  line: number;
  target?: string;
}

/** What the extension text said: matches in order, and the target's options. */
export interface ExtResult {
  matches: Match[];
  targetOptions: Option[];
}

/** Reads the extension text of one listing row. Never throws. */
export function parseListExtension(line: string, from: number, ctx: ExtContext, issues: Issue[]): ExtResult {
  const words = splitExtWords(line, from);
  const c = new ExtCursor(words);
  const matches: Match[] = [];
  const targetOptions: Option[] = [];
  const spanOf = (a: number, b: number) => lineSpan(ctx.offset, ctx.line, words[a].start + 1, words[b].end - words[a].start);
  const problem = (code: string, at: number, message: string) => issues.push({ code, severity: 'warning', span: spanOf(at, at), message });
  words.forEach((w, k) => {
    if (w.unclosed) problem('iptables-list-unclosed', k, `${w.comment ? 'comment "/*' : 'quoted text "'} has no closing ${w.comment ? '*/' : 'quote'}: the line may be cut short, and what follows is read as part of it`);
  });

  while (!c.done) {
    const at = c.i;
    const before = matches.length;
    const ok = readMatch(c, matches, problem) || readTargetWords(c, ctx.target, targetOptions);
    if (!ok) {
      c.i = at;
      issues.push({ code: 'iptables-list-unknown-extension', severity: 'warning', span: spanOf(at, words.length - 1), message: `not understood: "${line.slice(words[at].start).trim()}" (left out of the model)` });
      break;
    }
    for (let m = before; m < matches.length; m++) {
      matches[m].span = spanOf(at, c.i - 1);
      canonicalizeMatch(matches[m]);
    }
  }
  const target = { name: ctx.target ?? '', options: targetOptions, goto: false };
  canonicalizeTarget(target);
  return { matches, targetOptions: target.options };
}
