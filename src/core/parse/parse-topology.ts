/** The topology file (`*.netsim.yaml`) → Topology, with positions. (Stub: being written.) */
import type { ParseResult } from '../source';
import type { Topology, FileReader } from './topology-model';

/** Parses a topology file; `file` is its path as the user names it; `reader` reads `{file: …}` sources relative to it. Never throws. */
export function parseTopology(_text: string, file: string, _reader: FileReader): ParseResult<Topology> {
  return { value: { file, name: '', dnsDomain: 'cluster.local', routers: [], hosts: [], nodes: [], pods: [], services: [], referencedFiles: [] }, issues: [] };
}
