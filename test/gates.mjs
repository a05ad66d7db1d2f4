#!/usr/bin/env node
// The code's own checks, run before the tests by `npm test` (and so by .ci/run), and alone by
// `npm run gates`: types (the whole tree, site/ included), the Astro pages, lint and layering.
// Each runs through its npm script; the first that fails stops the run and is named.
import { spawnSync } from 'node:child_process';

const GATES = ['typecheck', 'typecheck:site', 'lint', 'depcruise'];

for (const gate of GATES) {
  console.log(`== gate: ${gate}`);
  const r = spawnSync('npm', ['run', '--silent', gate], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`gate failed: ${gate} (npm run ${gate})`);
    process.exit(1);
  }
}
