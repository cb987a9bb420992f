/**
 * `bridge fdb show` (bridge(8)) → FdbDump: one line per forwarding entry,
 * `LLADDR [dev DEV] [vlan N] [dst IP] [port P] [vni V] [via DEV] [self] [master BR] [permanent|static] …`.
 * On a VXLAN device the entries say which VTEP (underlay address) a
 * link-layer address lives behind; `00:00:00:00:00:00 … dst X` is the
 * default entry (unknown and broadcast frames go to every such `dst`).
 * `dev` is left out when the command named one (`bridge fdb show dev flannel.1`).
 */
import { type Issue, type ParseResult, issue } from '../../source';
import { parseIPv4 } from '../../net/ipv4';
import type { FdbDump, FdbEntry } from '../../model/links';
import { wordsOf, trimmedSpan, pushRun } from '../text/line-words';
import { linesFor } from '../text/paste-sections';
import { otherThan } from '../text/detect';

const LLADDR = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/;
/** Flags printed after the entry that change nothing about where a frame goes. */
const FLAGS = new Set(['router', 'extern_learn', 'offload', 'sticky', 'locked', 'blackhole', 'activity_notify', 'inactive']);
/** Keywords with a value that change nothing here (`nhid`, `src_vni`, `-s` counters). */
const VALUED_IGNORED = new Set(['nhid', 'src_vni', 'used', 'updated', 'linkNetNsId']);

const NEEDS_VALUE = new Set(['dev', 'master', 'via', 'dst', 'vlan', 'port', 'vni']);

function devOfCommand(command: string | undefined): string | undefined {
  return command ? /\s(?:dev|br)\s+(\S+)/.exec(` ${command}`)?.[1] : undefined;
}

function portNumber(text: string): number | undefined {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  return n >= 0 && n <= 65535 ? n : undefined;
}

/** Parses `bridge fdb show` output. Never throws. */
export function parseBridgeFdb(text: string): ParseResult<FdbDump> {
  const issues: Issue[] = [];
  const entries: FdbEntry[] = [];
  const isOther = otherThan(['bridge-fdb']);
  const commands = new Map<number, string>();
  for (const l of linesFor(text, ['bridge-fdb'], issues, commands)) {
    if (l.text.trim() === '') continue;
    const ws = wordsOf(l);
    const span = trimmedSpan(l);
    if (!LLADDR.test(ws[0].text)) {
      const other = isOther(l.text);
      pushRun(issues, issue(other ? 'fdb-line-other-format' : 'fdb-line-unrecognised', other ? 'info' : 'warning', span,
        other ? 'lines of another command\'s output: left to their own parser' : 'not a `bridge fdb` line (LLADDR dev DEVICE [dst ADDRESS] …): not read'));
      continue;
    }
    const e: FdbEntry = { lladdr: ws[0].text.toLowerCase(), self: false, permanent: false, flags: [], raw: l.text, span };
    const dev = devOfCommand(commands.get(l.line));
    if (dev) e.dev = dev;
    for (let i = 1; i < ws.length; i++) {
      const k = ws[i].text;
      const v = ws[i + 1];
      if (NEEDS_VALUE.has(k) && !v) {
        issues.push(issue('fdb-missing-value', 'error', ws[i].span, `\`${k}\` needs a value`));
        continue;
      }
      switch (k) {
        case 'dev': case 'master': case 'via':
          e[k] = v.text;
          i++;
          continue;
        case 'dst': {
          e.dstText = v.text;
          const ip = parseIPv4(v.text);
          if (ip !== undefined) e.dst = ip;
          else if (!v.text.includes(':')) issues.push(issue('fdb-bad-address', 'error', v.span, `'${v.text}' is not an IPv4 address`));
          i++;
          continue;
        }
        case 'vlan': case 'port': case 'vni': {
          const n = portNumber(v.text) ?? (k === 'vni' && /^\d+$/.test(v.text) ? Number(v.text) : undefined);
          if (n === undefined) issues.push(issue('fdb-bad-number', 'error', v.span, `'${v.text}' is not a valid ${k}`));
          else e[k] = n;
          i++;
          continue;
        }
        case 'self': e.self = true; continue;
        case 'permanent': case 'static': e.permanent = true; continue;
        default:
          if (FLAGS.has(k)) { e.flags.push(k); continue; }
          if (VALUED_IGNORED.has(k) && v) { i++; continue; }
      }
      issues.push(issue('fdb-unknown-word', 'warning', ws[i].span, `'${k}' is not a \`bridge fdb\` keyword: ignored`));
    }
    if (e.dev === undefined) issues.push(issue('fdb-no-device', 'warning', span, `no device for ${e.lladdr}: the entry cannot be matched to an interface`));
    entries.push(e);
  }
  return { value: { entries }, issues };
}
