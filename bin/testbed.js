#!/usr/bin/env node
'use strict';
// The `testbed` command: runs the compiled CLI, dist/cli/index.js (see ensure-dist.js).
const { ensureDist } = require('./ensure-dist');

require(ensureDist('cli/index.js'))
  .main(process.argv)
  .catch((err) => {
    process.stderr.write(`testbed: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exit(1);
  });
