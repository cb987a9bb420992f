/**
 * What the parsers know about iptables extensions: each match module's and each
 * target's options and how many values each takes (`--match-set NAME FLAGS`
 * takes two, `--random-fully` none). The argument parser uses this to attach an
 * option to the match that owns it even when the options are interleaved, as in
 * kube-proxy's restore input (`-m tcp -p tcp -d 10.0.0.1 --dport 80`).
 *
 * The list covers every module and target in the project's corpus plus the
 * common ones of iptables-extensions(8); anything else is kept with a warning.
 */

/** Option name (with dashes) → number of values it takes. */
export type OptionArity = Readonly<Record<string, number>>;

const PORTS: OptionArity = { '--sport': 1, '--dport': 1, '--source-port': 1, '--destination-port': 1 };

/** Match modules (`-m NAME`) and their options. */
export const MATCH_MODULES: Readonly<Record<string, OptionArity>> = {
  tcp: { ...PORTS, '--tcp-flags': 2, '--syn': 0, '--tcp-option': 1 },
  udp: PORTS,
  udplite: PORTS,
  sctp: { ...PORTS, '--chunk-types': 2 },
  dccp: { ...PORTS, '--dccp-types': 1, '--dccp-option': 1 },
  icmp: { '--icmp-type': 1 },
  icmp6: { '--icmpv6-type': 1 },
  multiport: { '--dports': 1, '--sports': 1, '--ports': 1, '--destination-ports': 1, '--source-ports': 1 },
  comment: { '--comment': 1 },
  statistic: { '--mode': 1, '--probability': 1, '--every': 1, '--packet': 1 },
  mark: { '--mark': 1 },
  connmark: { '--mark': 1 },
  conntrack: {
    '--ctstate': 1, '--ctproto': 1, '--ctorigsrc': 1, '--ctorigdst': 1, '--ctreplsrc': 1, '--ctrepldst': 1,
    '--ctorigsrcport': 1, '--ctorigdstport': 1, '--ctreplsrcport': 1, '--ctrepldstport': 1,
    '--ctstatus': 1, '--ctexpire': 1, '--ctdir': 1,
  },
  state: { '--state': 1 },
  addrtype: { '--src-type': 1, '--dst-type': 1, '--limit-iface-in': 0, '--limit-iface-out': 0 },
  recent: {
    '--name': 1, '--set': 0, '--rcheck': 0, '--update': 0, '--remove': 0, '--seconds': 1, '--reap': 0,
    '--hitcount': 1, '--rttl': 0, '--rsource': 0, '--rdest': 0, '--mask': 1,
  },
  set: {
    '--match-set': 2, '--set': 2, '--return-nomatch': 0, '--update-counters': 0, '--update-subcounters': 0,
    '--packets-eq': 1, '--packets-lt': 1, '--packets-gt': 1, '--bytes-eq': 1, '--bytes-lt': 1, '--bytes-gt': 1,
  },
  physdev: { '--physdev-in': 1, '--physdev-out': 1, '--physdev-is-in': 0, '--physdev-is-out': 0, '--physdev-is-bridged': 0 },
  mac: { '--mac-source': 1 },
  iprange: { '--src-range': 1, '--dst-range': 1 },
  limit: { '--limit': 1, '--limit-burst': 1 },
  nfacct: { '--nfacct-name': 1 },
  owner: { '--uid-owner': 1, '--gid-owner': 1, '--socket-exists': 0, '--suppl-groups': 0 },
  length: { '--length': 1 },
  pkttype: { '--pkt-type': 1 },
  socket: { '--transparent': 0, '--nowildcard': 0, '--restore-skmark': 0 },
  string: { '--algo': 1, '--from': 1, '--to': 1, '--string': 1, '--hex-string': 1, '--icase': 0 },
  hashlimit: {
    '--hashlimit-upto': 1, '--hashlimit-above': 1, '--hashlimit-burst': 1, '--hashlimit-mode': 1,
    '--hashlimit-srcmask': 1, '--hashlimit-dstmask': 1, '--hashlimit-name': 1, '--hashlimit-htable-size': 1,
    '--hashlimit-htable-max': 1, '--hashlimit-htable-expire': 1, '--hashlimit-htable-gcinterval': 1,
    '--hashlimit': 1, '--hashlimit-rate-match': 0, '--hashlimit-rate-interval': 1,
  },
  helper: { '--helper': 1 },
  tos: { '--tos': 1 },
  dscp: { '--dscp': 1, '--dscp-class': 1 },
  ttl: { '--ttl-eq': 1, '--ttl-gt': 1, '--ttl-lt': 1 },
  u32: { '--u32': 1 },
  connlimit: { '--connlimit-upto': 1, '--connlimit-above': 1, '--connlimit-mask': 1, '--connlimit-saddr': 0, '--connlimit-daddr': 0 },
  connbytes: { '--connbytes': 1, '--connbytes-dir': 1, '--connbytes-mode': 1 },
  policy: { '--dir': 1, '--pol': 1, '--strict': 0, '--reqid': 1, '--spi': 1, '--proto': 1, '--mode': 1, '--tunnel-src': 1, '--tunnel-dst': 1, '--next': 0 },
  rpfilter: { '--loose': 0, '--validmark': 0, '--accept-local': 0, '--invert': 0 },
  devgroup: { '--src-group': 1, '--dst-group': 1 },
  cgroup: { '--path': 1, '--cgroup': 1 },
  bpf: { '--bytecode': 1, '--object-pinned': 1 },
  esp: { '--espspi': 1 },
  ah: { '--ahspi': 1 },
};

/** Targets (`-j NAME`) with options, and those without any. */
export const TARGETS: Readonly<Record<string, OptionArity>> = {
  ACCEPT: {}, DROP: {}, RETURN: {}, QUEUE: {}, NOTRACK: {}, TRACE: {},
  REJECT: { '--reject-with': 1 },
  DNAT: { '--to-destination': 1, '--random': 0, '--persistent': 0 },
  SNAT: { '--to-source': 1, '--random': 0, '--random-fully': 0, '--persistent': 0 },
  MASQUERADE: { '--to-ports': 1, '--random': 0, '--random-fully': 0 },
  REDIRECT: { '--to-ports': 1, '--random': 0 },
  MARK: { '--set-xmark': 1, '--set-mark': 1, '--or-mark': 1, '--and-mark': 1, '--xor-mark': 1 },
  CONNMARK: {
    '--set-xmark': 1, '--set-mark': 1, '--or-mark': 1, '--and-mark': 1, '--xor-mark': 1,
    '--save-mark': 0, '--restore-mark': 0, '--nfmask': 1, '--ctmask': 1, '--mask': 1,
  },
  LOG: {
    '--log-prefix': 1, '--log-level': 1, '--log-tcp-sequence': 0, '--log-tcp-options': 0,
    '--log-ip-options': 0, '--log-uid': 0, '--log-macdecode': 0,
  },
  NFLOG: { '--nflog-group': 1, '--nflog-prefix': 1, '--nflog-range': 1, '--nflog-size': 1, '--nflog-threshold': 1 },
  CT: { '--notrack': 0, '--zone': 1, '--zone-orig': 1, '--zone-reply': 1, '--helper': 1, '--ctevents': 1, '--expevents': 1, '--timeout': 1 },
  TPROXY: { '--on-port': 1, '--on-ip': 1, '--tproxy-mark': 1 },
  NFQUEUE: { '--queue-num': 1, '--queue-balance': 1, '--queue-bypass': 0, '--fail-open': 0, '--queue-cpu-fanout': 0 },
  CHECKSUM: { '--checksum-fill': 0 },
  TCPMSS: { '--set-mss': 1, '--clamp-mss-to-pmtu': 0 },
  CONNSECMARK: { '--save': 0, '--restore': 0 },
  SECMARK: { '--selctx': 1 },
  DSCP: { '--set-dscp': 1, '--set-dscp-class': 1 },
  TOS: { '--set-tos': 1, '--and-tos': 1, '--or-tos': 1, '--xor-tos': 1 },
  TTL: { '--ttl-set': 1, '--ttl-dec': 1, '--ttl-inc': 1 },
  NETMAP: { '--to': 1 },
  SET: { '--add-set': 2, '--del-set': 2, '--exist': 0, '--timeout': 1 },
};

/** Option spellings iptables accepts that iptables-save prints under another name. */
export const OPTION_ALIASES: Readonly<Record<string, string>> = {
  '--source-port': '--sport',
  '--destination-port': '--dport',
  '--source-ports': '--sports',
  '--destination-ports': '--dports',
};

/** Protocol numbers iptables-save prints by name (its built-in table), so `6` and `tcp` read the same. */
export const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  '0': 'all', '1': 'icmp', '6': 'tcp', '17': 'udp', '136': 'udplite', '58': 'icmpv6',
  '50': 'esp', '51': 'ah', '132': 'sctp', '135': 'mh',
};

/** The canonical spelling of a protocol as iptables-save prints it (`6` → `tcp`, `TCP` → `tcp`). */
export function canonicalProtocol(p: string): string {
  const lower = p.toLowerCase();
  return PROTOCOL_NAMES[lower] ?? lower;
}

/** Whether `name` is a target iptables provides (as opposed to a user chain). */
export function isKnownTarget(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(TARGETS, name);
}

/** Whether `name` is a match module the parsers know. */
export function isKnownMatch(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(MATCH_MODULES, name);
}

/** One option as the parser looks it up: its canonical (interned) name and its arity. */
export interface OptionInfo {
  name: string;
  arity: number;
}

/** A match module or target as the parser looks it up: interned name and options by spelling. */
export interface ExtensionInfo {
  name: string;
  options: ReadonlyMap<string, OptionInfo>;
}

function indexTable(table: Readonly<Record<string, OptionArity>>): ReadonlyMap<string, ExtensionInfo> {
  const out = new Map<string, ExtensionInfo>();
  for (const [name, opts] of Object.entries(table)) {
    const options = new Map<string, OptionInfo>();
    for (const [o, arity] of Object.entries(opts)) options.set(o, { name: OPTION_ALIASES[o] ?? o, arity });
    out.set(name, { name, options });
  }
  return out;
}

/**
 * Match modules indexed for the hot path: one Map lookup per word, and the
 * names stored in the model are the table's own strings, shared by every rule.
 */
export const MATCH_INDEX: ReadonlyMap<string, ExtensionInfo> = indexTable(MATCH_MODULES);
/** Targets indexed like MATCH_INDEX. */
export const TARGET_INDEX: ReadonlyMap<string, ExtensionInfo> = indexTable(TARGETS);
