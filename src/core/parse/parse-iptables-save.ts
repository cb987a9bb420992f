/** `iptables-save` output and `iptables-restore` input → Ruleset. (Stub: being written.) */
import type { ParseResult } from '../source';
import type { Ruleset } from './iptables-model';

/** Parses iptables-save / iptables-restore text. Never throws. */
export function parseIptablesSave(_text: string): ParseResult<Ruleset> {
  return { value: { tables: new Map(), format: 'iptables-save' }, issues: [] };
}
