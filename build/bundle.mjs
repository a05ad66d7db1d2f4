// The bundles the lab starts from, cached by bundle-cache.mjs: the CLI (our sources, and
// client-node; other npm packages stay imports) and the dns-server that DNS pods load (dns-server/build.mjs). In the
// CLI bundle, import.meta.url in each source file is replaced by that file's own URL, so paths it
// resolves (package.json, templates, the dns-server sources, the mirror worker) point at
// the checkout exactly as when the file runs through tsx.
// COREDNS_LAB_FROM_SOURCE=1 skips the CLI bundle (tsx runs the sources); without it, a bundle
// that cannot be built is an error that says why, never a quiet switch to the slower path.
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { cachedBundle } from './bundle-cache.mjs';

const repo = fileURLToPath(new URL('../', import.meta.url));

/**
 * The expression as code, not as the text of a string: a quote right before it is a string that
 * names it (this file's own, a test's title), which must stay as written.
 */
const OWN_META = /(?<!['"`\w$.])import\.meta\.(url|dirname|filename)\b/g;

/**
 * An esbuild plugin for bundles of our own sources: `import.meta.url` (and `.dirname`,
 * `.filename`) in each source file becomes that file's own, so whatever a file resolves from
 * where it sits (package.json, templates, workers, fixtures) is found as when it runs unbundled.
 */
const ownImportMeta = {
  name: 'own-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.(ts|mjs|js)$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (text.search(OWN_META) < 0) return undefined;
      const own = { url: pathToFileURL(args.path).href, dirname: dirname(args.path), filename: args.path };
      const contents = text.replace(OWN_META, (_m, key) => JSON.stringify(own[key]));
      return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

/** the chunk's own URL, spelled apart: ownImportMeta rewrites the whole expression in this file too (the CLI bundle holds it) */
const CHUNK_URL = ['import', 'meta', 'url'].join('.');

/** the top of each chunk of a bundle with BUNDLED_PACKAGES: their CommonJS dependencies call require() for node built-ins */
const REQUIRE_BANNER = `import { createRequire as __labCreateRequire } from 'node:module'; const require = __labCreateRequire(${CHUNK_URL});`;

/** npm packages the CLI bundle carries inside it instead of importing them */
const BUNDLED_PACKAGES = ['@kubernetes/client-node'];

/** esbuild's `external` for a bundle of our sources: every package of package.json but BUNDLED_PACKAGES */
async function externalPackages() {
  const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8'));
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => !BUNDLED_PACKAGES.includes(d));
}

/**
 * esbuild's options for a bundle of our own sources, the CLI's and the test files'
 * (test/support/build-tests.mjs): ESM for node, split into shared chunks, npm packages left as
 * imports except BUNDLED_PACKAGES, each file's import.meta its own, linked source maps.
 */
export async function ownSourcesOptions() {
  return {
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    // npm packages stay imports, except client-node: ~1,000 ESM files, whose loading one by one
    // cost each process that reads the cluster (a lab server, `check`) 0.6 s of CPU, against
    // 0.2 s for the same code as one chunk. Its own dependencies come along with it.
    external: await externalPackages(),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // a file of its own: inline, client-node's map made its chunk five times its size to read
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [ownImportMeta],
    banner: { js: REQUIRE_BANNER },
  };
}

async function build(outdir) {
  const esbuild = await import('esbuild');
  // esbuild's service process would otherwise live (and hold ~100 MB) as long as the CLI runs
  await esbuild.build({
    ...(await ownSourcesOptions()),
    entryPoints: { main: join(repo, 'sandbox/cli/main.ts') },
    outdir,
    chunkNames: 'chunk-[hash]',
  }).finally(() => esbuild.stop());
}

/** a failed build, with what to do about it */
export class BundleError extends Error {
  name = 'BundleError';
  code = 'LAB_ERR_BUNDLE';
  constructor(what, root, cause) {
    // esbuild's message says only how many errors there were; the first one says what is wrong
    const first = cause?.errors?.[0];
    const why = first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : String(cause?.message ?? cause).split('\n')[0];
    super(`coredns-lab: cannot build ${what} into ${root}: ${why}\n` +
      '  run `npm install` (esbuild is a dependency) and make the checkout writable, or set COREDNS_LAB_FROM_SOURCE=1 to run the sources through tsx', { cause });
  }
}

/**
 * The bundled CLI's main module, or undefined when COREDNS_LAB_FROM_SOURCE=1 asks for the
 * sources through tsx. Throws a BundleError when the bundle cannot be built.
 */
export async function cliBundle() {
  if (process.env.COREDNS_LAB_FROM_SOURCE === '1') return undefined;
  const root = join(repo, 'dist/cli');
  try {
    return await cachedBundle({
      root,
      sources: [join(repo, 'sandbox'), join(repo, 'dns-server'), join(repo, 'build'), join(repo, 'package.json')],
      entry: 'main.mjs',
      build,
    });
  } catch (err) {
    throw new BundleError('the CLI', root, err);
  }
}

/**
 * The dns-server's programmatic entry, bundled by dns-server/build.mjs: the same code as the
 * sources, but client-node's informer arrives without its generated API models and without a
 * module hook per file, so a DNS pod is ready in a fraction of the time. Throws a BundleError if it
 * cannot build.
 */
export async function dnsServerBundle() {
  const sourceDir = join(repo, 'dns-server');
  const root = join(repo, 'dist/dns-server-lib');
  return cachedBundle({
    root,
    sources: [sourceDir],
    entry: 'index.mjs',
    build: async (outdir) => {
      const { buildDnsServer } = await import(pathToFileURL(join(sourceDir, 'build.mjs')).href);
      await buildDnsServer({ outdir });
      // esbuild's service process would otherwise stay beside the sandbox for its whole life
      (await import('esbuild')).stop();
    },
  }).catch((err) => {
    throw new BundleError('the DNS server for the sandbox pods', root, err);
  });
}
