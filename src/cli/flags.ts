/**
 * The command line's words → flags and positional arguments, for every
 * subcommand (`cmd-*.ts`); apart from `cli.ts` so a subcommand does not import
 * the entry that loads it.
 */

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
