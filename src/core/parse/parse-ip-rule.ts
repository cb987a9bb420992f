/** `ip rule` output → PolicyRule[]. (Stub: being written.) */
import type { ParseResult } from '../source';
import type { PolicyRule } from './route-model';

/** Parses `ip rule [show]` output. Never throws. */
export function parseIpRule(_text: string): ParseResult<PolicyRule[]> {
  return { value: [], issues: [] };
}
