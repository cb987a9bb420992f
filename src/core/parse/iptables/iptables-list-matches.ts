/**
 * Matches in an `iptables -L` row's extension text that start with their own
 * data rather than a fixed title: comments, `tcp dpt:53`, `ctstate NEW`,
 * `state …`, `match-set NAME dst,dst`, `icmp …`. Each is read into the options
 * iptables-save prints for it.
 */
import type { Match, Option } from '../../model/netfilter';
import { tcpFlagNames } from './iptables-canonical';
import { type ExtCursor, opt, unbang } from './iptables-list-cursor';
import { ICMP_TYPES, portNumber } from './iptables-list-names';
import { readNamedMatch } from './iptables-list-named';

const PROTOCOL_WORDS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp']);
const CT_WORDS = new Set(['ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctorigsrcport', 'ctorigdstport', 'ctreplsrcport', 'ctrepldstport', 'ctstatus', 'ctexpire', 'ctdir']);

/** Reports a problem at word `at` (index into the cursor's words). */
export type Problem = (code: string, at: number, message: string) => void;

/** Reads one match's words at the cursor into `out`; false when the words are not a match this reader knows. */
export function readMatch(c: ExtCursor, out: Match[], problem: Problem): boolean {
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
    if (options.length === 0) {
      // A ct* word with no value (a cut line): leave it to the caller to report, unconsumed.
      if (negated) c.i--;
      return false;
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
