#!/usr/bin/env node
// The independent audit verifier (src/cli/verify-audit.ts, built into dist/ by `npm run build`).
// Plain Node: no database, no server, only Node's standard library and the service's own hash
// functions. See docs/audit.md.
'use strict';
const path = require('node:path');

const built = path.join(__dirname, '..', 'dist', 'src', 'cli', 'verify-audit.js');
let cli;
try {
  cli = require(built);
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('verify-audit')) {
    console.error('prisoner-services-verify: not built yet: run `npm run build` first');
    process.exit(2);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
