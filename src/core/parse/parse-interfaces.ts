/** `ip addr` / `ip -o addr` / `ip -br addr` / `ifconfig` → InterfaceDump. (Stub: being written.) */
import type { ParseResult } from '../source';
import type { InterfaceDump } from './addr-model';

/** Parses any supported interface listing, detected from the content. Never throws. */
export function parseInterfaces(_text: string): ParseResult<InterfaceDump> {
  return { value: { format: 'ip-addr', interfaces: [] }, issues: [] };
}
