#!/usr/bin/env node
// Runs every test file under test/ with node's own test runner (through tsx), prints
// node's summary, and ends with one plain "N passed, N failed" line for CI.
// Usage: node test/run.mjs [path-filter ...]   e.g. node test/run.mjs dns-server
import { spawn } from 'node:child_process';
import { readdirSync, statSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

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

const tap = join(tmpdir(), `coredns-lab-tests-${process.pid}.tap`);
const args = [
  '--import', 'tsx',
  '--test',
  '--test-concurrency=2',
  // a hung test fails after 3 minutes instead of stalling the whole run, and a file whose
  // tests are done cannot keep the run waiting on a forgotten socket
  '--test-timeout=180000',
  '--test-force-exit',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...files,
];
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
child.on('exit', (code, signal) => {
  let pass = 0, fail = 0;
  try {
    const text = readFileSync(tap, 'utf8');
    // the last summary lines of the TAP stream are the totals
    pass = Number(/^# pass (\d+)$/m.exec(text.split('\n').filter((l) => l.startsWith('# pass')).pop() ?? '')?.[1] ?? 0);
    fail = Number(/^# fail (\d+)$/m.exec(text.split('\n').filter((l) => l.startsWith('# fail')).pop() ?? '')?.[1] ?? 0);
    rmSync(tap, { force: true });
  } catch {
    fail = Math.max(fail, 1);
  }
  if (code !== 0 && fail === 0) fail = 1; // a crash outside any test still counts as a failure
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(code ?? (signal ? 1 : 0));
});
