/**
 * Matches in an `iptables -L` row's extension text introduced by a fixed title:
 * `multiport dports …`, `statistic mode …`, `mark match …`, `ADDRTYPE match …`,
 * `PHYSDEV match …`, `MAC …`, `source IP range …`, `limit: avg …`,
 * `nfacct-name …`, `recent: …`, `owner …`, `length …`, `PKTTYPE = …`,
 * `socket`, `helper match …`.
 */
import type { Option } from '../../model/netfilter';
import { type ExtCursor, opt, unbang } from './iptables-list-cursor';
import { portNumber } from './iptables-list-names';

/** Matches introduced by a fixed word: multiport, statistic, mark, ADDRTYPE, PHYSDEV, MAC, limit, recent, … */
export function readNamedMatch(c: ExtCursor, push: (m: string, o: Option[]) => void): boolean {
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
