/** `kube-netsim parse`: not written yet (see the issue tracker). */
import type { CliIO } from './io';
import { EXIT_USAGE } from './io';

/** Runs `kube-netsim parse`. */
export function cmdParse(_args: string[], io: CliIO): number {
  io.stderr('kube-netsim parse: not implemented yet\n');
  return EXIT_USAGE;
}
