// The gates `npm test` (and so .ci/run) runs before the tests (test/gates.mjs: typecheck,
// typecheck:site, lint, depcruise), tried on a small tree with one deliberate break for each,
// through the same npm scripts and config files as the real tree. The real tree's own pass is
// `npm test`'s first step, so it is not repeated here.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const CONFIG = ['package.json', 'tsconfig.json', 'eslint.config.js', '.dependency-cruiser.cjs', 'astro.config.mjs', 'site/tsconfig.json', 'test/gates.mjs'];

/** the files of the broken tree; each break is a file of its own, so each gate's report can name it */
const FILES: Record<string, string> = {
  'sandbox/cli/thing.ts': 'export const thing = 1;\n',
  'sandbox/cluster/ok.ts': "import { readFileSync } from 'node:fs';\nexport const read = (p: string): string => readFileSync(p, 'utf8');\n",
  'sandbox/cluster/type-error.ts': "export const port: number = 'fifty-three';\n",
  'sandbox/cluster/explicit-any.ts': 'export function echo(x: any): unknown {\n  return x;\n}\n',
  'sandbox/cluster/imports-cli.ts': "import { thing } from '../cli/thing.ts';\nexport const again = thing;\n",
  'dns-server/imports-sandbox.ts': "import { read } from '../sandbox/cluster/ok.ts';\nexport const load = read;\n",
  'site/pages/index.astro': "---\nconst title: number = 'not a number';\n---\n<h1>{title}</h1>\n",
};

interface Run { code: number; out: string }
function npmRun(cwd: string, script: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npm', ['run', script], { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      // astro check colours its report whatever NO_COLOR says
      resolve({ code, out: stripVTControlCharacters(`${stdout}\n${stderr}`) });
    });
  });
}

/** what the typecheck gate must say of the broken tree (it is the chain's first gate, so the chain's test reads it) */
const TYPECHECK_NAMES = /sandbox\/cluster\/type-error\.ts\(1,14\): error TS2322/;

// the gates after the first; each is run on its own
const GATES: Array<{ gate: string; names: RegExp[] }> = [
  { gate: 'typecheck:site', names: [/site\/pages\/index\.astro:2:7 - error ts\(2322\)/] },
  { gate: 'lint', names: [/sandbox\/cluster\/explicit-any\.ts\s+1:25\s+error\s+Unexpected any.*@typescript-eslint\/no-explicit-any/s] },
  {
    gate: 'depcruise',
    names: [
      /error cluster-not-above-it: sandbox\/cluster\/imports-cli\.ts → sandbox\/cli\/thing\.ts/,
      /error dns-server-alone: dns-server\/imports-sandbox\.ts → sandbox\/cluster\/ok\.ts/,
    ],
  },
];

describe('each gate fails on its deliberate break and names it', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gates-'));
    for (const f of CONFIG) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      copyFileSync(join(repo, f), join(dir, f));
    }
    symlinkSync(realpathSync(join(repo, 'node_modules')), join(dir, 'node_modules'));
    for (const [f, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('npm run gates, the chain npm test starts with, stops at the first failing gate, typecheck, which names the type error', async () => {
    const r = await npmRun(dir, 'gates');
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /== gate: typecheck\n[\s\S]*gate failed: typecheck \(npm run typecheck\)/);
    assert.doesNotMatch(r.out, /== gate: typecheck:site/, 'no gate runs after one failed');
    // the typecheck gate itself: it fails on the type error and names it (one tsc run serves both)
    assert.match(r.out, TYPECHECK_NAMES);
  });

  for (const g of GATES)
    test(g.gate, async () => {
      const r = await npmRun(dir, g.gate);
      assert.notEqual(r.code, 0, `npm run ${g.gate} passed the broken tree:\n${r.out}`);
      for (const n of g.names) assert.match(r.out, n);
    });

  test('the lint baseline: it quiets the cases it counts, fails on one more, and on one fewer until pruned', async () => {
    const file = join(dir, 'sandbox/cluster/explicit-any.ts');
    const original = FILES['sandbox/cluster/explicit-any.ts']!;
    const baseline = (count: number) => writeFileSync(join(dir, 'eslint-suppressions.json'), JSON.stringify({ 'sandbox/cluster/explicit-any.ts': { '@typescript-eslint/no-explicit-any': { count } } }));
    const lint = () => npmRun(dir, 'lint');
    try {
      baseline(1);
      const quiet = await lint();
      assert.equal(quiet.code, 0, quiet.out);

      writeFileSync(file, `${original}export const more = (y: any): unknown => y;\n`);
      const more = await lint();
      assert.notEqual(more.code, 0, more.out);
      assert.match(more.out, /explicit-any\.ts\s[\s\S]*4:25\s+error\s+Unexpected any/);

      writeFileSync(file, 'export const echo = (x: unknown): unknown => x;\n');
      const fewer = await lint();
      assert.notEqual(fewer.code, 0, 'a fixed case must leave the baseline too');
      assert.match(fewer.out, /suppressions left that do not occur anymore.*--prune-suppressions/);
    } finally {
      rmSync(join(dir, 'eslint-suppressions.json'), { force: true });
      writeFileSync(file, original);
    }
  });
});
