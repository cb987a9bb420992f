/**
 * The requests the extension host sends the netsim service (a worker thread, or
 * the same thread when the worker bundle is absent) and what comes back: plain
 * data only, so that everything crosses a worker boundary as a structured clone.
 */
import type { Issue } from '../../core/source';
import type { TraceQuery, TraceResult } from '../../core/sim/types';
import type { ClusterView } from '../../protocol/cluster-view';
import type { PickItem } from '../logic/quick-picks';
import type { OutlineNode } from '../logic/symbols';
import type { ChainInfo } from '../logic/chain-index';

/** An issue with the absolute path of the file it belongs to. */
export interface FileIssue extends Issue {
  path: string;
}

/** A CodeLens in a topology: a 1-based span, a title and the trace command's argument. */
export interface Lens {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  title: string;
  args: Record<string, unknown>;
}

/** What checking a topology found. */
export interface TopologyCheck {
  /** False when the topology could not be read at all. */
  ok: boolean;
  issues: FileIssue[];
  /** Absolute paths of every file the topology read (or tried to). */
  refs: string[];
  lenses: Lens[];
}

/** A trace and what the trace view draws it over. */
export interface TraceAnswer {
  result: TraceResult;
  view: ClusterView;
  problems: string[];
}

/** Every request, by method: parameters and result. */
export interface Methods {
  /** Editor text of a file changed (null: editor closed). */
  overlay: { params: { path: string; text: string | null }; result: void };
  /** Parse, model and lint issues of a topology, per file. */
  checkTopology: { params: { path: string; root: string }; result: TopologyCheck };
  /** Parser issues of a dump on its own. */
  checkDump: { params: { path: string; languageId: string }; result: { format: string; issues: Issue[] } };
  /** Topologies (loaded so far) that read `path`. */
  referencing: { params: { path: string }; result: string[] };
  /** Hover Markdown for the token at a position, with the token's 0-based columns. */
  hover: { params: { path: string; root: string; line: number; character: number; languageId: string; defaultSource: string; pickedSource?: string }; result: { markdown: string; start: number; end: number; trusted: boolean } | null };
  /** A trace in a topology. */
  trace: { params: { topology: string; root: string; query: TraceQuery }; result: TraceAnswer | { error: string } };
  /** Quick-pick items of a topology. */
  pickItems: { params: { topology: string; root: string }; result: { sources: PickItem[]; destinations: PickItem[] } | null };
  /** Chains named like the word at a position of an iptables dump. */
  chainsAt: { params: { path: string; line: number; character: number }; result: ChainInfo[] };
  /** Outline of a dump. */
  outline: { params: { path: string; languageId: string }; result: OutlineNode[] };
  /** How many dump parses ran (tests check unchanged versions are not parsed again). */
  stats: { params: Record<string, never>; result: { dumpParses: number; topologyLoads: number } };
}

/** A method name. */
export type Method = keyof Methods;

/** A request as sent to the worker. */
export interface RequestMessage {
  id: number;
  method: Method;
  params: unknown;
}

/** A response from the worker. */
export type ResponseMessage = { id: number; result: unknown } | { id: number; error: string };
