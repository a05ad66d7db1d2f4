// The one place the runtimes touch the dns-server package, through its public entry point only.
// DNS pods load the server from its bundle (dnsServerBundle in build/bundle.mjs, rebuilt when a
// dns-server source changes); a bundle that cannot be built fails the pod with the reason, and
// COREDNS_LAB_DNS_FROM_SOURCE=1 is the explicit way to load the sources instead.
import { pathToFileURL } from 'node:url';
import { dnsServerBundle } from '../../../../build/bundle.mjs';
import type { StartOptions, startDnsServer as StartDnsServer } from '../../../../dns-server/index.ts';

export type { FileHooks } from '../../../../dns-server/index.ts';

export interface RunningServer {
  ready(): boolean;
  stop(): Promise<void>;
  /** the server halted on its own (the loop plugin, a listener failure) */
  onFatal(fn: (message: string) => void): void;
}

let loading: Promise<typeof StartDnsServer> | undefined;
function loadServer(): Promise<typeof StartDnsServer> {
  loading ??= (async () => {
    if (process.env.COREDNS_LAB_DNS_FROM_SOURCE !== '1') {
      const mod = (await import(pathToFileURL(await dnsServerBundle()).href)) as { startDnsServer: typeof StartDnsServer };
      return mod.startDnsServer;
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
