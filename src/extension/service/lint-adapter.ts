/**
 * The one place the editor calls lint. Lint runs after parsing on every edit, so
 * a bug in a lint check must not take the parse diagnostics down with it: any
 * throw becomes no lint issues (and a line in the output channel).
 */
import type { Issue } from '../../core/source';
import type { LoadedCluster } from '../../core/build/load';
import { lintCluster } from '../../core/lint/index';

/** Lint issues for a loaded topology; [] when lint fails. `log` hears about failures. */
export function lintIssues(loaded: LoadedCluster, log?: (m: string) => void): Issue[] {
  try {
    return lintCluster(loaded);
  } catch (e) {
    log?.(`lint failed on ${loaded.topology.file}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return [];
  }
}
