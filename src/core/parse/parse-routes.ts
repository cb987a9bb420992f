/** Route tables: `route -n`/`route -e`/`netstat -rn`, `ip route` (all forms), Azure route tables → RouteDump. (Stub: being written.) */
import type { ParseResult } from '../source';
import type { RouteDump } from './route-model';

/** Parses any supported route table format, detected from the content. Never throws. */
export function parseRouteTable(_text: string): ParseResult<RouteDump> {
  return { value: { format: 'ip-route', routes: [] }, issues: [] };
}
