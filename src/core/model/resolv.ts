/** resolv.conf(5), as glibc reads it. */
import type { Span } from '../source';

/** A pod's (or host's) resolver configuration. */
export interface ResolvConf {
  /** `nameserver` lines in order (glibc uses at most 3). IPv6 servers are kept as text. */
  nameservers: { address: string; span: Span }[];
  /** The search list in force: the last `search` or `domain` line wins, as in glibc. */
  search: string[];
  /** Span of the line that set the search list. */
  searchSpan?: Span;
  /** `domain` when given (glibc: the last of `domain`/`search` wins). */
  domain?: string;
  options: ResolvOptions;
  /** Spans of each `options` token, by option name, for hovers and diagnostics. */
  optionSpans: Record<string, Span>;
}

/** `options …` values, with glibc's defaults applied. */
export interface ResolvOptions {
  /** Default 1; capped at 15 by glibc. */
  ndots: number;
  /** Seconds; default 5; capped at 30. */
  timeout: number;
  /** Default 2; capped at 5. */
  attempts: number;
  rotate: boolean;
  singleRequest: boolean;
  singleRequestReopen: boolean;
  useVc: boolean;
  noAaaa: boolean;
  edns0: boolean;
  trustAd: boolean;
  /** Options the parser did not recognise, kept verbatim. */
  other: string[];
}

/** glibc's defaults when resolv.conf says nothing. */
export const DEFAULT_RESOLV_OPTIONS: Readonly<ResolvOptions> = Object.freeze({
  ndots: 1, timeout: 5, attempts: 2, rotate: false, singleRequest: false, singleRequestReopen: false,
  useVc: false, noAaaa: false, edns0: false, trustAd: false, other: [] as string[],
});
