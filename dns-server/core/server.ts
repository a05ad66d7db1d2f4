// One running DNS server: a configuration, its UDP/TCP listeners, its HTTP endpoints, and
// reload/stop. Several can run in one process (the sandbox runs one per DNS pod).
import type dgram from 'node:dgram';
import type { Handler, ServerHooks } from './plugin.ts';
import { filesOf } from './files.ts';
import { Dispatcher, type DroppedQuery } from './dispatch.ts';
import { listenUdp } from './udp-listener.ts';
import { listenTcp, type TcpListener } from './tcp-listener.ts';
import { HttpListeners } from './http-listeners.ts';
import type { ServerMetrics } from './metrics.ts';
import { METRIC_PLUGINS, typeLabel } from './metric-labels.ts';
import { buildConfig, type Config } from './config.ts';
import type { InstanceShared } from './shared.ts';
import { CorefileReadError, FatalError } from '../errors.ts';
import { versionLines } from '../version.ts';

export interface StartOptions {
  /** Corefile path (default "Corefile" when corefile text is not given) */
  conf?: string;
  /** Corefile text instead of a file */
  corefile?: string;
  /** -dns.port: the port of server block keys that name none (default 53) */
  dnsPort?: number;
  hooks?: ServerHooks;
  /** where log lines go (default: stdout) */
  log?: (line: string) => void;
  env?: Record<string, string | undefined>;
}

export interface ListenAddress {
  kind: 'dns' | 'health' | 'ready' | 'metrics';
  transport: 'udp' | 'tcp' | 'http';
  host: string;
  port: number;
}

interface PortListener {
  /** the port the Corefile asked for */
  port: number;
  host: string;
  realPort: number;
  dispatcher: Dispatcher;
  udp: dgram.Socket;
  tcp: TcpListener;
}

interface HasAddresses {
  addresses(): ListenAddress[];
}
interface HasLameduck {
  lameduck(): Promise<void>;
}
const hasLameduck = (h: unknown): h is HasLameduck => typeof (h as HasLameduck).lameduck === 'function';
const hasAddresses = (h: unknown): h is HasAddresses => typeof (h as HasAddresses).addresses === 'function';

export class DnsServer {
  private config: Config | undefined;
  private listeners = new Map<number, PortListener>();
  private readonly hooks: ServerHooks;
  private readonly logLine: (line: string) => void;
  private readonly env: Record<string, string | undefined>;
  private readonly http: HttpListeners;
  private metrics: ServerMetrics | undefined;
  /** metrics.ts, imported once a Corefile uses a plugin that records metrics */
  private metricsModule: typeof import('./metrics.ts') | undefined;
  private text = '';
  private readonly file: string;
  private reloading: Promise<void> | undefined;
  private stopped = false;
  readonly shared: InstanceShared;
  private resolveExit!: (err: Error | undefined) => void;
  private fatalError: FatalError | undefined;
  /** resolves when the server has stopped: undefined after stop(), the error after a fatal one (loop) */
  readonly exited = new Promise<Error | undefined>((r) => (this.resolveExit = r));

  constructor(private readonly opts: StartOptions) {
    this.hooks = opts.hooks ?? {};
    this.logLine = opts.log ?? ((line) => process.stdout.write(line + '\n'));
    this.env = opts.env ?? process.env;
    this.http = new HttpListeners(this.hooks);
    this.file = opts.conf ?? 'Corefile';
    const self = this;
    this.shared = {
      http: this.http,
      metrics: () => (this.metrics ??= this.newMetrics()),
      handlers: () => this.config?.handlers ?? [],
      reload: () => this.reload(),
      confPath: opts.corefile === undefined ? this.file : undefined,
      confText: () => this.text,
      dnsAddress: (port: number) => {
        const l = this.listeners.get(port);
        return l ? { host: l.host, port: l.realPort } : undefined;
      },
      fatal: (message: string) => {
        this.logLine(`[FATAL] ${message}`);
        this.fatalError ??= new FatalError(message);
        void this.stop();
      },
      get shuttingDown() { return self.stopped; },
      set shuttingDown(_v: boolean) { /* set through stop() */ },
    };
  }

  private readText(): string {
    if (this.opts.corefile !== undefined && this.text === '') return this.opts.corefile;
    if (this.opts.corefile !== undefined) return this.opts.corefile;
    try {
      return filesOf(this.hooks).readFile(this.file);
    } catch (err) {
      throw new CorefileReadError(this.file, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message);
    }
  }

  private build(text: string): Config {
    return buildConfig({
      text, file: this.file, dnsPort: this.opts.dnsPort ?? 53, env: this.env, hooks: this.hooks,
      log: this.logLine, dataChanged: () => this.dataChanged(), shared: this.shared,
    });
  }

  private newMetrics(): ServerMetrics {
    if (!this.metricsModule) throw new Error(`metrics used by a plugin missing from METRIC_PLUGINS (core/metric-labels.ts)`);
    return new this.metricsModule.ServerMetrics();
  }

  /** imports prom-client before the handlers start, if any of them records metrics */
  private async loadMetrics(config: Config): Promise<void> {
    if (this.metricsModule || !config.blocks.some((b) => b.directives.some((d) => METRIC_PLUGINS.has(d.name)))) return;
    this.metricsModule = await import('./metrics.ts');
  }

  private dataChanged(): void {
    for (const l of this.listeners.values()) l.dispatcher.cache.clear();
  }

  async start(): Promise<void> {
    const text = this.readText();
    const config = this.build(text);
    this.text = text;
    this.config = config;
    try {
      await this.loadMetrics(config);
      await this.openListeners(config);
      await startAll(config.handlers);
    } catch (err) {
      await this.stop(true);
      throw err;
    }
    // caddy prints each server's zones, then emits InstanceStartupEvent (reload's SHA512 line),
    // then CoreDNS's run.go shows the version
    for (const line of config.banner) this.logLine(line);
    for (const h of config.handlers) h.instanceStarted?.();
    for (const line of versionLines()) this.logLine(line);
  }

  private async openListeners(config: Config): Promise<void> {
    for (const pc of config.ports) {
      let l = this.listeners.get(pc.port);
      if (!l) {
        const want = this.hooks.mapListen?.('dns', '0.0.0.0', pc.port) ?? { host: '0.0.0.0', port: pc.port };
        const dispatcher = new Dispatcher(
          this.hooks,
          (err) => this.logLine(`[ERROR] ${(err as Error)?.stack ?? String(err)}`),
          (d) => this.countDropped(pc.port, d),
        );
        const { udp, tcp, realPort } = await bindPair(want.host, want.port, dispatcher, this.env);
        l = { port: pc.port, host: want.host, realPort, dispatcher, udp, tcp };
        this.listeners.set(pc.port, l);
      }
      l.dispatcher.setRoutes(pc.routes);
    }
    for (const [port, l] of this.listeners) {
      if (config.ports.some((p) => p.port === port)) continue;
      this.listeners.delete(port);
      await closePair(l);
    }
  }

  /** CoreDNS counts queries that match no zone under zone "dropped" (only when metrics are on) */
  private countDropped(port: number, d: DroppedQuery): void {
    const m = this.metrics;
    if (!m) return;
    const base = { server: `dns://:${port}`, zone: 'dropped', view: '' };
    m.requests.inc({ ...base, proto: d.transport, family: d.ipv6 ? '2' : '1', type: typeLabel(d.qtype) });
    m.requestSize.observe({ ...base, proto: d.transport }, d.size);
    m.responses.inc({ ...base, rcode: 'REFUSED', plugin: '' });
    m.duration.observe(base, Number(process.hrtime.bigint() - d.startNs) / 1e9);
  }

  /** Re-read the Corefile; on any error log it and keep serving the old configuration. */
  reload(): Promise<void> {
    this.reloading = (this.reloading ?? Promise.resolve()).then(() => this.doReload());
    return this.reloading;
  }

  private async doReload(): Promise<void> {
    if (this.stopped || !this.config) return;
    let config: Config;
    const oldText = this.text;
    try {
      const text = this.readText();
      config = this.build(text);
      await this.loadMetrics(config);
      // the new instance's reload plugin hashes (and logs) the Corefile it runs, not the old one:
      // CoreDNS's reload OnStartup logs the new SHA512, and a stale hash would reload again
      this.text = text;
      await startAll(config.handlers);
    } catch (err) {
      this.text = oldText;
      this.metrics?.reloadFailed.inc();
      this.logLine(`[ERROR] Restart failed: ${(err as Error).message}`);
      return;
    }
    const old = this.config;
    try {
      await this.openListeners(config);
    } catch (err) {
      this.text = oldText;
      this.metrics?.reloadFailed.inc();
      this.logLine(`[ERROR] Restart failed: ${(err as Error).message}`);
      await stopAll(config.handlers);
      await this.openListeners(old).catch(() => {});
      return;
    }
    this.config = config;
    await stopAll(old.handlers);
    // caddy's restart lists no zones (OnStartupComplete runs only for a fresh start)
    for (const h of config.handlers) h.instanceStarted?.();
  }

  ready(): boolean {
    if (!this.config || this.stopped) return false;
    return this.config.handlers.every((h) => !h.ready || h.ready());
  }

  addresses(): ListenAddress[] {
    const out: ListenAddress[] = [];
    for (const l of this.listeners.values()) {
      out.push({ kind: 'dns', transport: 'udp', host: l.host, port: l.realPort });
      out.push({ kind: 'dns', transport: 'tcp', host: l.host, port: l.realPort });
    }
    const seen = new Set<string>();
    for (const h of this.config?.handlers ?? [])
      if (hasAddresses(h))
        for (const a of h.addresses()) {
          const k = `${a.kind} ${a.host}:${a.port}`;
          if (!seen.has(k)) out.push(a);
          seen.add(k);
        }
    return out;
  }

  async stop(force = false): Promise<void> {
    if (this.stopped && !force) return;
    this.stopped = true;
    await this.reloading?.catch(() => {});
    if (this.config && !force)
      await Promise.all(this.config.handlers.filter((h): h is Handler & HasLameduck => hasLameduck(h)).map((h) => h.lameduck()));
    if (this.config) await stopAll(this.config.handlers);
    for (const l of this.listeners.values()) await closePair(l);
    this.listeners.clear();
    this.resolveExit(this.fatalError);
  }
}

async function startAll(handlers: Handler[]): Promise<void> {
  const started: Handler[] = [];
  try {
    for (const h of handlers) {
      await h.start?.();
      started.push(h);
    }
  } catch (err) {
    await stopAll(started);
    throw err;
  }
}

async function stopAll(handlers: Handler[]): Promise<void> {
  await Promise.all(handlers.map((h) => h.stop?.().catch(() => {})));
}

/** UDP and TCP on the same port; with port 0 the kernel picks UDP's and TCP follows it. */
async function bindPair(host: string, port: number, dispatcher: Dispatcher, env: Record<string, string | undefined>) {
  for (let attempt = 0; ; attempt++) {
    const udp = await listenUdp(host, port, dispatcher, env);
    const realPort = udp.address().port;
    try {
      const tcp = await listenTcp(host, realPort, dispatcher);
      return { udp, tcp, realPort };
    } catch (err) {
      udp.close();
      if (port !== 0 || attempt >= 20) throw err;
    }
  }
}

async function closePair(l: PortListener): Promise<void> {
  await new Promise<void>((r) => l.udp.close(() => r()));
  await l.tcp.close();
}
