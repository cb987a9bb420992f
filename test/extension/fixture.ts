/** Loads the in-editor tests' small topology (test/e2e/fixtures) with a plain file reader, for the pure logic tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCluster, type LoadedCluster } from '../../src/core/build/load';
import { CORPUS } from '../fixtures/dirs';

/** Folder of the shared fixtures. */
export const FIXTURES = join(import.meta.dirname, '..', 'e2e', 'fixtures');

/** The `mini.netsim.yaml` topology, loaded. */
export function loadMini(): LoadedCluster {
  const text = readFileSync(join(FIXTURES, 'mini.netsim.yaml'), 'utf8');
  return loadCluster(text, 'mini.netsim.yaml', {
    read: (p) => {
      try {
        return { text: readFileSync(join(FIXTURES, p), 'utf8') };
      } catch {
        return { error: `${p} does not exist` };
      }
    },
  });
}

/** A file of the corpus of real dumps (test/fixtures/corpus). */
export function corpus(rel: string): string {
  return readFileSync(join(CORPUS, rel), 'utf8');
}
