/** `iptables -S [-t TABLE]` output → Ruleset. (Stub: being written.) */
import type { ParseResult } from '../source';
import type { Ruleset } from './iptables-model';

/** Parses `iptables -S` text; `table` names the table when the dump does not (default `filter`). Never throws. */
export function parseIptablesS(_text: string, _opts: { table?: string } = {}): ParseResult<Ruleset> {
  return { value: { tables: new Map(), format: 'iptables-S' }, issues: [] };
}
