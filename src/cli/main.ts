/** Process entry of the bundled CLI (`dist/cli.js`), used by `bin/kube-netsim.js`. */
import { readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './cli';
import type { CliIO } from './io';

/**
 * File bytes as text, the way an editor opens them: a UTF-8 byte order mark is
 * not part of the first line, and UTF-16 (what Windows PowerShell 5 writes for
 * `kubectl exec … > dump.txt`) is recognised by its mark.
 */
export function decode(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return Buffer.from(buf.subarray(2)).swap16().toString('utf16le');
  return buf.toString('utf8');
}

/** The real-world CliIO: the process's files and streams. */
export function nodeIO(): CliIO {
  return {
    readFile(path) {
      try {
        return { text: decode(readFileSync(path)) };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return { error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String((e as Error).message) };
      }
    },
    listDir(path) {
      try {
        const entries = readdirSync(path, { withFileTypes: true }).flatMap((d) => {
          if (!d.isSymbolicLink()) return d.isDirectory() || d.isFile() ? [{ name: d.name, dir: d.isDirectory() }] : [];
          try {
            const realPath = realpathSync(join(path, d.name));
            return [{ name: d.name, dir: statSync(realPath).isDirectory(), realPath }];
          } catch {
            return [];
          }
        });
        return { entries };
      } catch (e) {
        return { error: (e as Error).message };
      }
    },
    writeFile(path, text) {
      try {
        writeFileSync(path, text);
        return {};
      } catch (e) {
        return { error: (e as Error).message };
      }
    },
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
  };
}

/** Runs the CLI with the process's arguments and exits with its code. */
export function runMain(): void {
  // `kube-netsim … | head` closes the pipe early: the reader wants no more, which is not a crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  cli(process.argv.slice(2), nodeIO()).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`kube-netsim: internal error: ${String(e)}\n`); process.exitCode = 2; },
  );
}
