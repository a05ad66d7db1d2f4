// A node:test reporter that prints, after the run, the test files whose tests took longest: where
// to look first when the suite gets slow. test/run.mjs adds it next to the spec reporter.
// A file's time is the sum of its top-level tests and suites (they run one after another);
// loading the file is not counted. The file is where a test is declared (node's runner reports
// the test() call's place, through the source maps): a support module that declares the tests of
// several files (e2e/support/provider-chapter.ts) is one row.
import { sourceOf } from './build-tests.mjs';

const SHOWN = 12;

export default async function* slowest(source) {
  const perFile = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, nesting, file, details } = event.data;
    if (nesting !== 0) continue;
    // a file that fails as a whole is reported as a top-level test named by its path
    const key = file ?? name;
    perFile.set(key, (perFile.get(key) ?? 0) + (details?.duration_ms ?? 0));
  }
  if (perFile.size < 2) return;
  const rows = [...perFile].sort((a, b) => b[1] - a[1]).slice(0, SHOWN);
  yield `slowest test files (of ${perFile.size}, time in the tests each declares):\n`;
  for (const [file, ms] of rows) yield `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${sourceOf(process.cwd(), file)}\n`;
}
