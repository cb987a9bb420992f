/**
 * A paste often holds the output of several commands, each after its prompt
 * (`# ip a` … `# ip route` … `# iptables -S`). A parser reads the sections
 * whose command prints its format (or whose command is unknown) and leaves the
 * others to their own parsers, saying so with one info issue per section.
 */
import { type Issue, type SourceLine, splitLines } from '../../source';
import { type FormatName, formatOfCommand } from './detect';
import { contentLines, classifyPasted } from './pasted';

/**
 * Lines a parser should read: content and blank lines of the sections it accepts.
 * `commands`, when given, receives the prompt command each returned line follows
 * (by line number), for formats whose output depends on it (`ip route show table 101`).
 */
export function linesFor(text: string, accepts: readonly FormatName[], issues: Issue[], commands?: Map<number, string>): SourceLine[] {
  const all = splitLines(text);
  const out: SourceLine[] = [];
  let skipping: { command: string; format: string; first?: SourceLine; last?: SourceLine } | undefined;
  let command: string | undefined;
  const flush = () => {
    if (skipping?.first && skipping.last) {
      const a = skipping.first;
      const b = skipping.last;
      issues.push({
        code: 'pasted-other-output', severity: 'info',
        span: { start: a.offset, end: b.offset + b.text.length, line: a.line, column: 1, endLine: b.line, endColumn: b.text.length + 1 },
        message: `output of \`${skipping.command}\` (${skipping.format}) left to its own parser`,
      });
    }
    skipping = undefined;
  };
  for (const l of all) {
    const c = classifyPasted(l.text);
    if (c.kind === 'prompt') {
      flush();
      command = c.prompt!.command;
      const f = formatOfCommand(command);
      if (f !== undefined && !(accepts as readonly string[]).includes(f)) skipping = { command: c.prompt!.command, format: f };
      contentLines([l], issues);
      continue;
    }
    if (skipping) {
      if (c.kind === 'content') {
        skipping.first ??= l;
        skipping.last = l;
      }
      continue;
    }
    // No format read through here has content starting with `#`: such a line is a note
    // the person pasting wrote (or a prompt with an unknown command), not output.
    if (c.kind === 'content' && /^\s*#/.test(l.text)) continue;
    const kept = contentLines([l], issues);
    if (command !== undefined && kept.length) commands?.set(l.line, command);
    out.push(...kept);
  }
  flush();
  return out;
}
