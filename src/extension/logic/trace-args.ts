/**
 * The arguments `kubeNetsim.tracePacket` accepts from command links, tests and
 * keybindings: `{topology, from, to, protocol, port}`, every field optional
 * (what is missing is asked for). Anything malformed is dropped, not trusted.
 */
import type { TraceArgs } from './hover-text';
import { splitHostPort } from './quick-picks';

/** Reads command arguments; unknown or ill-typed fields are left out. */
export function readTraceArgs(x: unknown): TraceArgs {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return {};
  const r = x as Record<string, unknown>;
  const out: TraceArgs = {};
  if (typeof r.topology === 'string' && r.topology) out.topology = r.topology;
  if (typeof r.from === 'string' && r.from.trim()) out.from = r.from.trim();
  if (typeof r.to === 'string' && r.to.trim()) out.to = r.to.trim();
  if (r.protocol === 'tcp' || r.protocol === 'udp' || r.protocol === 'icmp') out.protocol = r.protocol;
  const port = typeof r.port === 'string' ? Number(r.port) : r.port;
  if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535) out.port = port;
  return out;
}

/** Fills the port from `to` when it is written `A.B.C.D:PORT` and no port was given. */
export function withPortFromDestination(a: TraceArgs): TraceArgs {
  if (!a.to) return a;
  const hp = splitHostPort(a.to);
  if (hp.port === undefined) return a;
  return { ...a, to: hp.to, port: a.port ?? hp.port };
}
