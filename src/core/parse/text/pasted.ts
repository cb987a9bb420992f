/**
 * Text pasted from a terminal carries more than the command's output: the shell
 * prompt and command line (`# iptables -t nat -L -n -v`, `$ ip route`,
 * `root@node:~# route -n`) and, in write-ups, `...` lines where the author cut
 * lines out. Every line-oriented parser runs its lines through `classifyPasted`
 * first so these are skipped with an info issue instead of being misread.
 */
import { type Issue, type SourceLine, lineSpan } from '../../source';

/** What a pasted line is, before any format-specific parsing. */
export type PastedLineKind = 'content' | 'blank' | 'prompt' | 'elision';

/** The command a prompt line ran, when the line is a prompt (`iptables -t nat -L -n -v`). */
export interface PromptInfo {
  command: string;
}

/**
 * A prompt: optional `user@host:dir`, `[user@host dir]` (RHEL) or busybox `/ `
 * prefix, then `#`, `$`, `%` or `>`, then the command. Group 1 is the prefix,
 * group 2 the prompt character, group 3 the command.
 */
const PROMPT = /^\s*(?:(\[[^\]]*\]|[\w.@:~/-]+ ?)?([#$%>])|(PS) [A-Z]:\\[^>]*>)\s+(\S.*)$/;
/** Commands whose prompt lines we recognise; a `#` line that is not one of these may be a comment of the format itself. */
const KNOWN_COMMANDS = /^(?:\w+=\S*\s+)*(?:sudo\s+)?(?:k|make|iptables(?:-save|-legacy|-nft|-legacy-save|-nft-save)?|ip6?tables|ip|route|netstat|ifconfig|cat|kubectl|az|ipvsadm|ipset|nft|conntrack|docker|crictl|nsenter|ip\s+netns|bridge|brctl|sysctl|grep|sh|bash|arp|ping|curl|wget|traceroute|tracepath|tcpdump|ss|nslookup|dig|ethtool|calicoctl|cilium|echo)\b/;

/** Little words of English prose that no command line of these tools is made of. */
const PROSE_WORDS = new Set(['the', 'of', 'and', 'is', 'are', 'was', 'were', 'a', 'an', 'to', 'in', 'for', 'that', 'this', 'these', 'with', 'as', 'on', 'by', 'it', 'its', 'from', 'not', 'but', 'also', 'which', 'what', 'where', 'when', 'here', 'there', 'be', 'has', 'have', 'had']);

/**
 * A `#` line that reads as a sentence (`# kube-proxy of that era also wrote …`):
 * a comment, not a prompt. A command line has options or few words; a sentence
 * has no `-option`, no pipe, and at least two of English's little words.
 */
export function isProseComment(afterHash: string): boolean {
  const words = afterHash.trim().split(/\s+/);
  if (words.length < 4 || words.some((w) => w.startsWith('-') || w === '|')) return false;
  return words.filter((w) => PROSE_WORDS.has(w.toLowerCase().replace(/[.,;:()]+$/, ''))).length >= 2;
}

/** Classifies one line of pasted text. `#` prompts count only when followed by a known command, since `#` starts comments in several formats. */
export function classifyPasted(text: string): { kind: PastedLineKind; prompt?: PromptInfo } {
  const t = text.trim();
  if (t === '') return { kind: 'blank' };
  if (/^(?:\.{3,}|…|<\.{3}>|\[\.{3}\])$/.test(t)) return { kind: 'elision' };
  const m = PROMPT.exec(text);
  if (m) {
    const command = m[4].trim();
    // `$` starts no line of any format read here, and a `user@host` prefix is never
    // content either: those are prompts whatever the command (shell aliases like
    // `ipt` included). A bare `#` may be a comment, so it needs a known command.
    const sure = m[2] === '$' || m[3] === 'PS' || (m[1] !== undefined && /[@\]/]|^\/ ?$/.test(m[1]));
    if (sure || (KNOWN_COMMANDS.test(command) && !isProseComment(command))) return { kind: 'prompt', prompt: { command } };
  }
  return { kind: 'content' };
}

/**
 * Filters pasted lines: returns the content lines and pushes an info issue for
 * each prompt (`pasted-prompt`) and elision (`pasted-elision`) skipped. Blank
 * lines are returned too (some formats use them as separators) unless `dropBlank`.
 */
export function contentLines(lines: SourceLine[], issues: Issue[], dropBlank = false): SourceLine[] {
  const out: SourceLine[] = [];
  for (const l of lines) {
    const c = classifyPasted(l.text);
    if (c.kind === 'prompt') {
      issues.push({ code: 'pasted-prompt', severity: 'info', span: lineSpan(l.offset, l.line, 1, l.text.length), message: `shell prompt skipped: ${c.prompt!.command}` });
    } else if (c.kind === 'elision') {
      issues.push({ code: 'pasted-elision', severity: 'info', span: lineSpan(l.offset, l.line, 1, l.text.length), message: 'elided lines ("...") skipped: what they held is unknown' });
    } else if (c.kind === 'content' || !dropBlank) {
      out.push(l);
    }
  }
  return out;
}

/**
 * Blanks a leading block of `#` comment lines (not shell prompts) with spaces:
 * a dump often starts with a note on where its lines came from, which is neither
 * command output nor a prompt. Line numbers and offsets are unchanged. The
 * topology loader and `parseAs` both apply it, so `lint` and `parse` agree.
 */
export function maskHeaderComments(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    // a CRLF file's lines end in \r, which a prompt's command pattern does not take
    const l = lines[i].replace(/\r$/, '');
    if (l.trim() === '') continue;
    if (!l.trimStart().startsWith('#') || classifyPasted(l).kind === 'prompt') break;
    lines[i] = lines[i].replace(/[^\r]/g, ' ');
  }
  return lines.join('\n');
}
