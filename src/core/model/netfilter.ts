/**
 * The netfilter rule model every iptables input format is read into
 * (`iptables-save`, `iptables-restore` input, `iptables -S`, `iptables -L`
 * listings). Its canonical form is the argument vocabulary of `iptables-save`:
 * a listing's `tcp dpt:53` becomes the match `tcp` with option `--dport 53`,
 * exactly as `-p tcp -m tcp --dport 53` would, so the simulator cannot tell the
 * formats apart where the listing carries the information.
 */
import type { Span } from '../source';

/** A value with the `!` that may precede it. */
export interface Negatable<T> {
  negated: boolean;
  value: T;
}

/** One option of a match or target: `--dport 53`, `! --dst-type LOCAL`, `--probability 0.5`. */
export interface Option {
  /** The option name with its dashes, as iptables-save prints it: `--dport`. */
  name: string;
  /** Arguments after the name (`--match-set KUBE-X dst,dst` has two); empty for flags like `--random-fully`. */
  values: string[];
  negated: boolean;
}

/** `-m MODULE [options]` (or the implicit protocol match `-p tcp` implies, when options follow). */
export interface Match {
  /** Module name, lower case: `tcp`, `udp`, `comment`, `statistic`, `mark`, `conntrack`, `addrtype`, `set`, … */
  module: string;
  options: Option[];
  /** Whether the parser knows this module's options (an unknown one is kept, with a warning issue). */
  known: boolean;
  span?: Span;
}

/** `-j TARGET [options]` or `-g CHAIN`. */
export interface Target {
  /** Target or chain name as written: `ACCEPT`, `DNAT`, `KUBE-SVC-ERIFXISQEP7F7OF4`. */
  name: string;
  options: Option[];
  /** `-g` (goto): a RETURN from the chain jumped to returns past this rule's chain. */
  goto: boolean;
  span?: Span;
}

/** Packet and byte counters (`[p:b]`, `-c p b`, or the `pkts bytes` columns of a listing). */
export interface Counters {
  packets: number;
  bytes: number;
}

/**
 * What a listing did not show. `iptables -L` without `-v` has no interface columns;
 * the rule then records that the interfaces are unknown instead of pretending "any".
 */
export type UnknownField = 'inInterface' | 'outInterface' | 'counters' | 'fragment';

/** One rule, in the order it sits in its chain. */
export interface Rule {
  /** 1-based position in its chain (what `--line-numbers` prints). */
  index: number;
  /** `-p` protocol (`tcp`, `udp`, `icmp`, `all`, a number). */
  protocol?: Negatable<string>;
  /** `-s` source, as written (CIDR or address; a listing's resolved host name is kept as written with an issue). */
  source?: Negatable<string>;
  /** `-d` destination, as written. */
  destination?: Negatable<string>;
  /** `-i` in-interface, may end in `+` (prefix wildcard). */
  inInterface?: Negatable<string>;
  /** `-o` out-interface, may end in `+`. */
  outInterface?: Negatable<string>;
  /** `-f` (second and later fragments), possibly negated. */
  fragment?: Negatable<true>;
  /** `-m` matches in order; the simulator evaluates them left to right. */
  matches: Match[];
  /** Absent for a rule with no `-j`/`-g` (it only counts packets). */
  target?: Target;
  counters?: Counters;
  /** Fields the input format could not carry (see UnknownField). */
  unknown?: UnknownField[];
  /** The raw input line. */
  raw: string;
  /** Span of the rule's line in the parsed text. */
  span: Span;
}

/** A chain: built-in (`PREROUTING`, with a policy) or user-defined (`KUBE-SERVICES`, policy undefined). */
export interface Chain {
  name: string;
  /** `ACCEPT` or `DROP` for built-in chains; undefined for user chains (`-`). */
  policy?: string;
  counters?: Counters;
  rules: Rule[];
  /** Where the chain was declared (`:KUBE-SERVICES - [0:0]`, `-N`, or a listing's `Chain X (…)` header). */
  span?: Span;
  /** A listing's `(N references)`. */
  references?: number;
}

/** One table (`filter`, `nat`, `mangle`, `raw`, `security`) with its chains in declaration order. */
export interface Table {
  name: string;
  chains: Map<string, Chain>;
  /** Span of the `*nat` line, or of the first chain header of a listing. */
  span?: Span;
}

/** A whole ruleset: every table a dump held. */
export interface Ruleset {
  tables: Map<string, Table>;
  /** The format it was read from. */
  format: 'iptables-save' | 'iptables-restore' | 'iptables-S' | 'iptables-list';
  /** `iptables-restore` input with `--noflush` semantics (chains mentioned but not flushed): kept for information. */
  partial?: boolean;
}

/** The built-in chains of each table, in the kernel's hook order. */
export const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** Targets that end a chain walk or are built into iptables (everything else is a chain name or an extension target). */
export const BUILTIN_TARGETS: ReadonlySet<string> = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE', 'NFQUEUE']);
