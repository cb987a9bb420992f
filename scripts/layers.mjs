// The layers of the source tree, lowest first. A folder may import its own layer
// and the layers below it, never one above; FENCES forbid some lower folders too.
// eslint.config.mjs turns this table into `no-restricted-imports` rules per
// folder; scripts/check-layers.mjs checks the same table on the whole import
// graph (dynamic imports included) and proves no cycle runs between folders.
// ARCHITECTURE.md explains each layer.

/** Each layer: the folders in it. A folder means the files directly inside it. */
export const LAYERS = [
  { name: 'base', folders: ['src/core', 'src/core/net'] },
  { name: 'model', folders: ['src/core/model'] },
  { name: 'parse text', folders: ['src/core/parse/text'] },
  {
    name: 'parse families',
    folders: [
      'src/core/parse/iptables',
      'src/core/parse/nft',
      'src/core/parse/ipvs',
      'src/core/parse/routes',
      'src/core/parse/interfaces',
      'src/core/parse/neighbours',
      'src/core/parse/dns',
      'src/core/parse/kubectl',
      'src/core/parse/kubernetes',
    ],
  },
  { name: 'parse topology', folders: ['src/core/parse/topology'] },
  { name: 'parse entry', folders: ['src/core/parse'] },
  { name: 'build', folders: ['src/core/build'] },
  { name: 'walk', folders: ['src/core/sim', 'src/core/policy'] },
  { name: 'dns', folders: ['src/core/dns'] },
  { name: 'query', folders: ['src/core/query', 'src/core/lint'] },
  { name: 'protocol', folders: ['src/protocol'] },
  { name: 'render', folders: ['src/render'] },
  { name: 'cli', folders: ['src/cli'] },
  { name: 'extension logic', folders: ['src/extension/logic'] },
  { name: 'extension service', folders: ['src/extension/service'] },
  { name: 'extension', folders: ['src/extension'] },
  { name: 'webview', folders: ['webview'] },
];

/**
 * Lower folders a folder still may not import (a prefix covers the folder and
 * everything under it), with the reason.
 */
export const FENCES = [
  { from: 'src/core/sim', to: ['src/core/parse', 'src/core/build'], why: 'the walk reads the built model only (src/core/model), never parsers or builders' },
  { from: 'src/core/policy', to: ['src/core/parse', 'src/core/build'], why: 'policy reads the built model only (src/core/model), never parsers or builders' },
];

/** The layer index of a folder (repo-relative, `/`-separated), or undefined if unlisted. */
export function layerOf(folder) {
  const i = LAYERS.findIndex((l) => l.folders.includes(folder));
  return i < 0 ? undefined : i;
}

/** Why `from` may not import a file in `to` (both folders), or undefined when it may. */
export function forbidden(from, to) {
  const [lf, lt] = [layerOf(from), layerOf(to)];
  if (lf !== undefined && lt !== undefined && lt > lf) {
    return `${to} (layer '${LAYERS[lt].name}') is above ${from} (layer '${LAYERS[lf].name}'); imports point down only`;
  }
  for (const f of FENCES) {
    if (f.from !== from) continue;
    if (f.to.some((t) => to === t || to.startsWith(`${t}/`))) return `${from} may not import ${to}: ${f.why}`;
  }
  return undefined;
}

/** Every folder the table names. */
export const FOLDERS = LAYERS.flatMap((l) => l.folders);
