/** `kube-netsim lint`: not written yet (see the issue tracker). */
import type { CliIO } from './io';
import { EXIT_USAGE } from './io';

/** Runs `kube-netsim lint`. */
export function cmdLint(_args: string[], io: CliIO): number {
  io.stderr('kube-netsim lint: not implemented yet\n');
  return EXIT_USAGE;
}
