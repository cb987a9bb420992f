/** Ruleset → `iptables-save` text. (Stub: being written.) */
import type { Ruleset } from './iptables-model';

/** Prints a ruleset in iptables-save form (tables, chain declarations, rules, COMMIT). */
export function printIptablesSave(_r: Ruleset): string {
  return '';
}
