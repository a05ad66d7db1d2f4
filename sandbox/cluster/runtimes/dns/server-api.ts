// The one place the runtimes touch the dns-server package, through its public entry point only.
// DNS pods load the server from its bundle (dns-server/build.mjs), built once per source state
// into dist/dns-server-lib/<stamp>/: the same code, but client-node's informer arrives without its
// generated API models and without a module hook per file, so a DNS pod is ready seconds sooner.
// If the bundle cannot be built, the source is used.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cachedBundle } from '../../../cli/bundle-cache.mjs';
import type { StartOptions, startDnsServer as StartDnsServer } from '../../../../dns-server/index.ts';

export interface RunningServer {
  ready(): boolean;
  stop(): Promise<void>;
  /** the server halted on its own (the loop plugin, a listener failure) */
  onFatal(fn: (message: string) => void): void;
}

const sourceDir = fileURLToPath(new URL('../../../../dns-server/', import.meta.url));
const libRoot = fileURLToPath(new URL('../../../../dist/dns-server-lib/', import.meta.url));

function bundledEntry(): Promise<string> {
  return cachedBundle({
    root: libRoot,
    sources: [sourceDir],
    entry: 'index.mjs',
    build: async (outdir) => {
      const { buildDnsServer } = (await import(pathToFileURL(join(sourceDir, 'build.mjs')).href)) as { buildDnsServer(o: { outdir: string }): Promise<unknown> };
      await buildDnsServer({ outdir });
      // esbuild's service process would otherwise stay beside the sandbox for its whole life
      (await import('esbuild')).stop();
    },
  });
}

let loading: Promise<typeof StartDnsServer> | undefined;
function loadServer(): Promise<typeof StartDnsServer> {
  loading ??= (async () => {
    if (process.env.COREDNS_LAB_DNS_FROM_SOURCE !== '1') {
      try {
        const mod = (await import(pathToFileURL(await bundledEntry()).href)) as { startDnsServer: typeof StartDnsServer };
        return mod.startDnsServer;
      } catch {
        // no esbuild or a read-only checkout: the source works too, only slower to start
      }
    }
    return (await import('../../../../dns-server/index.ts')).startDnsServer;
  })();
  return loading;
}

/** start loading the server early (the sandbox calls this while the rest of the cluster starts) */
export function preloadDnsServer(): void {
  void loadServer().catch(() => undefined);
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const startDnsServer = await loadServer();
  const handle = await startDnsServer(opts);
  return {
    ready: () => handle.ready(),
    stop: () => handle.stop(),
    onFatal: (fn) => {
      void handle.exited.then((err) => { if (err) fn(err.message); });
    },
  };
}
