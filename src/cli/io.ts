/**
 * What the CLI needs from the outside world, passed in so `cli(argv, io)` stays
 * testable without spawning processes or touching the real file system.
 */
export interface CliIO {
  /** Reads a file as UTF-8 text (paths as given on the command line or relative to a topology). */
  readFile(path: string): { text: string } | { error: string };
  /**
   * The entries of a folder; a symbolic link carries its resolved target
   * (`realPath`), so a reader can refuse one that leaves the workspace.
   */
  listDir?(path: string): { entries: { name: string; dir: boolean; realPath?: string }[] } | { error: string };
  /** Writes a file (for `--html`). */
  writeFile(path: string, text: string): { error?: string };
  stdout(text: string): void;
  stderr(text: string): void;
  /** Current directory, to resolve relative paths. */
  cwd: string;
}

/** Exit codes of the spec: 0 ran, 1 ran and found errors (parse/lint), 2 unusable invocation or input. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** An issue message as one output line: `file:line:col: …` readers split on newlines, so a quoted line break is shown escaped. */
export function oneLine(message: string): string {
  return message.replace(/\r?\n|\r/g, '\\n');
}
