#!/usr/bin/env node
// The `kube-netsim` command: a thin entry around the bundled, pure cli(argv, io).
require('../dist/cli.js').runMain();
