// The programmatic API of the dns-server (used by the sandbox, one server per DNS pod).
import { DnsServer, type StartOptions, type ListenAddress } from './core/server.ts';

export type { StartOptions, ListenAddress } from './core/server.ts';
export type { FileHooks, FileInfo } from './core/files.ts';
export type { ServerHooks, PluginDefinition, Handler, DnsRequest, ResponseWriter, PluginContext } from './core/plugin.ts';
export { CorefileError, CorefileReadError, ListenError, FatalError } from './errors.ts';
export { COREDNS_VERSION } from './version.ts';

export interface DnsServerHandle {
  /** where the server really listens (after hooks.mapListen), DNS and HTTP endpoints */
  addresses(): ListenAddress[];
  /** true when every plugin that reports readiness is ready (what /ready says) */
  ready(): boolean;
  /** re-read the Corefile now; a bad one is logged and the running configuration kept */
  reload(): Promise<void>;
  /** stop serving and close every socket (waits for health's lameduck if configured) */
  stop(): Promise<void>;
  /** resolves when the server stopped: undefined after stop(), an Error when a plugin halted it (loop) */
  readonly exited: Promise<Error | undefined>;
}

/**
 * Starts a server from a Corefile (path or text). Rejects with CorefileError
 * ("Corefile:7 - Error during parsing: Unknown directive 'foo'") or ListenError.
 */
export async function startDnsServer(opts: StartOptions = {}): Promise<DnsServerHandle> {
  const server = new DnsServer(opts);
  await server.start();
  return {
    addresses: () => server.addresses(),
    ready: () => server.ready(),
    reload: () => server.reload(),
    stop: () => server.stop(),
    exited: server.exited,
  };
}
