/**
 * File names for a new topology: a default that does not exist yet, and a
 * chosen name made to end in `.netsim.yaml` exactly once (a save dialog whose
 * filter says `yaml` or `netsim.yaml` may append it to a name that has it).
 */

/** `cluster.netsim.yaml`, else `cluster-2.netsim.yaml`, `cluster-3…`: the first name `exists` says is free. */
export function freeTopologyName(exists: (name: string) => boolean, base = 'cluster'): string {
  for (let n = 1; ; n++) {
    const name = `${base}${n === 1 ? '' : `-${n}`}.netsim.yaml`;
    if (!exists(name)) return name;
  }
}

/** The path with one `.netsim.yaml` at the end: `a.netsim.yaml.netsim.yaml` and `a.yaml` become `a.netsim.yaml`. */
export function asTopologyPath(p: string): string {
  const stem = p.replace(/(\.netsim\.yaml)+$/i, '').replace(/(\.netsim)?\.ya?ml$/i, '').replace(/\.netsim$/i, '');
  return `${stem}.netsim.yaml`;
}
