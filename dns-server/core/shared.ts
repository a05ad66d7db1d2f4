// What the plugins of one server instance share: the metrics registry, the HTTP endpoints,
// the list of handlers (for ready), reload and shutdown state. Reached from a PluginContext
// through sharedOf(); there is no module-level state, so one process can run many servers.
import type { Handler, PluginContext } from './plugin.ts';
import type { HttpListeners } from './http-listeners.ts';
import type { ServerMetrics } from './metrics.ts';

export interface InstanceShared {
  http: HttpListeners;
  metrics(): ServerMetrics;
  /** every handler of the configuration currently being served */
  handlers(): Handler[];
  /** re-read the Corefile and swap configurations; a bad one is logged and the old one kept */
  reload(): Promise<void>;
  /** the Corefile path, when it came from a file */
  confPath?: string;
  /** the Corefile text currently in force */
  confText(): string;
  /** where the DNS listener for a Corefile port really is (loop sends itself queries there) */
  dnsAddress(port: number): { host: string; port: number } | undefined;
  /** a plugin found the server cannot go on (loop): log "[FATAL] message" and stop */
  fatal(message: string): void;
  /** set when stop() has begun (health's lameduck, ready's 503 "Shutting down") */
  shuttingDown: boolean;
}

const SHARED = Symbol.for('coredns-lab.shared');

export function sharedOf(ctx: PluginContext): InstanceShared {
  const s = (ctx as PluginContext & { [SHARED]?: InstanceShared })[SHARED];
  if (!s) throw new Error('this PluginContext was not created by the dns-server');
  return s;
}

export function withShared(ctx: PluginContext, shared: InstanceShared): PluginContext {
  Object.defineProperty(ctx, SHARED, { value: shared, enumerable: false });
  return ctx;
}
