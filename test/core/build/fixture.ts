/** Loading topologies for model tests: the bundled example from disk, or inline text with an in-memory folder. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCluster, type LoadedCluster } from '../../../src/core/build/load';
import type { FileReader } from '../../../src/core/model/topology';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A reader over a folder on disk. */
export function diskReader(dir: string): FileReader {
  return { read: (p) => { try { return { text: readFileSync(join(dir, p), 'utf8') }; } catch (e) { return { error: String(e) }; } } };
}

/** The bundled Azure kubenet example, loaded as the CLI would (path relative to the repository). */
export function loadExample(): LoadedCluster {
  const dir = join(ROOT, 'examples', 'azure-kubenet');
  return loadCluster(readFileSync(join(dir, 'cluster.netsim.yaml'), 'utf8'), 'examples/azure-kubenet/cluster.netsim.yaml', diskReader(dir));
}

/** An inline topology: `spec` is the text under `spec:` (indented by two spaces). */
export function loadInline(spec: string, files: Record<string, string> = {}): LoadedCluster {
  const text = `apiVersion: kube-netsim/v1\nkind: Cluster\nmetadata: {name: t}\nspec:\n${spec}`;
  return loadCluster(text, 't.netsim.yaml', { read: (p) => (p in files ? { text: files[p] } : { error: 'missing' }) });
}
