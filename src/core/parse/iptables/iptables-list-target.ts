/**
 * The target half of an `iptables -L` row's extension text: what each target's
 * print function writes (`to:10.244.0.2:53`, `MARK or 0x4000`, `masq ports: …`,
 * `reject-with icmp-port-unreachable`, `LOG flags 0 level 4 prefix "x"`), read
 * back into the options iptables-save prints for it.
 */
import type { Option } from '../../model/netfilter';
import { type ExtCursor, opt } from './iptables-list-cursor';

/** LOG flag bits → iptables-save flags, in the order iptables-save prints them. */
const LOG_FLAGS: readonly [number, string][] = [
  [0x01, '--log-tcp-sequence'], [0x02, '--log-tcp-options'], [0x04, '--log-ip-options'], [0x08, '--log-uid'], [0x20, '--log-macdecode'],
];

const MARK_VERBS: Readonly<Record<string, string>> = { set: '--set-mark', xset: '--set-xmark', or: '--or-mark', and: '--and-mark', xor: '--xor-mark' };

/**
 * Reads one target phrase at the cursor into `out` (options of `target`);
 * false when the words are not something `target` prints.
 */
export function readTargetWords(c: ExtCursor, target: string | undefined, out: Option[]): boolean {
  const w = c.peek();
  if (w === undefined || target === undefined) return false;
  const at = c.i;
  c.i++;
  switch (target) {
    case 'DNAT':
    case 'SNAT':
      if (w.startsWith('to:')) {
        out.push(opt(target === 'DNAT' ? '--to-destination' : '--to-source', [w.slice(3)]));
        return true;
      }
      if (w === 'random' || w === 'persistent' || (w === 'random-fully' && target === 'SNAT')) {
        out.push(opt('--' + w));
        return true;
      }
      break;
    case 'MASQUERADE':
    case 'REDIRECT':
      if ((w === 'masq' || w === 'redir') && c.peek() === 'ports:' && c.peek(1) !== undefined) {
        c.i++;
        out.push(opt('--to-ports', [c.next()]));
        return true;
      }
      if (w === 'redir' && c.peek() === 'ports' && c.peek(1) !== undefined) {
        c.i++;
        out.push(opt('--to-ports', [c.next()]));
        return true;
      }
      if (w === 'random' || (w === 'random-fully' && target === 'MASQUERADE')) {
        out.push(opt('--' + w));
        return true;
      }
      break;
    case 'REJECT':
      if (w === 'reject-with' && c.peek() !== undefined) {
        out.push(opt('--reject-with', [c.next()]));
        return true;
      }
      break;
    case 'MARK':
    case 'CONNMARK':
      if (w === target && c.peek() !== undefined) {
        const verb = c.next();
        if (MARK_VERBS[verb] && c.peek() !== undefined) {
          out.push(opt(MARK_VERBS[verb], [c.next()]));
          return true;
        }
        if (target === 'CONNMARK' && (verb === 'save' || verb === 'restore')) {
          out.push(opt(verb === 'save' ? '--save-mark' : '--restore-mark'));
          while (c.peek() === 'mask' || c.peek() === 'nfmask' || c.peek() === 'ctmask') {
            const k = c.next();
            const v = c.done ? '' : c.next().replace(/^~/, '');
            out.push(opt('--' + k, [v]));
          }
          return true;
        }
      }
      break;
    case 'LOG':
      if (w === 'LOG') {
        let level = '4';
        let prefix = '';
        let flags = 0;
        for (;;) {
          const k = c.peek();
          if (k === 'flags' && c.peek(1) !== undefined) {
            c.i++;
            flags = Number(c.next());
          } else if (k === 'level' && c.peek(1) !== undefined) {
            c.i++;
            level = c.next();
          } else if (k === 'prefix' && c.peek(1) !== undefined) {
            c.i++;
            // Old iptables quotes the prefix as `x'.
            prefix = c.next().replace(/^`(.*)'$/, '$1');
          } else break;
        }
        if (prefix !== '') out.push(opt('--log-prefix', [prefix]));
        // iptables-save leaves out the default level (4, warning).
        if (level !== '4' && level !== 'warning') out.push(opt('--log-level', [level]));
        for (const [bit, name] of LOG_FLAGS) if (flags & bit) out.push(opt(name));
        return true;
      }
      break;
    case 'CT':
      if (w === 'CT') {
        let any = false;
        for (;;) {
          const k = c.peek();
          if (k === 'notrack') {
            c.i++;
            out.push(opt('--notrack'));
          } else if ((k === 'zone' || k === 'helper' || k === 'timeout' || k === 'ctevents' || k === 'expevents') && c.peek(1) !== undefined) {
            c.i++;
            out.push(opt('--' + k, [c.next()]));
          } else break;
          any = true;
        }
        if (any) return true;
      }
      break;
    case 'TCPMSS':
      if (w === 'TCPMSS' && c.peek() === 'clamp' && c.peek(1) === 'to' && c.peek(2) === 'PMTU') {
        c.i += 3;
        out.push(opt('--clamp-mss-to-pmtu'));
        return true;
      }
      if (w === 'TCPMSS' && c.peek() === 'set' && c.peek(1) !== undefined) {
        c.i++;
        out.push(opt('--set-mss', [c.next()]));
        return true;
      }
      break;
    case 'NFQUEUE':
      if (w === 'NFQUEUE' && (c.peek() === 'num' || c.peek() === 'balance') && c.peek(1) !== undefined) {
        const k = c.next();
        out.push(opt(k === 'num' ? '--queue-num' : '--queue-balance', [c.next()]));
        return true;
      }
      if (w === 'bypass') {
        out.push(opt('--queue-bypass'));
        return true;
      }
      break;
    case 'CHECKSUM':
      if (w === 'CHECKSUM' && c.peek() === 'fill') {
        c.i++;
        out.push(opt('--checksum-fill'));
        return true;
      }
      break;
    case 'TPROXY':
      if (w === 'TPROXY' && c.peek() === 'redirect' && c.peek(1) !== undefined) {
        c.i++;
        const dest = c.next();
        const colon = dest.lastIndexOf(':');
        out.push(opt('--on-port', [dest.slice(colon + 1)]));
        out.push(opt('--on-ip', [dest.slice(0, colon)]));
        if (c.peek() === 'mark' && c.peek(1) !== undefined) {
          c.i++;
          out.push(opt('--tproxy-mark', [c.next()]));
        }
        return true;
      }
      break;
  }
  c.i = at;
  return false;
}
