/**
 * `kube-netsim`: the pure command-line entry. Every subcommand lives in its own
 * file (`cmd-parse.ts`, `cmd-trace.ts`, `cmd-lint.ts`) and returns an exit code.
 */
import type { CliIO } from './io';
import { EXIT_USAGE } from './io';
import { FORMAT_NAMES } from '../core/parse/text/detect';

/** Usage text printed for `--help` and for unknown commands. */
export const USAGE = `usage:
  kube-netsim trace TOPOLOGY --from SRC --to DST [--proto tcp|udp|icmp] [--port N] [--json] [--html OUT.html]
  kube-netsim trace TOPOLOGY --batch QUERIES.jsonl --json
  kube-netsim parse FILE [--format auto|FORMAT] [--json]
  kube-netsim lint TOPOLOGY [--json]
  kube-netsim matrix INPUT... [--by workload|pod] [--json] [--html OUT.html]

formats: ${FORMAT_NAMES.join(', ')}
`;

type Command = (args: string[], io: CliIO) => Promise<number> | number;

/** Subcommands, loaded lazily so one broken command cannot break the others' start-up. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  parse: async () => (await import('./cmd-parse')).cmdParse,
  trace: async () => (await import('./cmd-trace')).cmdTrace,
  lint: async () => (await import('./cmd-lint')).cmdLint,
  matrix: async () => (await import('./cmd-matrix')).cmdMatrix,
};

/** Runs one invocation; returns the process exit code. Never throws: a crash is reported as a bug with exit 2. */
export async function cli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE);
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version') {
    io.stdout('kube-netsim 0.1.0\n');
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(`kube-netsim: unknown command '${name}'\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    return await (await load())(rest, io);
  } catch (e) {
    io.stderr(`kube-netsim: internal error (a bug, please report it): ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return EXIT_USAGE;
  }
}
