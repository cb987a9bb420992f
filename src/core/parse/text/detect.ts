/**
 * Format detection for pasted command output: which command printed this text?
 * Decided by the first line that only one format could have printed (skipping
 * shell prompts, `...` elisions and blank lines), so a paste that holds several
 * commands' output is named after its first one; the prompt's command decides
 * when no line is conclusive.
 */
import { splitLines } from '../../source';
import { classifyPasted } from './pasted';

/** Every input format the project reads, by its `--format` name. */
export type FormatName =
  | 'iptables-save' | 'iptables-list' | 'iptables-S'
  | 'route-n' | 'ip-route' | 'azure-route-table' | 'ip-rule'
  | 'ip-addr' | 'ifconfig' | 'ip-link' | 'ip-neigh' | 'bridge-fdb' | 'resolv-conf' | 'kubectl' | 'ipvsadm' | 'ipset' | 'nft-ruleset' | 'corefile' | 'topology'
  /** Kubernetes objects: `kubectl get … -o yaml|json` (a List), one object, or multi-document manifests. */
  | 'kubernetes';

/** All format names, for `--format` validation and tests. */
export const FORMAT_NAMES: readonly FormatName[] = [
  'iptables-save', 'iptables-list', 'iptables-S', 'route-n', 'ip-route', 'azure-route-table', 'ip-rule',
  'ip-addr', 'ifconfig', 'ip-link', 'ip-neigh', 'bridge-fdb', 'resolv-conf', 'kubectl', 'ipvsadm', 'ipset', 'nft-ruleset', 'corefile', 'topology', 'kubernetes',
];

/** ip-route(8) route types, which may start an `ip route` line. */
const ROUTE_TYPE = '(?:unicast|local|broadcast|multicast|anycast|blackhole|unreachable|prohibit|throw|nat)';
const DST = '(?:default|\\d{1,3}(?:\\.\\d{1,3}){3}(?:/\\d{1,2})?|[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:]*(?:/\\d{1,3})?)';
/** A route line: a typed destination (`blackhole 10.0.0.0/8`), or a destination followed by an ip-route keyword (a bare prefix is not enough). */
const IP_ROUTE_LINE = new RegExp(
  `^(?:${ROUTE_TYPE}\\s+${DST}(?:\\s.*)?|${DST}\\s+(?:dev|via|proto|scope|src|metric|table|onlink|nexthop|mtu|pref|linkdown|expires|uid)\\b.*)\\s*$`,
);

const NUD = '(?:PERMANENT|NOARP|REACHABLE|STALE|DELAY|PROBE|INCOMPLETE|FAILED|NONE)';
/**
 * An `ip neigh` line: an address (no prefix length), optionally its device, then
 * `lladdr`, `proxy` or a NUD state. Checked before route lines, which it resembles
 * (`10.244.1.0 dev flannel.1 …`).
 */
const IP_NEIGH_LINE = new RegExp(
  `^(?:\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:.]*)\\s+(?:dev\\s+\\S+\\s+)?(?:lladdr\\s+[0-9a-fA-F:]{17}\\b|proxy\\s*$|(?:router\\s+)?${NUD}\\s*$)`,
);

/** Line signatures, most specific first: a line matching one names the format. */
const SIGNATURES: readonly [RegExp, FormatName][] = [
  [/^\*(?:filter|nat|mangle|raw|security)\s*$/, 'iptables-save'],
  [/^:\S+ (?:\S+) \[\d+:\d+\]\s*$/, 'iptables-save'],
  [/^Chain \S+ \((?:policy \w+|\d+ references?)/, 'iptables-list'],
  [/^-[PNA] \S+/, 'iptables-S'],
  [/^Kernel\s+IP\s+routing\s+table\s*$/, 'route-n'],
  [/^Destination\s+Gateway\s+Genmask\s+Flags/, 'route-n'],
  [/^\s*NAME\s*\|\s*ADDRESS PREFIX\s*\|\s*NEXT HOP/i, 'azure-route-table'],
  [/^AddressPrefix\s+.*NextHopType/, 'azure-route-table'],
  [/^IP\s+Virtual\s+Server\s+version/, 'ipvsadm'],
  [/^Prot\s+LocalAddress:Port/, 'ipvsadm'],
  [/^(?:TCP|UDP|SCTP)\s+\d{1,3}(?:\.\d{1,3}){3}:\d+\s+[a-z]+\b/, 'ipvsadm'],
  [/^Name: \S+\s*$/, 'ipset'],
  [/^(?:add\s+)?table\s+(?:ip|ip6|inet|arp|bridge|netdev)\s+\S+/, 'nft-ruleset'],
  [/^\s*(?:[\w.-]*|\.):\d+(?:\s+[\w.:-]+)*\s*\{\s*$/, 'corefile'],
  [/^\S+\s+Link encap:/, 'ifconfig'],
  [/^\S+: flags=\d+<[^>]*>/, 'ifconfig'],
  [/^\d+: \S+: <[^>]*>/, 'ip-addr'],
  [/^\d+: \S+\s+inet6? \S/, 'ip-addr'],
  [/^\S+\s+(?:UP|DOWN|UNKNOWN|LOWERLAYERDOWN|DORMANT)\s+(?:\d{1,3}(?:\.\d{1,3}){3}\/\d+|[0-9a-f:]+\/\d+)?/, 'ip-addr'],
  [/^\d+:\s+(?:not\s+)?from\s+\S+/, 'ip-rule'],
  // words separated by blanks, so no run of capitals can be split in exponentially many ways
  [/^(?:NAMESPACE\s+)?NAME(?:\s+[A-Z][A-Z()/-]*)+\s*$/, 'kubectl'],
  [/^(?:nameserver|search|domain|options|sortlist)\s+\S/, 'resolv-conf'],
  [IP_NEIGH_LINE, 'ip-neigh'],
  [/^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}\s+(?:dev\s+\S+|vlan\s+\d+|dst\s+\S+|self|master\s+\S+)/, 'bridge-fdb'],
  [IP_ROUTE_LINE, 'ip-route'],
];

/**
 * The format a command line prints (`ip -4 -br addr show eth0` → `ip-addr`,
 * `docker exec node ip route` → `ip-route`); `other` for commands whose output
 * no parser here reads (`arp -n`, `ping`); undefined when the command is not known.
 */
export function formatOfCommand(command: string): FormatName | 'other' | undefined {
  const c = ` ${command} `;
  if (/\biptables(?:-legacy|-nft)?-save\b/.test(c)) return 'iptables-save';
  if (/\biptables\S*\s(?:[^|]*\s)?-[a-zA-Z]*S\b/.test(c)) return 'iptables-S';
  if (/\biptables\S*\s(?:[^|]*\s)?-[a-zA-Z]*L/.test(c)) return 'iptables-list';
  if (/\bip\s+(?:-\S+\s+)*(?:n|ne|nei|neigh|neighbor|neighbour)\b/.test(c)) return 'ip-neigh';
  if (/\bbridge\s+(?:-\S+\s+)*fdb\b/.test(c)) return 'bridge-fdb';
  if (/\bip\s+(?:-\S+\s+)*(?:netns|monitor|maddr|tunnel|xfrm|tcp_metrics|netconf|mroute|ntable)\s*$/.test(c)) return 'other';
  if (/\bip\s+(?:-\S+\s+)*ru(?:l|le)?\b/.test(c)) return 'ip-rule';
  if (/\bip\s+(?:-\S+\s+)*r(?:o|ou|out|oute)?\b/.test(c)) return 'ip-route';
  if (/\bip\s+(?:-\S+\s+)*(?:l|li|lin|link)\b/.test(c)) return 'ip-link';
  if (/\bip\s+(?:-\S+\s+)*(?:a|ad|add|addr|addre|addres|address)\b/.test(c)) return 'ip-addr';
  if (/\s(?:route|netstat\s+-\w*r\w*)(?:\s+-\w+)*\s*$/.test(c)) return 'route-n';
  if (/\bifconfig\b/.test(c)) return 'ifconfig';
  if (/\bresolv\.conf\b/.test(c)) return 'resolv-conf';
  if (/\b(?:kubectl|k)\s+get\b/.test(c)) return /\s-o\s*(?:yaml|json)\b/.test(c) ? 'kubernetes' : 'kubectl';
  if (/\bipvsadm\b/.test(c)) return 'ipvsadm';
  if (/\bipset\b/.test(c)) return 'ipset';
  if (/\bnft\b/.test(c)) return 'nft-ruleset';
  if (/\baz\s+network\s+route-table\b/.test(c)) return 'azure-route-table';
  if (/\s(?:arp|ping|curl|wget|traceroute|tracepath|tcpdump|conntrack|ss|nslookup|dig|host|ethtool|bridge|brctl)\s/.test(c)) return 'other';
  return undefined;
}

/** Lines that belong to a format without being conclusive on their own (continuations, other tools' tables). */
const PART_OF: readonly [RegExp, FormatName | 'other'][] = [
  [/^\s+(?:link\/\S+|inet6?\s+\S+|valid_lft\s|altname\s)/, 'ip-addr'],
  [/^\s+(?:vxlan\s+id|ipip\s|veth\b|bridge_slave\s|bridge\s+forward_delay|dummy\s)/, 'ip-addr'],
  [/^\s+(?:inet (?:addr:)?\d|inet6 (?:addr: )?[0-9a-f:]+|ether\s|UP\s|[RT]X (?:packets|bytes|errors)|collisions:|loop\s+txqueuelen)/, 'ifconfig'],
  [/^COMMIT\s*$/, 'iptables-save'],
  [/^(?:\s*pkts\s+bytes\s+)?target\s+prot\s+opt\s/, 'iptables-list'],
  [/^Address\s+HWtype\s+HWaddress/, 'other'],
];

/**
 * The format a single line belongs to, when the line alone says so; undefined for
 * lines any format could hold (blank, prompts) or no format here prints.
 */
export function lineFormat(text: string): FormatName | 'other' | undefined {
  for (const [re, f] of SIGNATURES) if (re.test(text)) return f;
  for (const [re, f] of PART_OF) if (re.test(text)) return f;
  return undefined;
}

/** A predicate for a parser: does this line belong to a format other than the ones it reads? */
export function otherThan(accepts: readonly FormatName[]): (text: string) => boolean {
  return (text) => {
    const f = lineFormat(text);
    return f !== undefined && !(accepts as readonly string[]).includes(f);
  };
}

/** The format named by the first conclusive line of a text, ignoring pasted noise. */
function detectByLines(text: string): FormatName | undefined {
  let promptFormat: FormatName | undefined;
  for (const l of splitLines(text)) {
    const c = classifyPasted(l.text);
    if (c.kind === 'prompt') {
      const f = formatOfCommand(c.prompt!.command);
      if (promptFormat === undefined && f !== undefined && f !== 'other') promptFormat = f;
      continue;
    }
    if (c.kind !== 'content') continue;
    for (const [re, f] of SIGNATURES) if (re.test(l.text)) return f;
  }
  return promptFormat;
}

/** Guesses the format of pasted text from its content; undefined when nothing fits. */
export function detectFormat(text: string): FormatName | undefined {
  // YAML documents are recognised as a whole: their lines say little on their own.
  if (/^apiVersion:\s*["']?kube-netsim\//m.test(text)) return 'topology';
  if (/^apiVersion:\s*\S+/m.test(text) && /^kind:\s*\S+/m.test(text)) {
    return /^\s+Corefile:\s*\|/m.test(text) ? 'corefile' : 'kubernetes';
  }
  // `kubectl get … -o json`: a JSON object naming its kind and apiVersion near the start
  if (/^\s*\{/.test(text) && /"apiVersion"\s*:/.test(text.slice(0, 4096)) && /"kind"\s*:/.test(text)) return 'kubernetes';
  const f = detectByLines(text);
  return f === 'ip-addr' && isLinkListing(text) ? 'ip-link' : f;
}

/**
 * `ip link` / `ip -d link` prints the same header and `link/…` lines as `ip addr`
 * but no addresses: a listing with `link/` lines and no `inet` line is one,
 * unless a prompt says it is `ip addr` (a device with no address, a Calico veth).
 */
function isLinkListing(text: string): boolean {
  for (const l of splitLines(text)) {
    const c = classifyPasted(l.text);
    if (c.kind === 'prompt' && formatOfCommand(c.prompt!.command) === 'ip-addr') return false;
  }
  return /^\s+link\/\S+/m.test(text) && !/^\s+inet6?\s/m.test(text) && !/\\\s+inet6?\s/.test(text);
}
