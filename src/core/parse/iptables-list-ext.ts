/**
 * The free-text tail of an `iptables -L` row (`/* default/web *\/ tcp dpt:80`,
 * `statistic mode random probability 0.50000000000`, `to:10.244.0.2:53`) mapped
 * back to the matches and target options iptables-save would print for the same
 * kernel rule. Each extension prints itself in its own words (its `print`
 * function in libxtables); this file reads those words. Anything it cannot read
 * is reported (`iptables-list-unknown-extension`) and the rest of the text is
 * left out of the model, since the words that follow cannot be attributed.
 */
import { type Issue, lineSpan } from '../source';
import type { Match, Option } from './iptables-model';
import { canonicalizeMatch, canonicalizeTarget, tcpFlagNames } from './iptables-canonical';
import { ICMP_TYPES, portNumber } from './iptables-list-names';
import { readTargetWords } from './iptables-list-target';

/** One word of the extension text, with its offsets in the line. */
export interface ExtWord {
  text: string;
  start: number;
  end: number;
  /** `/* … *\/` comment (text is the comment's content). */
  comment: boolean;
}

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

/** Splits extension text into words; comments and double-quoted strings are single words. */
export function splitExtWords(line: string, from: number): ExtWord[] {
  const out: ExtWord[] = [];
  const n = line.length;
  let i = from;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    if (c === 47 /* / */ && line.charCodeAt(i + 1) === 42 /* * */) {
      // A comment may contain `*` and even `*/`; it ends at the last `*/` followed by a space or the end before the next `/*`.
      let close = line.indexOf('*/', i + 2);
      while (close >= 0 && close + 2 < n && line.charCodeAt(close + 2) !== 32 && line.charCodeAt(close + 2) !== 9) close = line.indexOf('*/', close + 1);
      const end = close < 0 ? n : close + 2;
      const body = line.slice(i + 2, close < 0 ? n : close);
      out.push({ text: body.startsWith(' ') ? body.slice(1, body.endsWith(' ') ? -1 : undefined) : body, start, end, comment: true });
      i = end;
      continue;
    }
    if (c === 34 /* " */) {
      const close = line.indexOf('"', i + 1);
      const end = close < 0 ? n : close + 1;
      out.push({ text: line.slice(i + 1, close < 0 ? n : close), start, end, comment: false });
      i = end;
      continue;
    }
    while (i < n && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
    out.push({ text: line.slice(start, i), start, end: i, comment: false });
  }
  return out;
}

/** A cursor over the words, shared by the match and target readers. */
export class ExtCursor {
  i = 0;
  constructor(readonly words: ExtWord[]) {}
  get done(): boolean {
    return this.i >= this.words.length;
  }
  peek(k = 0): string | undefined {
    return this.words[this.i + k]?.text;
  }
  next(): string {
    return this.words[this.i++].text;
  }
  /** Consumes a lone `!` if it is next; returns whether it did. */
  bang(): boolean {
    if (this.peek() === '!') {
      this.i++;
      return true;
    }
    return false;
  }
}

const opt = (name: string, values: string[] = [], negated = false): Option => ({ name, values, negated });

/** Strips a leading `!` glued to a value (`!LOCAL`, `dpt:!53`). */
function unbang(v: string): [string, boolean] {
  return v.startsWith('!') ? [v.slice(1), true] : [v, false];
}

const PROTOCOL_WORDS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp']);
const CT_WORDS = new Set(['ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctorigsrcport', 'ctorigdstport', 'ctreplsrcport', 'ctrepldstport', 'ctstatus', 'ctexpire', 'ctdir']);

/** Reads the extension text of one listing row. Never throws. */
export function parseListExtension(line: string, from: number, ctx: ExtContext, issues: Issue[]): ExtResult {
  const words = splitExtWords(line, from);
  const c = new ExtCursor(words);
  const matches: Match[] = [];
  const targetOptions: Option[] = [];
  const spanOf = (a: number, b: number) => lineSpan(ctx.offset, ctx.line, words[a].start + 1, words[b].end - words[a].start);
  const problem = (code: string, at: number, message: string) => issues.push({ code, severity: 'warning', span: spanOf(at, at), message });

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

type Problem = (code: string, at: number, message: string) => void;

/** Reads one match's words at the cursor into `out`; false when the words are not a match this reader knows. */
function readMatch(c: ExtCursor, out: Match[], problem: Problem): boolean {
  const w = c.words[c.i];
  const push = (module: string, options: Option[]) => out.push({ module, options, known: true });
  if (w.comment) {
    c.i++;
    push('comment', [opt('--comment', [w.text])]);
    return true;
  }
  const word = w.text;
  if (PROTOCOL_WORDS.has(word)) {
    c.i++;
    const options: Option[] = [];
    for (;;) {
      const p = c.peek();
      if (p === undefined) break;
      const m = /^(spts?|dpts?):(!?)(.+)$/.exec(p);
      if (m) {
        c.i++;
        const port = portNumber(m[3]);
        if (port === undefined) problem('iptables-list-unknown-service', c.i - 1, `unknown service name "${m[3]}": kept as written`);
        options.push(opt(m[1].startsWith('s') ? '--sport' : '--dport', [port ?? m[3]], m[2] === '!'));
        continue;
      }
      const f = /^flags:(!?)(0x[0-9a-fA-F]+)\/(0x[0-9a-fA-F]+)$/.exec(p);
      if (f) {
        c.i++;
        options.push(opt('--tcp-flags', [tcpFlagNames(parseInt(f[2], 16)), tcpFlagNames(parseInt(f[3], 16))], f[1] === '!'));
        continue;
      }
      const o = /^option=(!?)(\d+)$/.exec(p);
      if (o) {
        c.i++;
        options.push(opt('--tcp-option', [o[2]], o[1] === '!'));
        continue;
      }
      break;
    }
    push(word, options);
    return true;
  }
  if (word === 'icmp' || word === 'icmptype' || word === '!icmptype') return readIcmp(c, push, problem);
  const negated = word === '!' ? (c.i++, true) : false;
  const next = c.peek();
  if (next === undefined) return false;
  if (CT_WORDS.has(next)) {
    // Consecutive ct* words come from one conntrack match; a repeated word starts another.
    const options: Option[] = [];
    let neg = negated;
    for (;;) {
      const k = c.peek();
      const k2 = c.peek(1);
      if (k !== undefined && CT_WORDS.has(k) && k2 !== undefined && !options.some((o) => o.name === '--' + k)) {
        c.i += 2;
        options.push(opt('--' + k, [k2], neg));
      } else if (k === '!' && k2 !== undefined && CT_WORDS.has(k2) && !options.some((o) => o.name === '--' + k2)) {
        c.i++;
        neg = true;
        continue;
      } else break;
      neg = false;
    }
    push('conntrack', options);
    return true;
  }
  if (next === 'state' && c.peek(1) !== undefined) {
    c.i += 2;
    push('state', [opt('--state', [c.words[c.i - 1].text], negated)]);
    return true;
  }
  if (next === 'match-set' && c.peek(2) !== undefined) {
    c.i++;
    const name = c.next();
    const flags = c.next();
    const options = [opt('--match-set', [name, flags], negated)];
    for (;;) {
      const neg = c.peek() === '!' && /^(update-counters|update-subcounters|packets-|bytes-)/.test(c.peek(1) ?? '');
      const k = c.peek(neg ? 1 : 0);
      if (k === 'return-nomatch' || k === 'update-counters' || k === 'update-subcounters') {
        c.i += neg ? 2 : 1;
        options.push(opt('--' + k, [], neg));
      } else if (k && /^(packets|bytes)-(eq|lt|gt)$/.test(k) && c.peek(neg ? 2 : 1) !== undefined) {
        c.i += neg ? 2 : 1;
        options.push(opt('--' + k, [c.next()], neg));
      } else break;
    }
    push('set', options);
    return true;
  }
  if (negated) c.i--;
  return readNamedMatch(c, push);
}

/** `icmp echo-request`, `icmp !type 8 code 0`, `icmptype 8` → `-m icmp --icmp-type 8[/0]`. */
function readIcmp(c: ExtCursor, push: (m: string, o: Option[]) => void, problem: Problem): boolean {
  let w = c.next();
  let negated = false;
  if (w === 'icmp') {
    if (c.bang()) negated = true;
    const p = c.peek();
    if (p === undefined) return false;
    if (p === 'type' || p === '!type' || p === 'icmptype') {
      negated ||= p.startsWith('!');
      c.i++;
      w = 'icmptype';
    } else {
      c.i++;
      const [name, neg] = unbang(p);
      const v = ICMP_TYPES[name] ?? (/^\d+(\/\d+)?$/.test(name) ? name : undefined);
      if (v === undefined) problem('iptables-list-unknown-icmp-type', c.i - 1, `unknown ICMP type "${name}": kept as written`);
      push('icmp', [opt('--icmp-type', [v ?? name], negated || neg)]);
      return true;
    }
  } else if (w.startsWith('!')) negated = true;
  const type = c.peek();
  if (type === undefined || !/^\d+$/.test(type)) return false;
  c.i++;
  let value = type;
  if (c.peek() === 'code' && c.peek(1) !== undefined) {
    c.i++;
    value += '/' + c.next();
  } else if (c.peek() === 'codes' && c.peek(1) !== undefined) {
    c.i++;
    value += '/' + c.next();
  }
  push('icmp', [opt('--icmp-type', [value], negated)]);
  return true;
}

/** Matches introduced by a fixed word: multiport, statistic, mark, ADDRTYPE, PHYSDEV, MAC, limit, recent, … */
function readNamedMatch(c: ExtCursor, push: (m: string, o: Option[]) => void): boolean {
  const w = c.peek()!;
  const at = c.i;
  c.i++;
  switch (w) {
    case 'multiport': {
      const kind = c.next();
      if (!['dports', 'sports', 'ports'].includes(kind) || c.done) break;
      const neg = c.bang();
      const [raw, n2] = unbang(c.done ? '' : c.next());
      const list = raw.split(',').map((p) => portNumber(p) ?? p).join(',');
      push('multiport', [opt('--' + kind, [list], neg || n2)]);
      return true;
    }
    case 'statistic': {
      if (c.next() !== 'mode') break;
      const mode = c.done ? '' : c.next();
      const neg = c.bang();
      const options = [opt('--mode', [mode])];
      if (mode === 'random' && c.peek() === 'probability' && c.peek(1) !== undefined) {
        c.i++;
        options.push(opt('--probability', [c.next()], neg));
      } else if (mode === 'nth' && c.peek() === 'every' && c.peek(1) !== undefined) {
        c.i++;
        options.push(opt('--every', [c.next()], neg));
        // iptables -L omits `packet 0`; iptables-save always prints it.
        let packet = '0';
        if (c.peek() === 'packet' && c.peek(1) !== undefined) {
          c.i++;
          packet = c.next();
        }
        options.push(opt('--packet', [packet]));
      } else break;
      push('statistic', options);
      return true;
    }
    case 'mark':
    case 'connmark': {
      if (c.next() !== 'match' || c.done) break;
      let neg = c.bang();
      const [v, n2] = unbang(c.next());
      neg ||= n2;
      push(w, [opt('--mark', [v], neg)]);
      return true;
    }
    case 'ADDRTYPE': {
      if (c.next() !== 'match') break;
      const options: Option[] = [];
      for (;;) {
        const neg = c.peek() === '!';
        const k = c.peek(neg ? 1 : 0);
        if ((k === 'src-type' || k === 'dst-type') && c.peek(neg ? 2 : 1) !== undefined) {
          c.i += neg ? 2 : 1;
          const [v, n2] = unbang(c.next());
          options.push(opt('--' + k, [v], neg || n2));
        } else if (k === 'limit-in' || k === 'limit-out') {
          c.i++;
          options.push(opt(k === 'limit-in' ? '--limit-iface-in' : '--limit-iface-out'));
        } else break;
      }
      if (options.length === 0) break;
      push('addrtype', options);
      return true;
    }
    case 'PHYSDEV': {
      if (c.next() !== 'match') break;
      const options: Option[] = [];
      for (;;) {
        const neg = c.peek() === '!';
        const k = c.peek(neg ? 1 : 0);
        if (k === '--physdev-in' || k === '--physdev-out') {
          if (c.peek(neg ? 2 : 1) === undefined) break;
          c.i += neg ? 2 : 1;
          options.push(opt(k, [c.next()], neg));
        } else if (k === '--physdev-is-in' || k === '--physdev-is-out' || k === '--physdev-is-bridged') {
          c.i += neg ? 2 : 1;
          options.push(opt(k, [], neg));
        } else break;
      }
      if (options.length === 0) break;
      push('physdev', options);
      return true;
    }
    case 'MAC': {
      if (c.done) break;
      let neg = c.bang();
      const [v, n2] = unbang(c.next());
      neg ||= n2;
      push('mac', [opt('--mac-source', [v], neg)]);
      return true;
    }
    case 'source':
    case 'destination': {
      if (c.next() !== 'IP' || c.next() !== 'range' || c.done) break;
      const options: Option[] = [];
      let neg = c.bang();
      options.push(opt(w === 'source' ? '--src-range' : '--dst-range', [c.next()], neg));
      if (w === 'source' && c.peek() === 'destination' && c.peek(1) === 'IP' && c.peek(2) === 'range') {
        c.i += 3;
        neg = c.bang();
        if (!c.done) options.push(opt('--dst-range', [c.next()], neg));
      }
      push('iprange', options);
      return true;
    }
    case 'limit:': {
      const how = c.next();
      if (how === 'up' && c.peek() === 'to') c.i++;
      else if (how !== 'avg') break;
      if (c.done) break;
      const options = [opt('--limit', [c.next()])];
      if (c.peek() === 'burst' && c.peek(1) !== undefined) {
        c.i++;
        const burst = c.next();
        // iptables-save leaves out the default burst of 5.
        if (burst !== '5') options.push(opt('--limit-burst', [burst]));
      }
      push('limit', options);
      return true;
    }
    case 'nfacct-name':
      if (c.done) break;
      push('nfacct', [opt('--nfacct-name', [c.next()])]);
      return true;
    case 'recent:':
      return readRecent(c, push, false);
    case 'owner':
      return readOwner(c, push, false);
    case 'length': {
      if (c.done) break;
      const [v, neg] = unbang(c.next());
      push('length', [opt('--length', [v], neg)]);
      return true;
    }
    case 'PKTTYPE': {
      const op = c.next();
      if ((op !== '=' && op !== '!=') || c.done) break;
      push('pkttype', [opt('--pkt-type', [c.next()], op === '!=')]);
      return true;
    }
    case 'socket': {
      const options: Option[] = [];
      while (c.peek() === '--transparent' || c.peek() === '--nowildcard' || c.peek() === '--restore-skmark') options.push(opt(c.next()));
      push('socket', options);
      return true;
    }
    case 'helper': {
      if (c.next() !== 'match' || c.done) break;
      const neg = c.bang();
      push('helper', [opt('--helper', [c.next()], neg)]);
      return true;
    }
  }
  c.i = at;
  if (w === '!' && c.peek(1) === 'recent:') {
    c.i += 2;
    return readRecent(c, push, true);
  }
  if (w === '!' && c.peek(1) === 'owner') {
    c.i += 2;
    return readOwner(c, push, true);
  }
  return false;
}

/** `recent: CHECK seconds: 60 reap name: X side: source mask: 255.255.255.255`. */
function readRecent(c: ExtCursor, push: (m: string, o: Option[]) => void, negated: boolean): boolean {
  const options: Option[] = [];
  const CMD: Record<string, string> = { SET: '--set', CHECK: '--rcheck', UPDATE: '--update', REMOVE: '--remove' };
  for (;;) {
    const k = c.peek();
    if (k === undefined) break;
    if (CMD[k]) {
      c.i++;
      options.push(opt(CMD[k], [], negated));
    } else if ((k === 'seconds:' || k === 'hit_count:' || k === 'name:' || k === 'mask:') && c.peek(1) !== undefined) {
      c.i++;
      const name = k === 'hit_count:' ? '--hitcount' : '--' + k.slice(0, -1);
      options.push(opt(name, [c.next()]));
    } else if (k === 'reap') {
      c.i++;
      options.push(opt('--reap'));
    } else if (k === 'TTL-Match') {
      c.i++;
      options.push(opt('--rttl'));
    } else if (k === 'side:' && c.peek(1) !== undefined) {
      c.i++;
      options.push(opt(c.next() === 'dest' ? '--rdest' : '--rsource'));
    } else break;
  }
  if (options.length === 0) return false;
  push('recent', options);
  return true;
}

/** `owner UID match 0`, `owner GID match 10`, `owner socket exists`, `incl. suppl. groups`. */
function readOwner(c: ExtCursor, push: (m: string, o: Option[]) => void, negated: boolean): boolean {
  const options: Option[] = [];
  for (;;) {
    const k = c.peek();
    const neg = negated || k === '!';
    const j = k === '!' ? 1 : 0;
    const k0 = c.peek(j);
    if ((k0 === 'UID' || k0 === 'GID') && c.peek(j + 1) === 'match' && c.peek(j + 2) !== undefined) {
      c.i += j + 2;
      options.push(opt(k0 === 'UID' ? '--uid-owner' : '--gid-owner', [c.next()], neg));
    } else if (k0 === 'socket' && c.peek(j + 1) === 'exists') {
      c.i += j + 2;
      options.push(opt('--socket-exists', [], neg));
    } else if (k0 === 'incl.' && c.peek(j + 1) === 'suppl.' && c.peek(j + 2) === 'groups') {
      c.i += j + 3;
      options.push(opt('--suppl-groups'));
    } else break;
    if (c.peek() === 'owner') c.i++;
  }
  if (options.length === 0) return false;
  push('owner', options);
  return true;
}
