// The bundles the lab starts from, cached by bundle-cache.mjs: the CLI (our sources only; npm
// packages stay imports) and the dns-server that DNS pods load (dns-server/build.mjs). In the
// CLI bundle, import.meta.url in each source file is replaced by that file's own URL, so paths it
// resolves (package.json, templates, the dns-server sources, the mirror worker) point at
// the checkout exactly as when the file runs through tsx.
// COREDNS_LAB_FROM_SOURCE=1 skips the bundle (tsx runs the sources).
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { cachedBundle } from './bundle-cache.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));

const ownUrls = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|mjs|js)$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

async function build(outdir) {
  const esbuild = await import('esbuild');
  // esbuild's service process would otherwise live (and hold ~100 MB) as long as the CLI runs
  await esbuild.build({
    entryPoints: { main: join(repo, 'sandbox/cli/main.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: [ownUrls],
  }).finally(() => esbuild.stop());
}

/** the bundled CLI's main module, or undefined when the sources must run through tsx */
export async function cliBundle() {
  if (process.env.COREDNS_LAB_FROM_SOURCE === '1') return undefined;
  try {
    return await cachedBundle({
      root: join(repo, 'dist/cli'),
      sources: [join(repo, 'sandbox'), join(repo, 'dns-server'), join(repo, 'package.json')],
      entry: 'main.mjs',
      build,
    });
  } catch {
    return undefined; // no esbuild (installed without dev dependencies) or a read-only checkout
  }
}

/**
 * The dns-server's programmatic entry, bundled by dns-server/build.mjs: the same code as the
 * sources, but client-node's informer arrives without its generated API models and without a
 * module hook per file, so a DNS pod is ready in a fraction of the time. Throws if it cannot build.
 */
export function dnsServerBundle() {
  const sourceDir = join(repo, 'dns-server');
  return cachedBundle({
    root: join(repo, 'dist/dns-server-lib'),
    sources: [sourceDir],
    entry: 'index.mjs',
    build: async (outdir) => {
      const { buildDnsServer } = await import(pathToFileURL(join(sourceDir, 'build.mjs')).href);
      await buildDnsServer({ outdir });
      // esbuild's service process would otherwise stay beside the sandbox for its whole life
      (await import('esbuild')).stop();
    },
  });
}
