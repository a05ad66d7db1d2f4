// Bundles the dns-server so that plain `node` runs it, without tsx and without node_modules:
//   node dns-server/build.mjs [--outdir dist/dns-server] [--metafile FILE]
// writes OUTDIR/main.mjs plus chunk-*.mjs files for what the server imports lazily (prom-client
// when the Corefile records metrics, client-node's informer when it has kubernetes, client-node's
// full KubeConfig for exec/auth-provider kubeconfigs). Node built-ins stay external.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Stand-ins for two modules that client-node's informer drags in but never needs here; each keeps
 * the one behaviour that is used:
 * - cache.js imports the generated ObjectSerializer (every API model, ~600 kB) only to pass the
 *   label selector string through `serialize(value, 'string')`, which returns strings unchanged;
 * - node-fetch 2 takes `URL` from node's url module and falls back to whatwg-url (with tr46's
 *   Unicode tables, ~300 kB) only on runtimes without one.
 */
const SHIMS = {
  serializer: 'export const ObjectSerializer = { serialize: (data) => data };',
  'whatwg-url': 'export const URL = globalThis.URL; export default { URL: globalThis.URL };',
};

const shims = {
  name: 'dns-server-shims',
  setup(b) {
    b.onResolve({ filter: /^\.\/serializer\.js$/ }, (args) =>
      /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]cache\.js$/.test(args.importer) ? { path: 'serializer', namespace: 'shim' } : undefined);
    b.onResolve({ filter: /^whatwg-url$/ }, (args) => (/[\\/]node-fetch[\\/]/.test(args.importer) ? { path: 'whatwg-url', namespace: 'shim' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'shim' }, (args) => ({ contents: SHIMS[args.path], loader: 'js' }));
  },
};

/** options: outdir (default <repo>/dist/dns-server), metafile (where to write esbuild's metafile) */
export async function buildDnsServer({ outdir = resolve(here, '../dist/dns-server'), metafile } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    // main: the CLI the image runs; index: the programmatic API, for programs that embed the server
    entryPoints: { main: resolve(here, 'main.ts'), index: resolve(here, 'index.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [shims],
    // CommonJS dependencies (dns-packet, prom-client) call require() for node built-ins
    banner: { js: "import { createRequire as __labCreateRequire } from 'node:module'; const require = __labCreateRequire(import.meta.url);" },
  });
  if (metafile !== undefined) writeFileSync(metafile, JSON.stringify(result.metafile));
  return { main: resolve(outdir, 'main.mjs'), index: resolve(outdir, 'index.mjs'), files: Object.keys(result.metafile.outputs) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i < 0 ? undefined : args[i + 1];
  };
  const out = await buildDnsServer({ outdir: opt('--outdir') && resolve(opt('--outdir')), metafile: opt('--metafile') });
  process.stdout.write(`dns-server bundle: ${out.main} (${out.files.length} files)\n`);
}
