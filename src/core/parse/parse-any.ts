/** One entry point for every format: parse text as a named (or detected) format. (Stub: being written.) */
import type { Issue } from '../source';
import type { FormatName } from './detect';

/** What `kube-netsim parse` prints: the format, a summary of what was read, and the issues. */
export interface AnyParse {
  format: FormatName | 'unknown';
  /** The parsed value (Ruleset, RouteDump, …), typed by format. */
  value: unknown;
  /** Counts a person checks at a glance: tables, chains, rules, routes, interfaces, … */
  summary: Record<string, unknown>;
  issues: Issue[];
}

/** Parses `text` as `format`, or as the detected format when `format` is `auto`. Never throws. */
export function parseAs(_format: FormatName | 'auto', _text: string): AnyParse {
  return { format: 'unknown', value: undefined, summary: {}, issues: [] };
}
