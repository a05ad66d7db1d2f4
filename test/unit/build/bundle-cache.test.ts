import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedBundle, sourceStamp } from '../../../build/bundle-cache.mjs';
import { cliBundle } from '../../../build/bundle.mjs';

function fixture(): { dir: string; src: string; root: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-cache-'));
  const src = join(dir, 'src');
  mkdirSync(join(src, 'test-support'), { recursive: true });
  writeFileSync(join(src, 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(src, 'test-support', 'x.ts'), 'x\n');
  return { dir, src, root: join(dir, 'dist') };
}

test('the stamp follows the sources and ignores test-support', () => {
  const { dir, src } = fixture();
  try {
    const s1 = sourceStamp([src]);
    writeFileSync(join(src, 'test-support', 'x.ts'), 'changed, but not a source\n');
    assert.equal(sourceStamp([src]), s1);
    writeFileSync(join(src, 'a.ts'), 'export const a = 22;\n');
    assert.notEqual(sourceStamp([src]), s1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bundle is built once per state of its sources, and a failed build throws', async () => {
  const { dir, src, root } = fixture();
  try {
    let builds = 0;
    const build = async (out: string) => {
      builds++;
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'main.mjs'), readFileSync(join(src, 'a.ts')));
    };
    const opts = { root, sources: [src], entry: 'main.mjs', build };
    const [f1, f2] = await Promise.all([cachedBundle(opts), cachedBundle(opts)]);
    assert.equal(f1, f2);
    assert.ok(builds >= 1 && builds <= 2, 'both callers share one folder even when they race');
    assert.equal(await cachedBundle(opts), f1);
    const before = builds;
    assert.equal(await cachedBundle(opts), f1);
    assert.equal(builds, before, 'an unchanged source tree is not rebuilt');

    writeFileSync(join(src, 'a.ts'), 'export const a = 333;\n');
    const f3 = await cachedBundle(opts);
    assert.notEqual(f3, f1);
    assert.match(readFileSync(f3, 'utf8'), /333/);
    assert.ok(existsSync(f1), "the previous bundle stays for processes still loading its chunks");
    assert.deepEqual(readdirSync(root).filter((n) => n.includes('.tmp-')), []);

    writeFileSync(join(src, 'a.ts'), 'broken\n');
    await assert.rejects(cachedBundle({ ...opts, build: async () => { throw new Error('esbuild: syntax error'); } }), /syntax error/);
    assert.deepEqual(readdirSync(root).filter((n) => n.includes('.tmp-')), [], 'a failed build leaves no half folder');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundled CLI resolves files next to its sources (each source file keeps its own import.meta)', async () => {
  const main = await cliBundle();
  assert.ok(main, 'esbuild is installed here, so the CLI runs from a bundle');
  assert.match(main, /dist\/cli\/[0-9a-f]{16}\/main\.mjs$/);
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  const out = execFileSync(process.execPath, ['-e', `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(['--version']);`], { encoding: 'utf8' });
  assert.equal(out.trim(), `coredns-lab ${pkg.version}`);
});

test('prepare (run by npm install) leaves the CLI bundle and the DNS server bundle in dist/', async () => {
  const out = execFileSync(process.execPath, [new URL('../../../sandbox/cli/prepare.mjs', import.meta.url).pathname], { encoding: 'utf8' });
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 2, out);
  for (const l of lines) assert.match(l, /^coredns-lab: .* \.\.\. done \(\d+\.\d s\)$/);
  const { dnsServerBundle } = await import('../../../build/bundle.mjs');
  assert.ok(existsSync(await dnsServerBundle()));
});

test('a CLI bundle that cannot be built stops the command with the reason, not a quiet switch to tsx', async () => {
  // a copy of the entry point and build/ over a source tree whose main.ts does not parse
  const dir = mkdtempSync(join(tmpdir(), 'bundle-fails-'));
  try {
    const repo = new URL('../../../', import.meta.url).pathname;
    for (const f of ['build/bundle.mjs', 'build/bundle-cache.mjs', 'bin/coredns-lab.js']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), readFileSync(join(repo, f)));
    }
    symlinkSync(realpathSync(join(repo, 'node_modules')), join(dir, 'node_modules'));
    mkdirSync(join(dir, 'sandbox/cli'), { recursive: true });
    writeFileSync(join(dir, 'sandbox/cli/main.ts'), 'export async function main( {\n');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const r = spawnSync(process.execPath, [join(dir, 'bin/coredns-lab.js'), '--version'], { encoding: 'utf8', env: { ...process.env, COREDNS_LAB_FROM_SOURCE: '' } });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^coredns-lab: cannot build the CLI into ${dir}/dist/cli: .+\\n  run \`npm install\` \\(esbuild is a dependency\\) and make the checkout writable, or set COREDNS_LAB_FROM_SOURCE=1`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
