/**
 * The messages crossing the boundary between the extension host and the trace
 * webview, one typed definition each, with guards. Both sides check what they
 * receive: a webview can be handed stale state from an older version, and the
 * host must not act on a malformed `open` request.
 */
import type { TraceQuery, TraceResult } from '../core/sim/types';
import type { ClusterView } from './cluster-view';

/** Extension → webview: traces to show, with the cluster drawn behind them. */
export interface TraceMessage {
  type: 'trace';
  results: TraceResult[];
  view: ClusterView;
  /** What the topology could not use (unreadable dumps, unknown hosts), one sentence each. */
  problems: string[];
}

/** Extension → webview: the trace could not run at all (unparsable topology, unknown source). */
export interface ErrorMessage {
  type: 'error';
  message: string;
}

/** Everything the extension sends the webview. */
export type ToWebview = TraceMessage | ErrorMessage;

/** Webview → extension: open the input line a hop came from (1-based line and column). */
export interface OpenMessage {
  type: 'open';
  file: string;
  line: number;
  column: number;
}

/** Webview → extension: the view has loaded and listens; send the current trace. */
export interface ReadyMessage {
  type: 'ready';
}

/** Webview → extension: run this query again against the files as they are now. */
export interface RetraceMessage {
  type: 'retrace';
  query: TraceQuery;
}

/** Webview → extension: give the view the whole window width (toggles the editor group's maximized state). */
export interface MaximizeMessage {
  type: 'maximize';
}

/** Everything the webview sends the extension. */
export type FromWebview = OpenMessage | ReadyMessage | RetraceMessage | MaximizeMessage;

type Rec = Record<string, unknown>;

function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}

function isPositiveInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1;
}

/** A TraceResult in outline: the fields the view reads before anything else. */
export function isTraceResult(x: unknown): x is TraceResult {
  if (!isRecord(x) || x.version !== 1 || !isRecord(x.query) || !isRecord(x.source)) return false;
  if (!(x.dns === null || x.dns === undefined || isRecord(x.dns))) return false;
  if (!Array.isArray(x.outcomes)) return false;
  return x.outcomes.every((o) => isRecord(o) && typeof o.probability === 'number' && typeof o.disposition === 'string' && Array.isArray(o.hops));
}

/** A ClusterView in outline: every list present. */
export function isClusterView(x: unknown): x is ClusterView {
  return isRecord(x) && ['routers', 'nodes', 'hosts', 'services', 'segments'].every((k) => Array.isArray(x[k]));
}

/** Whether `x` is a message the webview understands. */
export function isToWebview(x: unknown): x is ToWebview {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'trace':
      return Array.isArray(x.results) && x.results.every(isTraceResult) && isClusterView(x.view) && isStringArray(x.problems);
    case 'error':
      return typeof x.message === 'string';
    default:
      return false;
  }
}

/** Whether `x` is a message the extension understands. */
export function isFromWebview(x: unknown): x is FromWebview {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'open':
      return typeof x.file === 'string' && x.file.length > 0 && isPositiveInt(x.line) && isPositiveInt(x.column);
    case 'ready':
    case 'maximize':
      return true;
    case 'retrace':
      return isTraceQuery(x.query);
    default:
      return false;
  }
}

function isTraceQuery(x: unknown): x is TraceQuery {
  if (!isRecord(x) || typeof x.from !== 'string' || typeof x.to !== 'string') return false;
  if (x.protocol !== 'tcp' && x.protocol !== 'udp' && x.protocol !== 'icmp') return false;
  return x.port === undefined || (Number.isInteger(x.port) && (x.port as number) >= 0 && (x.port as number) <= 65535);
}
