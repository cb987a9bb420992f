/** `kubectl get nodes|pods|services|endpoints [-o wide] [-A]` tables. */
import type { Span } from '../source';

/** The kinds of table kubectl prints that the project reads. */
export type KubectlKind = 'nodes' | 'pods' | 'services' | 'endpoints' | 'deployments' | 'unknown';

/** One row: cells by upper-case column header (`NAME`, `CLUSTER-IP`, `PORT(S)`, …). */
export interface KubectlRow {
  cells: Record<string, string>;
  /** A `kind/name` prefix when kubectl printed several kinds (`pod/web-…`, `service/web`). */
  kind?: string;
  span: Span;
}

/** One table (a paste may hold several, one per `kubectl get` invocation or per kind). */
export interface KubectlTable {
  kind: KubectlKind;
  columns: string[];
  rows: KubectlRow[];
  span: Span;
}

/** Everything read from a kubectl paste. */
export interface KubectlDump {
  tables: KubectlTable[];
}
