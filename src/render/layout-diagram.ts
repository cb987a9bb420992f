/**
 * Where each part of the cluster sits in the diagram: routers and plain hosts on
 * top, the node network as a bus under them, nodes as boxes with their bridge
 * and pods inside, Services as a band at the bottom. Pure geometry, no markup,
 * so paths can be tested as coordinates.
 */
import type { ClusterView, HostView, NodeView, PodView, ServiceView } from '../protocol/cluster-view';

/** An axis-aligned rectangle in SVG user units. */
export interface Box { x: number; y: number; w: number; h: number }

/** A point in SVG user units. */
export interface Point { x: number; y: number }

/** A drawn bridge: its bar inside the node, and the pods hanging under it. */
export interface BridgePlace { name: string; addresses: string[]; bar: Box }

/** A host's place: its box, and the point paths leave it from. */
export interface HostPlace {
  view: HostView;
  box: Box;
  /** Where paths attach: a pod's top, a node's uplink in its header, a router's bottom. */
  attach: Point;
  /** For a node: its bridges. For a pod: the y of the bridge bar it hangs from. */
  bridges?: BridgePlace[];
  bridgeY?: number;
  /** For a pod: its node's id. */
  node?: string;
  /** For routers, plain hosts and nodes: the y of the bus line they hang on. */
  busY?: number;
}

/** A Service's place in the band. */
export interface ServicePlace { view: ServiceView; box: Box }

/** The whole diagram's geometry. */
export interface DiagramLayout {
  width: number;
  height: number;
  /** The node network bus; absent when nothing sits on it. */
  bus?: { y: number; x1: number; x2: number; label: string };
  /** When nodes wrap onto more rows: one more bus above each further row, and the trunk joining them at the left. */
  rowBuses: number[];
  trunk?: { x: number; y1: number; y2: number };
  hosts: Map<string, HostPlace>;
  services: ServicePlace[];
  /** Top of the services band. */
  servicesY?: number;
}

/** Layout constants, in user units; kept together so the CSS font sizes and these stay in step. */
export const G = {
  margin: 16, gap: 16,
  topH: 50, topW: 176,
  busGap: 34,
  nodeHeaderH: 46, bridgeH: 18, bridgeGap: 14, podGap: 22,
  podW: 170, podH: 48, podPad: 10,
  svcW: 196, svcH: 40, bandGap: 34,
  maxRowWidth: 1400,
} as const;

/**
 * Lays out `view`; deterministic, so the same view always draws the same way.
 * `maxWidth` is the width the diagram has (the view's column beside the code):
 * nodes, routers and Services wrap onto more rows to fit it, so the diagram is
 * drawn at its natural size, readable, rather than shrunk.
 */
export function layoutDiagram(view: ClusterView, maxWidth: number = G.maxRowWidth): DiagramLayout {
  const hosts = new Map<string, HostPlace>();
  let y: number = G.margin;
  const top = [...view.routers, ...view.hosts];
  let x: number = G.margin;
  const limit = Math.max(maxWidth, G.topW + 2 * G.margin);
  let width: number = G.margin;
  for (const h of top) {
    if (x > G.margin && x + G.topW + G.margin > limit) { x = G.margin; y += G.topH + G.gap; }
    const box = { x, y, w: G.topW, h: G.topH };
    hosts.set(h.id, { view: h, box, attach: { x: box.x + box.w / 2, y: box.y + box.h }, busY: 0 });
    x += G.topW + G.gap;
    width = Math.max(width, x);
  }
  if (top.length > 0) y += G.topH;
  const onBus = top.length + view.nodes.length > 1;
  const busY = y + G.busGap / 2;
  for (const h of top) hosts.get(h.id)!.busY = busY;
  if (onBus) y += G.busGap;
  x = G.margin;
  // Wide clusters (or a narrow column) wrap onto more rows of nodes rather than shrinking to an unreadable strip.
  const maxRow = Math.max(limit - G.margin + G.gap, width);
  const rowBuses: number[] = [];
  let rowTop = y;
  let rowBus = busY;
  let nodesBottom = y;
  for (const n of view.nodes) {
    let w = placeNode(n, x, rowTop, hosts);
    if (x > G.margin && x + w > maxRow) {
      rowTop = nodesBottom + G.busGap;
      rowBus = rowTop - G.busGap / 2;
      rowBuses.push(rowBus);
      x = G.margin;
      w = placeNode(n, x, rowTop, hosts);
    }
    const place = hosts.get(n.id)!;
    place.busY = rowBus;
    nodesBottom = Math.max(nodesBottom, place.box.y + place.box.h);
    x += w + G.gap;
    width = Math.max(width, x);
  }
  y = nodesBottom;
  const services: ServicePlace[] = [];
  let servicesY: number | undefined;
  if (view.services.length > 0) {
    y += G.bandGap;
    servicesY = y;
    const perRow = Math.max(1, Math.floor((Math.min(limit, Math.max(width, 4 * (G.svcW + G.gap))) - G.margin) / (G.svcW + G.gap)));
    view.services.forEach((s, i) => {
      const box = { x: G.margin + (i % perRow) * (G.svcW + G.gap), y: y + 22 + Math.floor(i / perRow) * (G.svcH + G.gap / 2), w: G.svcW, h: G.svcH };
      services.push({ view: s, box });
      width = Math.max(width, box.x + box.w + G.gap);
    });
    y = services[services.length - 1].box.y + G.svcH;
  }
  width += G.margin - G.gap;
  const names = view.segments.filter((s) => s.kind === 'network').map((s) => s.prefix ?? s.id);
  return {
    width: Math.max(width, 320),
    height: y + G.margin,
    bus: onBus ? { y: busY, x1: G.margin / 2, x2: width - G.margin / 2, label: names.length ? `node network ${names.join(', ')}` : 'node network' } : undefined,
    rowBuses,
    trunk: rowBuses.length > 0 ? { x: G.margin / 2, y1: busY, y2: rowBuses[rowBuses.length - 1] } : undefined,
    hosts,
    services,
    servicesY,
  };
}

/** Places a node, its bridges and pods at (x, y); returns the node's width. */
function placeNode(n: NodeView, x: number, y: number, hosts: Map<string, HostPlace>): number {
  // Bridges without ports or a segment (an idle docker0) would only add clutter.
  const groups: { name: string; addresses: string[]; pods: PodView[] }[] = n.bridges
    .filter((b) => b.segment !== undefined || n.pods.some((p) => p.bridge === b.name))
    .map((b) => ({ name: b.name, addresses: b.addresses, pods: n.pods.filter((p) => p.bridge === b.name) }));
  const loose = n.pods.filter((p) => !groups.some((g) => g.name === p.bridge));
  if (loose.length > 0) groups.push({ name: '', addresses: [], pods: loose });
  const barY = y + G.nodeHeaderH;
  const podY = barY + G.bridgeH + G.podGap;
  let cx = x + G.podPad;
  const bridges: BridgePlace[] = [];
  for (const g of groups) {
    const span = Math.max(1, g.pods.length) * (G.podW + G.podPad) - G.podPad;
    if (g.name) bridges.push({ name: g.name, addresses: g.addresses, bar: { x: cx, y: barY, w: span, h: G.bridgeH } });
    g.pods.forEach((p, i) => {
      const box = { x: cx + i * (G.podW + G.podPad), y: podY, w: G.podW, h: G.podH };
      hosts.set(p.id, { view: p, box, attach: { x: box.x + box.w / 2, y: box.y }, bridgeY: g.name ? barY + G.bridgeH + 6 : podY - G.podGap / 2, node: n.id });
    });
    cx += span + G.podPad;
  }
  const w = Math.max(G.topW + 40, cx - x);
  const h = groups.length > 0 ? podY + G.podH + G.podPad - y : G.nodeHeaderH + G.podPad;
  const box = { x, y, w, h };
  hosts.set(n.id, { view: n, box, attach: { x: x + w - 28, y: y + 26 }, bridges });
  return w;
}

/**
 * The path a packet draws through the hosts it visits, as an orthogonal polyline:
 * pod ↔ its node along the bridge bar, everything else along the bus. Hosts the
 * diagram does not know are skipped; consecutive visits to one host collapse.
 */
export function pathThrough(layout: DiagramLayout, hostIds: string[]): Point[] {
  const seq: HostPlace[] = [];
  for (const id of hostIds) {
    const p = layout.hosts.get(id);
    if (p && seq[seq.length - 1] !== p) seq.push(p);
  }
  // A node between two of its own pods routes the packet back onto the same bridge: drawn as a
  // climb to the node's uplink and straight down again it would look like a stray stub.
  for (let i = seq.length - 2; i >= 1; i--) {
    const n = seq[i];
    if (n.view.kind === 'node' && seq[i - 1].node === n.view.id && seq[i + 1].node === n.view.id) seq.splice(i, 1);
  }
  if (seq.length === 0) return [];
  const pts: Point[] = [seq[0].attach];
  for (let i = 1; i < seq.length; i++) {
    const a = seq[i - 1];
    const b = seq[i];
    for (const p of connect(layout, a, b)) push(pts, p);
  }
  return pts;
}

/**
 * The wire two hosts meet on: a bridge bar for a pod and its node (or two pods
 * of one bridge), the bus otherwise; hosts on different rows of nodes meet
 * through the trunk that joins the row buses.
 */
function connect(layout: DiagramLayout, a: HostPlace, b: HostPlace): Point[] {
  const pod = a.view.kind === 'pod' ? a : b.view.kind === 'pod' ? b : undefined;
  const other = pod === a ? b : a;
  if (pod && pod.bridgeY !== undefined && (other.view.id === pod.node || (other.view.kind === 'pod' && other.node === pod.node))) {
    return [...portTo(a, pod.bridgeY, layout), ...portTo(b, pod.bridgeY, layout).reverse()];
  }
  const ya = busOf(layout, a);
  const yb = busOf(layout, b);
  const via = ya !== yb && layout.trunk ? [{ x: layout.trunk.x, y: ya }, { x: layout.trunk.x, y: yb }] : [];
  return [...portTo(a, ya, layout), ...via, ...portTo(b, yb, layout).reverse()];
}

/** The bus a host hangs on (a pod: its node's). */
function busOf(layout: DiagramLayout, h: HostPlace): number {
  const owner = h.view.kind === 'pod' && h.node ? layout.hosts.get(h.node) ?? h : h;
  return owner.busY ?? layout.bus?.y ?? owner.box.y - G.busGap / 2;
}

/** From a host's attach point to the wire at `level`. */
function portTo(h: HostPlace, level: number, layout: DiagramLayout): Point[] {
  if (h.view.kind === 'pod' && level !== h.bridgeY && h.node) {
    // A pod reaching the bus goes up through its node's uplink.
    const node = layout.hosts.get(h.node);
    if (node && h.bridgeY !== undefined) return [h.attach, { x: h.attach.x, y: h.bridgeY }, { x: node.attach.x, y: h.bridgeY }, { x: node.attach.x, y: level }];
  }
  return [h.attach, { x: h.attach.x, y: level }];
}

function push(pts: Point[], p: Point): void {
  const last = pts[pts.length - 1];
  if (last.x === p.x && last.y === p.y) return;
  // Drop the middle of three collinear points, so the path stays a clean set of corners.
  const prev = pts[pts.length - 2];
  if (prev && ((prev.x === last.x && last.x === p.x && (last.y - prev.y) * (p.y - last.y) > 0) || (prev.y === last.y && last.y === p.y && (last.x - prev.x) * (p.x - last.x) > 0))) pts.pop();
  pts.push(p);
}
