#!/usr/bin/env node
// Runs every test file under test/ with node's own test runner (through tsx), prints
// node's summary, and ends with one plain "N passed, N failed" line for CI.
// Usage: node test/run.mjs [path-filter ...]   e.g. node test/run.mjs dns-server
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures' || name === 'testdata') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ') || 'test/**/*.test.ts'}`);
  process.exit(1);
}

const args = [
  '--import', 'tsx',
  // no --test-force-exit: a file must end by itself once its tests are done; one that holds a
  // forgotten handle fails 60 s later with the handles named (test/support/leak-check.mjs)
  '--import', pathToFileURL(join(root, 'test', 'support', 'leak-check.mjs')).href,
  '--test',
  '--test-concurrency=2',
  // a hung test fails after 3 minutes instead of stalling the whole run
  '--test-timeout=180000',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter', pathToFileURL(join(root, 'test', 'support', 'slowest.mjs')).href, '--test-reporter-destination=stdout',
  ...files,
];
// stdout is passed through as it comes and also read for the spec reporter's closing totals
const child = spawn(process.execPath, args, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'], env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString('utf8')).slice(-262144);
});
child.on('exit', (code, signal) => {
  const total = (name) => Number([...tail.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, 'gm'))].pop()?.[1] ?? 0);
  const pass = total('pass');
  let fail = total('fail') + total('cancelled');
  if (code !== 0 && fail === 0) fail = 1; // a crash outside any test still counts as a failure
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(code ?? (signal ? 1 : 0));
});
