/** `kube-netsim trace`: not written yet (see the issue tracker). */
import type { CliIO } from './io';
import { EXIT_USAGE } from './io';

/** Runs `kube-netsim trace`. */
export function cmdTrace(_args: string[], io: CliIO): number {
  io.stderr('kube-netsim trace: not implemented yet\n');
  return EXIT_USAGE;
}
