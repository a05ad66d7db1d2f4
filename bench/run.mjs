#!/usr/bin/env node
// Runs the benchmarks one after another (never in parallel: they measure the same cores).
// Usage: npm run bench [-- terminal dns api sandbox]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const all = ['terminal', 'dns', 'api', 'sandbox', 'workshop'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = 0;
for (const name of chosen) {
  const file = `bench/${name}/run.ts`;
  if (!all.includes(name) || !existsSync(new URL(`../${file}`, import.meta.url))) {
    console.error(`bench: unknown benchmark "${name}"; choose from ${all.join(', ')}`);
    failed++;
    continue;
  }
  console.log(`\n== bench/${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
