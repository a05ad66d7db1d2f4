// Compiles the test files with esbuild before node's runner starts them, the way the CLI runs
// from a bundle (build/bundle.mjs). Each test file is its own process; through tsx, each paid
// about 0.3 s of CPU to start the loader and 0.3 s more to load the sandbox's ~200 modules
// through it, a minute and a half of the suite's CPU on 2 cores. A bundle loads in a tenth.
// Stack traces still name the .ts sources (linked source maps, --enable-source-maps).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pidAlive } from './process-tree.mjs';

/** under node_modules, so npm packages resolve from the built files as from the sources */
const BUILDS = join('node_modules', '.cache', 'coredns-lab-tests');

/**
 * Builds `files` (paths relative to `root`) into a folder of this run's own, and returns the
 * built paths in the same order and a function that removes them.
 */
export async function buildTests(root, files) {
  const outdir = join(root, BUILDS, String(process.pid));
  rmSync(outdir, { recursive: true, force: true });
  // what a run that was killed before its end left behind
  mkdirSync(join(root, BUILDS), { recursive: true });
  for (const name of readdirSync(join(root, BUILDS), { withFileTypes: true }).filter((d) => d.isDirectory())) {
    if (!pidAlive(Number(name.name))) rmSync(join(root, BUILDS, name.name), { recursive: true, force: true });
  }
  // loaded here, not at the top: every test process loads this module (profile.mjs, for sourceOf)
  const esbuild = await import('esbuild');
  const { ownSourcesOptions } = await import('../../build/bundle.mjs');
  try {
    await esbuild.build({
      ...(await ownSourcesOptions()),
      entryPoints: files.map((f) => join(root, f)),
      outbase: root,
      outdir,
      chunkNames: 'chunks/[name]-[hash]',
    });
  } finally {
    await esbuild.stop();
  }
  return {
    built: files.map((f) => join(outdir, f.replace(/\.ts$/, '.mjs'))),
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** the test file a built one came from, relative to `root` (a path not built is returned as is) */
export function sourceOf(root, path) {
  const rel = relative(root, path);
  const m = /^node_modules\/\.cache\/coredns-lab-tests\/\d+\/(.*)\.mjs$/.exec(rel);
  return m ? `${m[1]}.ts` : rel;
}
