/**
 * `ip neigh show` (and `ip neigh show proxy`, `ip neigh show nud all`,
 * `ip -s neigh`) → NeighbourDump: one line per entry,
 * `ADDR [dev DEV] [lladdr LL] [router] [proxy] [extern_learn] [STATE…]`
 * (ip-neighbour(8)). `dev` is left out when the command named one
 * (`ip neigh show dev flannel.1`); that device is then taken from the prompt.
 */
import { type Issue, type ParseResult, issue } from '../../source';
import { parseIPv4 } from '../../net/ipv4';
import type { Neighbour, NeighbourDump, NeighbourState } from '../../model/links';
import { wordsOf, trimmedSpan, pushRun } from '../text/line-words';
import { linesFor } from '../text/paste-sections';
import { otherThan } from '../text/detect';

const STATES = new Set<NeighbourState>(['PERMANENT', 'NOARP', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'INCOMPLETE', 'FAILED', 'NONE']);
/** Flags that say how the entry was made, not where packets go. */
const FLAGS = new Set(['extern_learn', 'managed', 'offload', 'offloaded']);
const ROUTE_WORDS = /\s(?:via|proto|scope|metric|src|table)\s/;
const LLADDR = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/;
const ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*)$/;

/** The device a prompt's command names (`ip neigh show dev flannel.1`). */
function devOfCommand(command: string | undefined): string | undefined {
  return command ? /\sdev\s+(\S+)/.exec(` ${command}`)?.[1] : undefined;
}

/** Parses `ip neigh show` output. Never throws. */
export function parseIpNeigh(text: string): ParseResult<NeighbourDump> {
  const issues: Issue[] = [];
  const neighbours: Neighbour[] = [];
  const isOther = otherThan(['ip-neigh']);
  const commands = new Map<number, string>();
  for (const l of linesFor(text, ['ip-neigh'], issues, commands)) {
    if (l.text.trim() === '') continue;
    const ws = wordsOf(l);
    const span = trimmedSpan(l);
    // A route line also starts with an address (`10.0.0.1 dev eth0 scope link`); its keywords tell it apart.
    if (!ADDRESS.test(ws[0].text) || (isOther(l.text) && ROUTE_WORDS.test(l.text))) {
      const other = isOther(l.text);
      pushRun(issues, issue(other ? 'neigh-line-other-format' : 'neigh-line-unrecognised', other ? 'info' : 'warning', span,
        other ? 'lines of another command\'s output: left to their own parser' : 'not an `ip neigh` line (ADDRESS dev DEVICE lladdr … STATE): not read'));
      continue;
    }
    const address = ws[0].text;
    const ip = address.includes(':') ? undefined : parseIPv4(address);
    if (!address.includes(':') && ip === undefined) {
      issues.push(issue('neigh-bad-address', 'error', ws[0].span, `'${address}' is not an IPv4 address`));
      continue;
    }
    const n: Neighbour = { address, ...(ip !== undefined ? { ip } : {}), router: false, proxy: false, states: [], raw: l.text, span };
    const dev = devOfCommand(commands.get(l.line));
    if (dev) n.dev = dev;
    for (let i = 1; i < ws.length; i++) {
      const k = ws[i].text;
      const v = ws[i + 1];
      if ((k === 'dev' || k === 'lladdr') && v) {
        if (k === 'dev') n.dev = v.text;
        else if (LLADDR.test(v.text)) n.lladdr = v.text.toLowerCase();
        else issues.push(issue('neigh-bad-lladdr', 'error', v.span, `'${v.text}' is not a link-layer address (six hex bytes)`));
        i++;
      } else if (k === 'router') n.router = true;
      else if (k === 'proxy') n.proxy = true;
      else if (STATES.has(k as NeighbourState)) n.states.push(k as NeighbourState);
      else if ((k === 'used' || k === 'probes' || k === 'ref' || k === 'protocol' || k === 'vrf') && v) i++; // `ip -s neigh`: timers and probe counts
      else if (FLAGS.has(k) || /^\d+\/\d+\/\d+$/.test(k)) continue;
      else issues.push(issue('neigh-unknown-word', 'warning', ws[i].span, `'${k}' is not an \`ip neigh\` keyword: ignored`));
    }
    if (n.dev === undefined && !n.proxy) issues.push(issue('neigh-no-device', 'warning', span, `no device for ${address}: the entry cannot be matched to an interface`));
    neighbours.push(n);
  }
  return { value: { neighbours }, issues };
}
