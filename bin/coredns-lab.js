#!/usr/bin/env node
// Entry point of the `coredns-lab` command. It runs a bundle of the TypeScript sources, rebuilt
// whenever a source changes (build/bundle.mjs), because that starts in a fraction of the
// time tsx needs to load each file; COREDNS_LAB_FROM_SOURCE=1 runs the sources through tsx.
import { cliBundle } from '../build/bundle.mjs';

let bundle;
try {
  bundle = await cliBundle();
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
let main;
if (bundle) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../sandbox/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
