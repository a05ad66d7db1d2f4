// Loaded into every test file's process by test/run.mjs (--import), like leak-check.mjs. When the
// process ends it appends one line to test/artifacts/profile.jsonl: the file, its wall time and the
// CPU it used, its own and its reaped children's (a lab server, chromium, kubectl, tsc). CPU time,
// unlike wall time, barely moves with the machine's load, so it says where the suite's 2 cores go.
// run.mjs turns the lines into test/artifacts/profile.txt after the run.
import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { statFields } from './process-tree.mjs';
import { sourceOf } from './build-tests.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** user+system seconds of this process and of its children it has reaped (Linux; 0 elsewhere) */
function cpuSeconds() {
  const f = statFields(process.pid);
  if (f === undefined) return { self: 0, children: 0 };
  // utime is field 14 of the whole line; statFields starts at field 3
  const ticks = (i) => Number(f[i - 3]) / 100;
  return { self: ticks(14) + ticks(15), children: ticks(16) + ticks(17) };
}

process.on('exit', () => {
  const file = process.argv[1] ? sourceOf(root, process.argv[1]) : '?';
  const { self, children } = cpuSeconds();
  try {
    mkdirSync(dir, { recursive: true });
    appendFileSync(`${dir}profile.jsonl`, `${JSON.stringify({ file, pid: process.pid, wall: process.uptime(), cpu: self, childCpu: children })}\n`);
  } catch {
    // a profile line is not worth failing a test file for
  }
});
