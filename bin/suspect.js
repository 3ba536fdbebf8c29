#!/usr/bin/env node
// Entry point of the `suspect` command: runs the compiled CLI (built by `npm install` through `prepare`).
import { main } from '../dist/cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`suspect: ${err?.message ?? err}\n`);
    process.exitCode = 3;
  },
);
