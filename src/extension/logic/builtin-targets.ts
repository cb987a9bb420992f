/**
 * What iptables' built-in targets do, for Go to Definition on one: they are
 * defined by the kernel, not in the dump, so the definition is a short page
 * saying what the target does and where iptables-extensions(8) describes it.
 */

/** Target name → what it does (one paragraph, iptables(8)/iptables-extensions(8) terms). */
export const BUILTIN_TARGETS: Readonly<Record<string, string>> = {
  ACCEPT: 'Lets the packet through: it leaves this chain and this table\'s hook, and goes on to the next table or the next step of the route.',
  DROP: 'Discards the packet silently; the sender hears nothing and times out.',
  REJECT: 'Discards the packet and answers the sender with an error (`--reject-with`: ICMP port unreachable by default, or a TCP reset), so the sender fails at once.',
  RETURN: 'Leaves this chain: the packet goes on after the rule that jumped here, or, in a built-in chain, meets the chain\'s policy.',
  DNAT: 'Destination NAT (nat table, PREROUTING and OUTPUT): rewrites the destination to `--to-destination ip[:port]`. Connection tracking remembers it, and replies get the original address back. kube-proxy\'s KUBE-SEP chains use it to send a Service\'s traffic to one endpoint.',
  SNAT: 'Source NAT (nat table, POSTROUTING and INPUT): rewrites the source to `--to-source ip[:port]`; replies are translated back by connection tracking.',
  MASQUERADE: 'Source NAT to the address of the interface the packet leaves by (nat table, POSTROUTING). kube-proxy masquerades packets marked 0x4000 (KUBE-MARK-MASQ) so that replies come back through this node.',
  REDIRECT: 'Destination NAT to this host itself (the incoming interface\'s address, or 127.0.0.1 for local packets), port `--to-ports`.',
  MARK: 'Sets the packet\'s firewall mark (`--set-xmark value/mask`, `--or-mark`, …), which later rules, routing rules (`ip rule fwmark`) and kube-proxy\'s masquerade decision read. The packet goes on to the next rule.',
  CONNMARK: 'Sets or copies the connection\'s mark (`--set-mark`, `--save-mark`, `--restore-mark`); the packet goes on to the next rule.',
  LOG: 'Writes the packet\'s headers to the kernel log (`--log-prefix`); the packet goes on to the next rule.',
  NFLOG: 'Hands the packet to a userspace logger over netlink (`--nflog-group`); the packet goes on to the next rule.',
  NOTRACK: 'Exempts the packet from connection tracking (raw table).',
  CT: 'Sets connection-tracking options for the packet\'s connection (raw table): `--notrack`, a helper, a zone.',
  TCPMSS: 'Rewrites the MSS option of TCP SYN packets (`--clamp-mss-to-pmtu` or `--set-mss`); the packet goes on to the next rule.',
  TPROXY: 'Transparent proxying (mangle table, PREROUTING): delivers the packet to a local socket on `--on-port` without changing it.',
  QUEUE: 'Hands the packet to userspace (NFQUEUE queue 0) for a verdict.',
  NFQUEUE: 'Hands the packet to a userspace program on queue `--queue-num` for a verdict.',
  TRACE: 'Marks the packet so the kernel logs every rule it meets (raw table); for debugging.',
  NETMAP: 'Maps a whole network onto another, address by address (nat table).',
  CLASSIFY: 'Sets the packet\'s traffic-control class (`--set-class`); the packet goes on to the next rule.',
  SET: 'Adds the packet\'s address (or ports) to an ipset, or deletes it (`--add-set`, `--del-set`); the packet goes on to the next rule.',
};

/** The page Go to Definition opens for a built-in target, as Markdown. */
export function builtinTargetPage(name: string): string | undefined {
  const what = BUILTIN_TARGETS[name];
  if (!what) return undefined;
  return `# ${name}\n\nA built-in iptables target: the kernel defines it, so no chain of this dump does.\n\n${what}\n\nSee iptables-extensions(8), section TARGET EXTENSIONS${['ACCEPT', 'DROP', 'RETURN'].includes(name) ? ' (ACCEPT, DROP and RETURN: iptables(8), TARGETS)' : ''}.\n`;
}
