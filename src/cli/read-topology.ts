/** Loads a topology named on the command line, with its `{file: …}` sources read relative to it. */
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { CliIO } from './io';
import type { FileReader } from '../core/model/topology';
import { loadCluster, type LoadedCluster } from '../core/build/load';

/**
 * A reader for sources of `topologyPath`: paths are relative to the topology's
 * folder and may not leave the folder tree the command was run in (the CLI's
 * workspace), as the editor refuses paths outside the workspace.
 */
export function topologyReader(io: CliIO, topologyPath: string): FileReader {
  const base = dirname(resolve(io.cwd, topologyPath));
  const root = resolve(io.cwd);
  return {
    read(path: string) {
      if (isAbsolute(path)) return { error: 'absolute paths are not allowed: give a path relative to the topology file' };
      const full = join(base, path);
      const rel = relative(root, full);
      if (rel.startsWith('..') && relative(base, full).startsWith('..')) return { error: 'path leaves the workspace' };
      return io.readFile(full);
    },
  };
}

/** Reads and loads a topology; an unreadable file gives `error` (exit 2 material). */
export function readTopology(io: CliIO, path: string): { loaded: LoadedCluster } | { error: string } {
  const file = io.readFile(resolve(io.cwd, path));
  if ('error' in file) return { error: `${path}: ${file.error}` };
  return { loaded: loadCluster(file.text, path, topologyReader(io, path)) };
}
