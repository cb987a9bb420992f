/** Topology text → parsed topology + cluster, in one call (what the CLI and the extension use). */
import type { Issue } from '../source';
import type { Topology, FileReader } from '../model/topology';
import { parseTopology } from '../parse/topology/parse-topology';
import { buildCluster } from './build-cluster';
import type { Cluster } from '../model/cluster';

/** A loaded topology: what was read, the network built from it, and every issue (each with its file set). */
export interface LoadedCluster {
  topology: Topology;
  cluster: Cluster;
  issues: Issue[];
}

/** Parses and builds. Never throws. */
export function loadCluster(text: string, file: string, reader: FileReader): LoadedCluster {
  const parsed = parseTopology(text, file, reader);
  const cluster = buildCluster(parsed.value);
  const issues = [...parsed.issues.map((i) => ({ ...i, file: i.file ?? file })), ...cluster.issues];
  return { topology: parsed.value, cluster, issues };
}
