/**
 * The rule behind `{file: …}` in an untrusted (or any) workspace: a topology may
 * only name files inside its workspace folder. Resolving is pure path arithmetic
 * so the rule can be tested without an editor.
 */
import * as path from 'node:path';

/** Result of resolving a referenced path: the absolute path, or why it is refused. */
export type Resolved = { path: string } | { error: string };

/**
 * Resolves `rel` against `baseDir` (the topology file's folder) and refuses it
 * when it is absolute or lands outside `root` (the workspace folder).
 */
export function resolveInside(root: string, baseDir: string, rel: string): Resolved {
  if (rel.trim() === '') return { error: 'empty file path' };
  if (path.isAbsolute(rel) || /^[A-Za-z]:[\\/]/.test(rel)) return { error: `absolute paths are not allowed (${rel}): give a path relative to the topology file` };
  const abs = path.resolve(baseDir, rel);
  const r = path.relative(path.resolve(root), abs);
  if (r === '' || r.startsWith('..') || path.isAbsolute(r)) return { error: `${rel} is outside the workspace folder` };
  return { path: abs };
}
