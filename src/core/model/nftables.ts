/**
 * An nftables ruleset as `nft list ruleset` prints it (or `nft -f` reads it):
 * tables of a family, their chains (base chains with a hook and a priority),
 * named sets and maps, and rules made of statements. The nouns are nft(8)'s.
 *
 * Expressions keep `start`/`end` offsets into the parsed text; rules, chains,
 * sets and elements keep a full Span, and every rule its raw text, so a trace
 * step, a hover and a diagnostic can point at the line.
 */
import type { Span } from '../source';

/** The address families a table may belong to. */
export type NftFamily = 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';

/** Offsets of an expression in the parsed text (`end` exclusive). */
export interface NftAt {
  start: number;
  end: number;
}

/** A comparison operator; `==` is what nft means when none is written (`ip daddr 10.0.0.1`). */
export type NftOp = '==' | '!=' | '<' | '>' | '<=' | '>=';

/** A bitwise operator as `nft list` prints it (`and`/`or`/`xor` are read as `&`/`|`/`^`). */
export type NftBitOp = '&' | '|' | '^' | '<<' | '>>';

/**
 * What a rule computes from the packet, or a constant.
 * - `payload`: a header field, `ip saddr`, `tcp dport`, `th dport`, `icmp type`, `ether saddr`;
 * - `meta`: packet metadata, `meta l4proto`, `iifname`, `meta mark`;
 * - `ct`: conntrack, `ct state`, `ct mark`, `ct original ip daddr`;
 * - `fib`: a FIB lookup, `fib daddr . iif type`;
 * - `numgen`: `numgen random mod 2 offset 0`; `hash`: `jhash ip saddr mod 2`, `symhash mod 2`;
 * - `concat`: `ip daddr . meta l4proto . th dport`; `binop`: `meta mark & 0x4000`;
 * - `value`: a constant as written (an address, prefix, range, number, symbol, `"eth*"`);
 * - `list`: a comma list of constants (`established,related`, `syn,ack`);
 * - `setref`: `@name`; `set`: an anonymous set or map `{ … }`;
 * - `other`: recognised but not modelled (`rt`, `socket`, `osf`, `ipsec`, raw `@nh,…` payloads), kept as text.
 */
export type NftExpr =
  | (NftAt & { kind: 'payload'; protocol: string; field: string })
  | (NftAt & { kind: 'meta'; key: string })
  | (NftAt & { kind: 'ct'; key: string; direction?: 'original' | 'reply'; protocol?: string })
  | (NftAt & { kind: 'fib'; flags: string[]; result: string })
  | (NftAt & { kind: 'numgen'; mode: string; modulus: number; offset: number })
  | (NftAt & { kind: 'hash'; fn: 'jhash' | 'symhash'; input?: NftExpr; modulus: number; seed?: string; offset: number })
  | (NftAt & { kind: 'concat'; parts: NftExpr[] })
  | (NftAt & { kind: 'binop'; op: NftBitOp; left: NftExpr; right: NftExpr })
  | (NftAt & { kind: 'value'; text: string; quoted: boolean })
  | (NftAt & { kind: 'list'; items: NftExpr[] })
  | (NftAt & { kind: 'setref'; name: string })
  | (NftAt & { kind: 'set'; elements: NftElement[] })
  | (NftAt & { kind: 'other'; text: string });

/** A verdict: ends a chain (`accept`, `drop`, `reject`, `queue`), moves to another (`jump`, `goto`), or goes on (`continue`, `return`). */
export interface NftVerdict extends NftAt {
  kind: 'accept' | 'drop' | 'reject' | 'queue' | 'continue' | 'return' | 'jump' | 'goto';
  /** `jump`/`goto`: the chain. */
  chain?: string;
  /** `reject with icmp host-prohibited` → `icmp host-prohibited`; `queue num 3 bypass` → `num 3 bypass`. */
  detail?: string;
}

/** An element of a set or map: a key (parts of a concatenation, each as written), its data in a map, and its attributes. */
export interface NftElement extends NftAt {
  /** `172.30.0.41 . tcp . 80` → ['172.30.0.41', 'tcp', '80']; a range or prefix stays one part (`10.0.0.0/8`, `1-100`). */
  key: string[];
  /** A map's data: a verdict (`goto service-…`) or a value (`10.0.0.5`, `10.0.0.1 . 80`). */
  data?: NftVerdict | string[];
  timeout?: string;
  expires?: string;
  comment?: string;
  /** The element's line (the start of its key). */
  line: number;
}

/**
 * What a rule does, statement by statement, in order:
 * - `match`: `LEFT [op] RIGHT`; a set or `@set` on the right is a lookup (`!=` a negated one);
 * - `verdict`; `vmap`: `KEY vmap @m` / `vmap { … }`, the verdict the key maps to;
 * - `nat`: `dnat`/`snat` to an address and port or through a map, `masquerade`, `redirect`;
 * - `set`: `meta mark set …`, `ct mark set …`, `ip daddr set …`;
 * - `dynset`: `update @affinity { ip saddr }` (add/update/delete an element from the packet);
 * - `counter`, `log`, `limit`, `notrack`; `xt`: an iptables-nft match or target nft cannot print natively;
 * - `unknown`: a statement this reader does not know, kept as text (an issue says where).
 */
export type NftStmt =
  | (NftAt & { kind: 'match'; left: NftExpr; op: NftOp; right: NftExpr; /** Written `tcp flags syn / syn,ack`: `left` is then `tcp flags & syn,ack`. */ slash?: boolean })
  | (NftAt & { kind: 'verdict'; verdict: NftVerdict })
  | (NftAt & { kind: 'vmap'; key: NftExpr; map: NftExpr })
  | (NftAt & { kind: 'nat'; type: 'dnat' | 'snat' | 'masquerade' | 'redirect'; family?: string; to?: string; mapKey?: NftExpr; map?: NftExpr; flags: string[] })
  | (NftAt & { kind: 'set'; target: NftExpr; value: NftExpr })
  | (NftAt & { kind: 'dynset'; op: string; set: string; key: NftExpr; timeout?: string })
  | (NftAt & { kind: 'counter'; name?: string; packets?: number; bytes?: number })
  | (NftAt & { kind: 'log'; options: Record<string, string> })
  | (NftAt & { kind: 'limit'; rate: string; over: boolean; burst?: string })
  | (NftAt & { kind: 'notrack' })
  | (NftAt & { kind: 'xt'; type: string; name: string })
  | (NftAt & { kind: 'unknown'; text: string });

/** One rule of a chain: its statements, comment, handle (`-a`), line and raw text. */
export interface NftRule {
  stmts: NftStmt[];
  comment?: string;
  handle?: number;
  span: Span;
  /** The rule as written (without `add rule FAMILY TABLE CHAIN` in command form). */
  text: string;
}

/** A base chain's hook: `type nat hook prerouting priority dstnat; policy accept;`. */
export interface NftHook {
  type: string;
  hook: string;
  device?: string;
  /** The priority as a number (`dstnat` is -100, `srcnat - 10` is 90). */
  priority: number;
  /** The priority as written (`dstnat - 10`). */
  priorityText: string;
  /** `accept` unless the chain says `policy drop`. */
  policy: 'accept' | 'drop';
}

/** A chain; base chains carry their hook. */
export interface NftChain {
  name: string;
  hook?: NftHook;
  rules: NftRule[];
  comment?: string;
  handle?: number;
  span: Span;
}

/** A named set or map (`map` has data: `type … : verdict`). */
export interface NftSet {
  name: string;
  kind: 'set' | 'map';
  /** Key types, one per part of a concatenation: `ipv4_addr . inet_proto . inet_service` → three. Empty with `typeof` (then see `typeofText`). */
  keyType: string[];
  /** A map's data type (`verdict`, `ipv4_addr`, `ipv4_addr . inet_service`). */
  dataType?: string;
  /** `typeof ip daddr . tcp dport` as written. */
  typeofText?: string;
  flags: string[];
  timeout?: string;
  elements: NftElement[];
  comment?: string;
  handle?: number;
  span: Span;
}

/** One nftables table. */
export interface NftTable {
  family: NftFamily;
  name: string;
  chains: Map<string, NftChain>;
  sets: Map<string, NftSet>;
  /** Named stateful objects (`counter cnt { … }`, `quota`, `limit`, `ct helper`, `flowtable`): kind and name. */
  objects: { kind: string; name: string; span: Span }[];
  flags: string[];
  comment?: string;
  handle?: number;
  /** iptables-nft made this table (its `# Warning: … managed by iptables-nft` line, or `xt` expressions in it). */
  iptablesNft: boolean;
  span: Span;
}

/** Every table of a ruleset, keyed `family name` (`ip kube-proxy`), in the order they were first seen. */
export interface NftRuleset {
  tables: Map<string, NftTable>;
}
