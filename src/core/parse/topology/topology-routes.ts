/**
 * Routes written as a YAML list (`routes: [{to: 10.244.1.0/24, via: 10.240.0.5},
 * {to: default, via: 10.240.0.1}, {to: 10.0.0.0/8, type: blackhole}]`): each
 * entry becomes an ordinary Route whose span is the entry's flow map in the
 * topology file, so the source of an inline list is the topology file itself.
 */
import type { YAMLSeq, Node } from 'yaml';
import type { Route, RouteDump, RouteType } from '../../model/routes';
import type { RouteSource } from '../../model/topology';
import { ANY, parsePrefix } from '../../net/ipv4';
import { type YamlContext, asMap, report, spanOf } from './topology-yaml';
import { TOPOLOGY_FIELDS } from './topology-fields';

const ROUTE_TYPES: readonly RouteType[] = ['unicast', 'local', 'broadcast', 'multicast', 'anycast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat'];
/** Types that carry no next hop. */
const NO_NEXTHOP: readonly RouteType[] = ['blackhole', 'unreachable', 'prohibit', 'throw'];

function readEntry(ctx: YamlContext, item: Node | null, what: string): Route | undefined {
  const m = asMap(ctx, item, TOPOLOGY_FIELDS.inlineRoute, `${what} route`);
  if (!m) return undefined;
  const to = m.str('to', true);
  if (!to) return undefined;
  let dst = ANY;
  if (to.value !== 'default') {
    const p = parsePrefix(to.value);
    if (!p) {
      report(ctx, to.span, 'topology-bad-cidr', 'error', `"${to.value}" is not a destination (CIDR, address or "default")`);
      return undefined;
    }
    if (p.hostBits) report(ctx, to.span, 'topology-cidr-host-bits', 'warning', `"${to.value}" has host bits set`);
    dst = { addr: p.addr, len: p.len };
  }
  const type = m.oneOf('type', ROUTE_TYPES) ?? 'unicast';
  const via = m.ip('via')?.value;
  const dev = m.str('dev')?.value;
  const src = m.ip('src')?.value;
  const metric = m.int('metric', 0, 0xffffffff) ?? 0;
  const table = m.str('table')?.value ?? 'main';
  if (NO_NEXTHOP.includes(type) && (via !== undefined || dev !== undefined)) {
    report(ctx, m.span, 'topology-bad-route', 'warning', `a ${type} route has no next hop; via/dev are ignored`);
  } else if (!NO_NEXTHOP.includes(type) && via === undefined && dev === undefined) {
    // A bad via was reported already; only a route with no next hop at all is a second problem.
    if (!m.has('via')) report(ctx, m.span, 'topology-bad-route', 'error', 'a route needs "via", "dev" or a type such as blackhole');
    return undefined;
  }
  const span = spanOf(ctx, item);
  const nexthops = NO_NEXTHOP.includes(type) ? [] : [{ via, dev }];
  return {
    table, type, dst, nexthops, src, metric,
    scope: via === undefined && !NO_NEXTHOP.includes(type) ? 'link' : undefined,
    raw: ctx.text.slice(span.start, span.end), span,
  };
}

/** Reads an inline route list; invalid entries are reported and skipped. */
export function readInlineRoutes(ctx: YamlContext, seq: YAMLSeq, what: string): RouteSource {
  const routes: Route[] = [];
  for (const item of seq.items as (Node | null)[]) {
    const r = readEntry(ctx, item, what);
    if (r) routes.push(r);
  }
  const value: RouteDump = { format: 'ip-route', routes };
  return { value, source: { text: ctx.text, placement: { file: ctx.file, firstLine: 1, indent: 0, offset: 0 }, span: spanOf(ctx, seq), inline: true } };
}
