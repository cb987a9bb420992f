/**
 * Shared ground for the bad-input tests: an in-memory CliIO, the invariants
 * every run must keep whatever the input (no stack trace, every position inside
 * the file it names), and the real inputs the cases are derived from.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { cli } from '../../src/cli/cli';
import type { CliIO } from '../../src/cli/io';
import { CORPUS } from '../fixtures/dirs';
export { CORPUS };

/** The repository root (tests run from it, as scripts/test.mjs does). */
export const ROOT = join(__dirname, '..', '..');
/** The corpus of real dumps (test/fixtures/corpus, see its PROVENANCE.md). */
/** The working directory of the in-memory file system. */
export const CWD = '/ws';

/** What one invocation printed and returned. */
export interface Run {
  code: number;
  out: string;
  err: string;
  files: Record<string, string>;
  /** Every absolute path the command asked to read, in order. */
  reads: string[];
}

/** Runs `cli(argv)` over an in-memory file system (paths relative to /ws). */
export async function run(argv: string[], files: Record<string, string>): Promise<Run> {
  const abs: Record<string, string> = {};
  for (const [p, t] of Object.entries(files)) abs[posix.join(CWD, p)] = t;
  let out = '';
  let err = '';
  const reads: string[] = [];
  const io: CliIO = {
    cwd: CWD,
    readFile: (p) => {
      reads.push(p);
      return p in abs ? { text: abs[p] } : { error: 'no such file' };
    },
    writeFile: () => ({}),
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
  };
  const code = await cli(argv, io);
  return { code, out, err, files, reads };
}

/** A stack frame line as V8 prints it: its presence in any output is a crash leaking out. */
export const STACK_FRAME = /\n\s+at .*\(/;

/** Asserts the invariants every run keeps: a spec exit code and no stack trace, no "internal error". */
export function assertSane(r: Run, allowed: readonly number[], label: string): void {
  assert.ok(allowed.includes(r.code), `${label}: exit ${r.code}, expected one of ${allowed.join('/')}\n${r.err.slice(0, 500)}`);
  assert.doesNotMatch(r.out, STACK_FRAME, `${label}: stack trace in stdout`);
  assert.doesNotMatch(r.err, STACK_FRAME, `${label}: stack trace in stderr`);
  assert.doesNotMatch(r.err, /internal error/, `${label}: ${r.err.slice(0, 500)}`);
}

/** An issue position as the CLI prints it. */
export interface Place {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  code: string;
}

/** Lines of a text as an editor counts them: `\n`, `\r\n` and a lone `\r` end a line. */
export function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Asserts a position lies inside the text it names: line ≤ number of lines,
 * column ≤ that line's length + 1 (the end of line is a place too).
 */
export function assertInBounds(p: Place, text: string, label: string): void {
  const lines = linesOf(text);
  const where = `${label}: ${p.code} at ${p.file}:${p.line}:${p.column}`;
  assert.ok(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines.length, `${where}: line outside 1..${lines.length}`);
  assert.ok(Number.isInteger(p.column) && p.column >= 1 && p.column <= lines[p.line - 1].length + 1, `${where}: column outside 1..${lines[p.line - 1].length + 1}`);
  if (p.endLine !== undefined && p.endColumn !== undefined) {
    assert.ok(p.endLine >= p.line && p.endLine <= lines.length, `${where}: endLine ${p.endLine}`);
    assert.ok(p.endColumn >= 1 && p.endColumn <= lines[p.endLine - 1].length + 1, `${where}: endColumn ${p.endColumn}`);
  }
}

/** `parse --json` output, as the spec shapes it. */
export interface ParseJson {
  format: string;
  summary: Record<string, unknown>;
  issues: { code: string; severity: string; file: string; line: number; column: number; message: string }[];
}

/** Asserts the `parse --json` shape of the spec and returns it. */
export function parseJson(out: string, label: string): ParseJson {
  const j = JSON.parse(out) as ParseJson;
  assert.equal(typeof j.format, 'string', label);
  assert.ok(j.summary && typeof j.summary === 'object' && !Array.isArray(j.summary), `${label}: summary`);
  assert.ok(Array.isArray(j.issues), `${label}: issues`);
  for (const i of j.issues) {
    assert.match(i.code, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, `${label}: code ${i.code}`);
    assert.ok(['error', 'warning', 'info'].includes(i.severity), `${label}: severity ${i.severity}`);
    assert.equal(typeof i.file, 'string', `${label}: file`);
    assert.equal(typeof i.message, 'string', `${label}: message`);
    assert.ok(i.message.length > 0, `${label}: empty message for ${i.code}`);
    assert.doesNotMatch(i.message, /[\r\n]/, `${label}: ${i.code}: a message is one line`);
  }
  return j;
}

/** Reads a corpus file by its path under the corpus. */
export function corpus(rel: string): string {
  return readFileSync(join(CORPUS, rel), 'utf8');
}

/** Every dump in the corpus (not the README-like and JSON side files). */
export function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!/\.(?:json|md)$/.test(name)) out.push(p.slice(CORPUS.length + 1));
    }
  };
  walk(CORPUS);
  return out;
}

/** The bundled example, every file keyed by its path under the example folder. */
export function example(): Record<string, string> {
  const base = join(ROOT, 'examples', 'azure-kubenet');
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else out[`${rel}${name}`] = readFileSync(p, 'utf8');
    }
  };
  walk(base, '');
  return out;
}

/** A deterministic byte generator (xorshift), so a failing junk case can be replayed. */
export function junk(seed: number, n: number): Buffer {
  let x = seed >>> 0 || 1;
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}
