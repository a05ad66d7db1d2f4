#!/usr/bin/env node
// Entry point of the `coredns-lab` command. It runs a bundle of the TypeScript sources, rebuilt
// whenever a source changes (sandbox/cli/bundle.mjs), because that starts in a fraction of the
// time tsx needs to load each file; without esbuild it runs the sources through tsx.
import { cliBundle } from '../sandbox/cli/bundle.mjs';

const bundle = await cliBundle();
let main;
if (bundle) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../sandbox/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
