/**
 * Sets of ports per protocol, as sorted, merged, inclusive ranges: what a
 * NetworkPolicy rule's `ports` allows, and what survives egress ∩ ingress.
 */
import type { KubeProtocol } from '../model/kubernetes';

/** Inclusive `[from, to]` port ranges, ascending, not overlapping or touching. */
export type PortRanges = [number, number][];

/** Allowed ports per protocol. */
export type PortSet = Record<KubeProtocol, PortRanges>;

/** The protocols, in the order they are printed. */
export const PROTOCOLS: readonly KubeProtocol[] = ['TCP', 'UDP', 'SCTP'];

/** The lowest and highest port a rule can name. */
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Nothing allowed. */
export function noPorts(): PortSet {
  return { TCP: [], UDP: [], SCTP: [] };
}

/** Every port of every protocol. */
export function allPorts(): PortSet {
  return { TCP: [[MIN_PORT, MAX_PORT]], UDP: [[MIN_PORT, MAX_PORT]], SCTP: [[MIN_PORT, MAX_PORT]] };
}

/** Sorts and merges ranges (touching ranges join: [1,5] and [6,9] are [1,9]). */
export function normalize(r: PortRanges): PortRanges {
  const s = r.filter(([a, b]) => a <= b).map(([a, b]): [number, number] => [a, b]).sort((x, y) => x[0] - y[0]);
  const out: PortRanges = [];
  for (const x of s) {
    const last = out[out.length - 1];
    if (last && x[0] <= last[1] + 1) last[1] = Math.max(last[1], x[1]);
    else out.push(x);
  }
  return out;
}

/** Adds `b` into `a` (a is changed). */
export function addInto(a: PortSet, b: PortSet): void {
  for (const p of PROTOCOLS) if (b[p].length > 0) a[p] = normalize([...a[p], ...b[p]]);
}

/** The ranges in both. */
export function intersectRanges(a: PortRanges, b: PortRanges): PortRanges {
  const out: PortRanges = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

/** The ports in both sets. */
export function intersect(a: PortSet, b: PortSet): PortSet {
  return { TCP: intersectRanges(a.TCP, b.TCP), UDP: intersectRanges(a.UDP, b.UDP), SCTP: intersectRanges(a.SCTP, b.SCTP) };
}

/** Is nothing allowed? */
export function isEmpty(s: PortSet): boolean {
  return s.TCP.length === 0 && s.UDP.length === 0 && s.SCTP.length === 0;
}

/** Is everything allowed? */
export function isAll(s: PortSet): boolean {
  return PROTOCOLS.every((p) => s[p].length === 1 && s[p][0][0] === MIN_PORT && s[p][0][1] === MAX_PORT);
}

/** Does the set allow `port` of `protocol`? */
export function hasPort(s: PortSet, protocol: KubeProtocol, port: number): boolean {
  return s[protocol].some(([a, b]) => port >= a && port <= b);
}
