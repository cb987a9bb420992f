#!/usr/bin/env node
// The `kube-netsim` command: a thin entry around the bundled, pure cli(argv, io).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(bundle)) {
  // A checkout that was never built (the package itself always carries dist/).
  process.stderr.write(`kube-netsim: ${bundle} is missing: run \`npm run build\` in ${join(__dirname, '..')}\n`);
  process.exit(2);
}
require(bundle).runMain();
