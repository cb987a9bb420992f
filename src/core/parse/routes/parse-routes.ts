/**
 * Route tables in every form the project reads: `route -n`/`route -e`/`netstat -rn`,
 * `ip route` (all forms), Azure route tables → RouteDump. The form is recognised
 * from the content; a paste that also holds other commands' output (`ip addr`
 * before `ip route`) has those lines left alone with an info issue.
 */
import type { Issue, ParseResult } from '../../source';
import type { Route, RouteDump } from '../../model/routes';
import { otherThan, lineFormat } from '../text/detect';
import { linesFor } from '../text/paste-sections';
import { isRouteNHeader, parseRouteNLines } from './parse-route-n';
import { parseIpRouteLines } from './parse-ip-route';
import { isAzCliHeader, isAzurePipeHeader, parseAzCliLines, parseAzurePipeLines } from './parse-azure-route-table';

/** The route table forms, by the FormatName `--format` uses. */
export type RouteFormat = 'route-n' | 'ip-route' | 'azure-route-table';

/** Which form a route paste is in: the first line that only one form prints decides; `ip route` otherwise. */
function routeFormatOf(text: string): RouteFormat {
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (isRouteNHeader(line) || /^\s*Kernel IP routing table/.test(line)) return 'route-n';
    if (isAzurePipeHeader(line) || isAzCliHeader(line)) return 'azure-route-table';
    if (lineFormat(line) === 'ip-route') return 'ip-route';
  }
  return 'ip-route';
}

/**
 * Parses `text` as the given route table form. `table` names the table of an
 * `ip route show table N` listing, whose lines do not say (default `main`).
 * Never throws.
 */
export function parseRouteTableAs(text: string, format: RouteFormat, opts: { table?: string } = {}): ParseResult<RouteDump> {
  const issues: Issue[] = [];
  const accepts = format === 'route-n' ? (['route-n'] as const) : format === 'azure-route-table' ? (['azure-route-table'] as const) : (['ip-route'] as const);
  const commands = new Map<number, string>();
  const lines = linesFor(text, accepts, issues, commands);
  const isOther = otherThan(accepts);
  let routes: Route[] = [];
  let dumpFormat: RouteDump['format'] = format;
  if (format === 'route-n') {
    routes = parseRouteNLines(lines, issues, isOther);
    if (lines.length && /^(?:sudo\s+)?netstat\b/.test(commands.get(lines[0].line) ?? '')) dumpFormat = 'netstat-rn';
  } else if (format === 'azure-route-table') {
    routes = lines.some((l) => isAzCliHeader(l.text)) ? parseAzCliLines(lines, issues, isOther) : parseAzurePipeLines(lines, issues, isOther);
  } else {
    // Each `ip route show table N` section lists table N without saying so on its lines.
    const tableOf = (line: number) => /\btable\s+(\S+)/.exec(commands.get(line) ?? '')?.[1];
    for (let i = 0; i < lines.length;) {
      const t = tableOf(lines[i].line);
      let j = i + 1;
      while (j < lines.length && tableOf(lines[j].line) === t) j++;
      const table = opts.table ?? (t === undefined || t === 'all' ? 'main' : t === '254' ? 'main' : t === '255' ? 'local' : t);
      // a loop, not push(...): a spread of a million routes overflows the call stack
      for (const r of parseIpRouteLines(lines.slice(i, j), issues, table, isOther)) routes.push(r);
      i = j;
    }
    dumpFormat = 'ip-route';
  }
  return { value: { format: dumpFormat, routes }, issues };
}

/** Parses any supported route table format, detected from the content. Never throws. */
export function parseRouteTable(text: string): ParseResult<RouteDump> {
  return parseRouteTableAs(text, routeFormatOf(text));
}
