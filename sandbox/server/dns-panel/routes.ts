// GET /api/dns/events: the DNS panel's server-sent events (protocol.ts), behind the same gate as
// every API route (app.ts). One DnsFeed serves every page that listens; it starts with the first
// and stops a while after the last has gone, so a lab nobody watches follows no logs.
import { Router, type Response } from 'express';
import type { ClusterInfo } from '../../providers/types.ts';
// the feed (and @kubernetes/client-node under it) loads with the first page that opens the panel:
// a lab nobody watches, such as a workshop's idle seat, neither pays its start-up time nor its memory
import type { DnsFeed } from './dns-feed.ts';
import { DNS_EVENTS_PATH, type DnsPanelEvents, type DnsPanelState } from './protocol.ts';

const RETRY_MS = 3000;
const IDLE_STOP_MS = 15_000;
const HEARTBEAT_MS = 20_000;

export class DnsPanelHub {
  private feed: DnsFeed | null = null;
  private starting: Promise<void> | null = null;
  private readonly listeners = new Set<Response>();
  private state: DnsPanelState = { state: 'waiting', message: 'waiting for the cluster' };
  private retry: NodeJS.Timeout | null = null;
  private idle: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly cluster: () => Promise<ClusterInfo>) {}

  router(): Router {
    const router = Router();
    router.get(DNS_EVENTS_PATH.replace(/^\/api/, ''), (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
      res.write(`retry: ${RETRY_MS}\n\n`);
      this.listeners.add(res);
      this.sendAll(res);
      req.on('close', () => this.leave(res));
      if (this.idle) clearTimeout(this.idle);
      this.idle = null;
      this.heartbeat ??= setInterval(() => this.broadcastRaw(': ping\n\n'), HEARTBEAT_MS).unref();
      void this.ensure();
    });
    return router;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of [this.retry, this.idle]) if (t) clearTimeout(t);
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const res of this.listeners) res.end();
    this.listeners.clear();
    await this.starting?.catch(() => {});
    await this.stopFeed();
  }

  private sendAll(res: Response): void {
    this.send(res, 'state', this.feed?.state ?? this.state);
    if (!this.feed) return;
    this.send(res, 'topology', this.feed.topology());
    for (const l of this.feed.lookups()) this.send(res, 'lookup', l);
  }

  private send<K extends keyof DnsPanelEvents>(res: Response, event: K, data: DnsPanelEvents[K]): void {
    if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private broadcast<K extends keyof DnsPanelEvents>(event: K, data: DnsPanelEvents[K]): void {
    for (const res of this.listeners) this.send(res, event, data);
  }

  private broadcastRaw(text: string): void {
    for (const res of this.listeners) if (!res.writableEnded) res.write(text);
  }

  private leave(res: Response): void {
    this.listeners.delete(res);
    if (this.listeners.size || this.closed) return;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.idle = setTimeout(() => {
      this.idle = null;
      if (!this.listeners.size) void this.stopFeed();
    }, IDLE_STOP_MS).unref();
  }

  private setState(s: DnsPanelState): void {
    this.state = s;
    this.broadcast('state', s);
  }

  /** a feed on the running cluster, or a state that says why there is none (retried while pages listen) */
  private ensure(): Promise<void> {
    if (this.feed || this.closed) return Promise.resolve();
    this.starting ??= (async () => {
      const info = await this.cluster();
      if (info.state !== 'running') {
        this.setState({ state: 'waiting', message: `the ${info.provider} cluster is ${info.state}${info.message ? `: ${info.message}` : ''}` });
        return this.again();
      }
      let feed: DnsFeed;
      try {
        const { DnsFeed } = await import('./dns-feed.ts');
        feed = new DnsFeed(info.kubeconfig);
      } catch (err) {
        this.setState({ state: 'error', message: `the kubeconfig ${info.kubeconfig} cannot be used: ${(err as Error).message}` });
        return this.again();
      }
      feed.on('state', (s) => this.broadcast('state', s));
      feed.on('topology', (t) => this.broadcast('topology', t));
      feed.on('lookup', (l) => this.broadcast('lookup', l));
      try {
        await feed.start();
      } catch (err) {
        await feed.stop().catch(() => {});
        this.setState({ state: 'error', message: `the Kubernetes API does not answer (${(err as Error).message}); retrying` });
        return this.again();
      }
      if (this.closed || !this.listeners.size) {
        await feed.stop();
        return;
      }
      this.feed = feed;
      for (const res of this.listeners) this.sendAll(res);
    })().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private again(): void {
    if (this.closed || !this.listeners.size || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.ensure();
    }, RETRY_MS).unref();
  }

  private async stopFeed(): Promise<void> {
    const f = this.feed;
    this.feed = null;
    await f?.stop();
  }
}
