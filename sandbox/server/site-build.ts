// Builds the Astro site into dist/ when it is missing or older than its sources, and makes
// concurrent starts (two test files, two terminals) wait for one build instead of racing.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SiteBuildError } from './errors.ts';

export interface SiteLayout {
  root: string;
  /** the build output (dist/) */
  dist: string;
  /** what a build reads: a change in any of these makes dist stale */
  sources: string[];
}

export function siteLayout(root: string): SiteLayout {
  return {
    root,
    dist: join(root, 'dist'),
    // Exactly what the build reads: the page sources, the config, the sandbox files the pages
    // import, and the installed packages that end up in (or make) the bundle. Not
    // package-lock.json (any unrelated dependency
    // change would trigger a rebuild); an `npm install` that replaces one of these packages
    // rewrites its package.json, which is enough.
    sources: [
      join(root, 'site'),
      join(root, 'astro.config.mjs'),
      join(root, 'sandbox', 'terminal', 'protocol.ts'),
      // the lessons' schema and renderer, which the pages are built with (lessons/ itself is not
      // a source: the server renders an edited lesson per request, lesson-pages.ts)
      join(root, 'sandbox', 'checks', 'lesson-schema.ts'),
      join(root, 'sandbox', 'checks', 'lesson-html.ts'),
      join(root, 'sandbox', 'checks', 'schema.ts'),
      ...SITE_PACKAGES.map((p) => join(root, 'node_modules', p, 'package.json')),
    ],
  };
}

/** npm packages whose installed version changes the built site */
export const SITE_PACKAGES = ['astro', 'vite', '@xterm/xterm', '@xterm/addon-fit', '@xterm/addon-search', '@xterm/addon-web-links', 'micromark', 'zod'];

export const STAMP = '.lab-build-stamp';

/** The newest file (or directory, for deletions) under path, with its mtime. */
export function newest(path: string): { mtime: number; path: string } {
  let st;
  try {
    st = statSync(path);
  } catch {
    return { mtime: 0, path };
  }
  let best = { mtime: st.mtimeMs, path };
  if (!st.isDirectory()) return best;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const n = newest(join(path, name));
    if (n.mtime > best.mtime) best = n;
  }
  return best;
}

export function staleReason(layout: SiteLayout): string | null {
  const stamp = join(layout.dist, STAMP);
  if (!existsSync(stamp) || !existsSync(join(layout.dist, 'client', 'index.html'))) return 'no built site yet';
  const built = statSync(stamp).mtimeMs;
  for (const src of layout.sources) {
    const n = newest(src);
    if (n.mtime > built) return `${relative(layout.root, n.path)} changed since the last build`;
  }
  return null;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function withLock<T>(lockDir: string, fn: () => Promise<T>, onWait: () => void): Promise<T> {
  let waited = false;
  for (;;) {
    try {
      mkdirSync(lockDir, { recursive: false });
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        mkdirSync(join(lockDir, '..'), { recursive: true });
        continue;
      }
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      } catch {
        // the owner has made the dir but not written its pid yet
      }
      if (Number.isInteger(owner) && !pidAlive(owner)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!waited) onWait();
      waited = true;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Build if needed. Resolves true when it built, false when dist was already fresh. */
export async function ensureSiteBuilt(layout: SiteLayout, progress: (line: string) => void): Promise<boolean> {
  if (!staleReason(layout)) return false;
  const lock = join(layout.root, 'node_modules', '.cache', 'coredns-lab-site-build.lock');
  return withLock(
    lock,
    async () => {
      const why = staleReason(layout);
      if (!why) return false; // someone else built it while we waited
      progress(`building the site (${why})...`);
      await runAstroBuild(layout, progress);
      return true;
    },
    () => progress('waiting for another process to finish building the site...'),
  );
}

function runAstroBuild(layout: SiteLayout, progress: (line: string) => void): Promise<void> {
  const started = Date.now();
  const astro = join(layout.root, 'node_modules', 'astro', 'astro.js');
  // the site is static (dist/client only); a dist/server left by an older config would be
  // loaded by app.ts as if it were current
  rmSync(join(layout.dist, 'server'), { recursive: true, force: true });
  rmSync(join(layout.dist, STAMP), { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [astro, 'build'], {
      cwd: layout.root,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (b: Buffer) => {
      tail = (tail + b.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const ticker = setInterval(() => progress(`  still building (${Math.round((Date.now() - started) / 1000)} s)...`), 5000);
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(new SiteBuildError(err.message));
    });
    child.on('exit', (code) => {
      clearInterval(ticker);
      if (code !== 0) {
        const lastLines = tail.trim().split('\n').slice(-8).join('\n');
        return reject(new SiteBuildError(`astro build exited with ${code}\n${lastLines}`));
      }
      const stamp = join(layout.dist, STAMP);
      writeFileSync(stamp, new Date(started).toISOString() + '\n');
      // stamp with the start time: a source saved during the build still counts as newer
      utimesSync(stamp, started / 1000, started / 1000);
      progress(`site built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve();
    });
  });
}
