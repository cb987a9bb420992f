/**
 * The link-layer sources of a node (`neighbours:` — `ip neigh show`, `fdb:` —
 * `bridge fdb show`) and `spec.network` (which CNI plugin wires the pods that
 * have no dumps). Sources are parsed with their format's own parser; a source
 * that looks like another command's output gets the usual format warning.
 */
import type { Node } from 'yaml';
import { detectFormat } from '../text/detect';
import { parseIpNeigh } from '../neighbours/parse-ip-neigh';
import { parseBridgeFdb } from '../neighbours/parse-bridge-fdb';
import type { FdbDump, NeighbourDump } from '../../model/links';
import type { Parsed, SourceText, TopologyNetwork } from '../../model/topology';
import { type SourceContext, placeIssues, resolveSource } from './topology-sources';
import { guarded } from './topology-guard';
import { type MapView, asMap, report } from './topology-yaml';
import { TOPOLOGY_FIELDS } from './topology-fields';

function checkFormat(sc: SourceContext, src: SourceText, field: string, expected: string): void {
  const f = detectFormat(src.text);
  if (f !== undefined && f !== expected) {
    report(sc.yaml, src.span, 'topology-source-format-mismatch', 'warning', `${field}: the text looks like ${f} output, not ${expected}`);
  }
}

/** `neighbours:` → NeighbourDump. */
export function readNeighbours(sc: SourceContext, node: Node | null, what: string): Parsed<NeighbourDump> | undefined {
  const src = resolveSource(sc, node, `${what} neighbours`);
  if (!src) return undefined;
  checkFormat(sc, src, 'neighbours', 'ip-neigh');
  const r = guarded('parseIpNeigh', (): NeighbourDump => ({ neighbours: [] }), () => parseIpNeigh(src.text));
  placeIssues(sc.yaml, r.issues, src);
  return { value: r.value, source: src };
}

/** `fdb:` → FdbDump. */
export function readFdb(sc: SourceContext, node: Node | null, what: string): Parsed<FdbDump> | undefined {
  const src = resolveSource(sc, node, `${what} fdb`);
  if (!src) return undefined;
  checkFormat(sc, src, 'fdb', 'bridge-fdb');
  const r = guarded('parseBridgeFdb', (): FdbDump => ({ entries: [] }), () => parseBridgeFdb(src.text));
  placeIssues(sc.yaml, r.issues, src);
  return { value: r.value, source: src };
}

const PLUGINS = ['kubenet', 'flannel', 'calico', 'ptp'] as const;
/** Backends each plugin has, the first its default. */
const BACKENDS: Record<TopologyNetwork['plugin'], readonly TopologyNetwork['backend'][]> = {
  kubenet: ['none'],
  flannel: ['vxlan', 'host-gw'],
  calico: ['ipip', 'vxlan', 'bgp'],
  ptp: ['none'],
};

/** `spec.network` → TopologyNetwork, with each plugin's defaults (flannel VNI 1 port 8472, Calico VNI 4096 port 4789). */
export function readNetwork(sc: SourceContext, node: Node | null): TopologyNetwork | undefined {
  const m: MapView | undefined = asMap(sc.yaml, node, TOPOLOGY_FIELDS.network, 'network');
  if (!m) return undefined;
  const plugin = m.oneOf('plugin', PLUGINS) ?? 'kubenet';
  const allowed = BACKENDS[plugin];
  const given = m.str('backend');
  let backend = allowed[0];
  if (given) {
    const hit = allowed.find((b) => b === given.value);
    if (hit === undefined) {
      report(sc.yaml, given.span, 'topology-bad-value', 'error',
        allowed[0] === 'none' ? `${plugin} has no backend to choose` : `the ${plugin} backend must be one of ${allowed.join(', ')}`);
    } else backend = hit;
  }
  const calico = plugin === 'calico';
  return {
    plugin, backend, span: m.span,
    vni: m.int('vni', 0, 0xffffff) ?? (calico ? 4096 : 1),
    port: m.int('port', 1, 65535) ?? (calico ? 4789 : 8472),
    mtu: m.int('mtu', 68, 65535) ?? 1500,
  };
}
