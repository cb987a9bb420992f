/** `iptables [-t TABLE] -L [-n] [-v] [-x] [--line-numbers]` listings → Ruleset. (Stub: being written.) */
import type { ParseResult } from '../source';
import type { Ruleset } from './iptables-model';

/** Parses a listing; `table` names the table (a listing does not say; default `filter`). Never throws. */
export function parseIptablesList(_text: string, _opts: { table?: string } = {}): ParseResult<Ruleset> {
  return { value: { tables: new Map(), format: 'iptables-list' }, issues: [] };
}
