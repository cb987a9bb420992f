/**
 * Interface listings: `ip addr` / `ip -o addr` / `ip -br addr` / `ip link` and
 * `ifconfig` (both styles) → InterfaceDump. The form is recognised from the
 * content; other commands' output in the same paste (`ip route` after `ip a`)
 * is left alone with an info issue.
 */
import { type Issue, type ParseResult, issue } from '../../source';
import type { Interface, InterfaceDump } from '../../model/interfaces';
import { type FormatName, lineFormat, otherThan } from '../text/detect';
import { linesFor } from '../text/paste-sections';
import { parseIpAddrLines } from './parse-ip-addr';
import { parseIfconfigLines } from './parse-ifconfig';

/** The interface listing forms, by the FormatName `--format` uses (`ip-link`: `ip [-d] link`, read by the `ip addr` reader). */
export type InterfaceFormat = 'ip-addr' | 'ip-link' | 'ifconfig';

function interfaceFormatOf(text: string): InterfaceFormat {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const f = lineFormat(line);
    if (f === 'ifconfig' || f === 'ip-addr') return f;
  }
  return 'ip-addr';
}

/** Parses `text` as the given listing form. Never throws. */
export function parseInterfacesAs(text: string, format: InterfaceFormat): ParseResult<InterfaceDump> {
  const issues: Issue[] = [];
  const accepts: readonly FormatName[] = format === 'ifconfig' ? ['ifconfig'] : ['ip-addr', 'ip-link'];
  const lines = linesFor(text, accepts, issues);
  const isOther = otherThan(accepts);
  if (format === 'ifconfig') {
    const read = parseIfconfigLines(lines, issues, isOther);
    noteIpv6Only(read, issues);
    return { value: { format, interfaces: read }, issues };
  }
  const interfaces = parseIpAddrLines(lines, issues, isOther);
  noteIpv6Only(interfaces, issues);
  // Name the variant by its first line: `ip -o addr` and `ip -br addr` read the same, print differently.
  const first = lines.find((l) => l.text.trim() !== '' && lineFormat(l.text) === 'ip-addr')?.text ?? '';
  const variant: InterfaceDump['format'] = /^\d+: \S+: </.test(first) || first === '' ? 'ip-addr' : /^\d+:/.test(first) ? 'ip-o-addr' : 'ip-br-addr';
  return { value: { format: variant, interfaces }, issues };
}

/**
 * An `ip -6 addr` (or a v6-only host's listing) gives the simulator no address
 * to route from: say so once, where the first IPv6 address is, rather than
 * reading an empty host in silence. IPv6 beside IPv4 (link-local `fe80::`) is normal.
 */
function noteIpv6Only(interfaces: Interface[], issues: Issue[]): void {
  if (interfaces.some((i) => i.addresses.length > 0)) return;
  const first = interfaces.find((i) => i.addresses6.length > 0)?.addresses6[0];
  if (first) issues.push(issue('addr-ipv6-only', 'info', first.span, 'only IPv6 addresses here: the simulator models IPv4 only, so this host has no address'));
}

/** Parses any supported interface listing, detected from the content. Never throws. */
export function parseInterfaces(text: string): ParseResult<InterfaceDump> {
  return parseInterfacesAs(text, interfaceFormatOf(text));
}
