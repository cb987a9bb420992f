/** `kubectl get … [-o wide]` tables → KubectlDump. (Stub: being written.) */
import type { ParseResult } from '../source';
import type { KubectlDump } from './kubectl-model';

/** Parses one or more kubectl tables. Never throws. */
export function parseKubectl(_text: string): ParseResult<KubectlDump> {
  return { value: { tables: [] }, issues: [] };
}
