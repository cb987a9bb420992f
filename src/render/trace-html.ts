/** A self-contained HTML page rendering the trace view (for `kube-netsim trace --html`). (Stub: being written.) */
import type { TraceResult } from '../core/sim/types';
import type { Cluster } from '../core/model/types';

/** Renders `results` as one HTML page with the same view as the editor's trace panel. */
export function renderTraceHtml(_results: TraceResult[], _cluster: Cluster | undefined): string {
  return '<!doctype html><title>kube-netsim trace</title><p>not implemented</p>';
}
