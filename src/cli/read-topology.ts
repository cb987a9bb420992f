/** Loads a topology named on the command line, with its `{file: …}` sources read relative to it. */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { CliIO } from './io';
import type { FileReader } from '../core/model/topology';
import { loadCluster, type LoadedCluster } from '../core/build/load';

/**
 * A reader for sources of `topologyPath`: paths are relative to the topology's
 * folder and may not leave the folder tree the command was run in (the CLI's
 * workspace), as the editor refuses paths outside the workspace.
 */
export function topologyReader(io: CliIO, topologyPath: string): FileReader {
  return folderReader(io, dirname(resolve(io.cwd, topologyPath)), 'the topology file');
}

/**
 * A reader for paths relative to `base`, confined to the workspace (the folder
 * the command runs in, or `base` when that is outside it); folders are listed,
 * and a symbolic link whose target leaves the workspace is marked `outside`.
 */
export function folderReader(io: CliIO, base: string, relativeTo: string, opts: { root?: string; absolute?: boolean } = {}): FileReader {
  const root = opts.root ?? resolve(io.cwd);
  const leaves = (full: string): boolean => relative(root, full).startsWith('..') && relative(base, full).startsWith('..');
  const full = (path: string): string | { error: string } => {
    if (isAbsolute(path) && !opts.absolute) return { error: `absolute paths are not allowed: give a path relative to ${relativeTo}` };
    const f = resolve(base, path);
    return leaves(f) ? { error: 'path leaves the workspace' } : f;
  };
  return {
    read(path: string) {
      const f = full(path);
      return typeof f === 'string' ? io.readFile(f) : f;
    },
    list(path: string) {
      const f = full(path);
      if (typeof f !== 'string') return f;
      if (!io.listDir) return { error: 'folders cannot be listed here' };
      const l = io.listDir(f);
      if ('error' in l) return l;
      return { entries: l.entries.map((e) => ({ name: e.name, dir: e.dir, ...(e.realPath !== undefined && leaves(e.realPath) ? { outside: true } : {}) })) };
    },
  };
}

/** Reads and loads a topology; an unreadable file gives `error` (exit 2 material). */
export function readTopology(io: CliIO, path: string): { loaded: LoadedCluster } | { error: string } {
  const file = io.readFile(resolve(io.cwd, path));
  if ('error' in file) return { error: `${path}: ${file.error}` };
  return { loaded: loadCluster(file.text, path, topologyReader(io, path)) };
}
