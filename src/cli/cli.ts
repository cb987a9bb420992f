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

/** Splits `--flag value` / `--flag=value` / bare flags; positional arguments come back in order. */
export function parseFlags(args: string[], valued: readonly string[]): { flags: Record<string, string | true>; positional: string[]; error?: string } {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (valued.includes(key)) {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) return { flags, positional, error: `--${key} needs a value` };
        flags[key] = v;
      } else {
        flags[key] = true;
      }
    } else {
      positional.push(a);
    }
  }
  return { flags, positional };
}

/** An issue message as one output line: `file:line:col: …` readers split on newlines, so a quoted line break is shown escaped. */
export function oneLine(message: string): string {
  return message.replace(/\r?\n|\r/g, '\\n');
}
