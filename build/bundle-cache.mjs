// Bundles built on demand and kept under dist/, one folder per state of their sources. Loading
// ~200 TypeScript files through tsx costs the CLI half a second or more on every start (each file
// is resolved and transformed through the loader); one esbuild bundle of the same files loads in a
// tenth of that. A stamp of every source's path, size and mtime names the folder, so an edit
// means a new bundle, never a stale one, and there is still no build step for anyone to forget.
// Plain JS: bin/coredns-lab.js imports it before any TypeScript loader is registered.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** folders never part of a bundle's sources */
const SKIP = new Set(['node_modules', 'test-support', '.git']);

/** a stamp of every file under `paths` (files or folders): path, size and mtime */
export function sourceStamp(paths) {
  const h = createHash('sha256');
  const walk = (p) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (!st.isDirectory()) {
      h.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
      return;
    }
    for (const name of readdirSync(p).sort()) if (!SKIP.has(name)) walk(join(p, name));
  };
  for (const p of paths) walk(p);
  return h.digest('hex').slice(0, 16);
}

/** a running process may still import lazy chunks of the bundle it started from */
const KEEP_OLD_MS = 24 * 3600 * 1000;

/**
 * The path of `entry` inside `<root>/<stamp of sources>/`, built by `build(outdir)` when missing.
 * Built beside and renamed into place, so processes starting together never load half a bundle;
 * other stamps are removed a day after they were built.
 */
export async function cachedBundle({ root, sources, entry, build }) {
  const stamp = sourceStamp(sources);
  const dir = join(root, stamp);
  const file = join(dir, entry);
  if (existsSync(file)) return file;
  mkdirSync(root, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await build(tmp);
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(file)) throw err; // not a lost race: the build itself failed
  }
  const now = Date.now();
  for (const old of readdirSync(root)) {
    const st = statSync(join(root, old), { throwIfNoEntry: false });
    if (old !== stamp && st && now - st.mtimeMs > KEEP_OLD_MS) rmSync(join(root, old), { recursive: true, force: true });
  }
  return file;
}
