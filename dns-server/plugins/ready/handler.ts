// GET /ready: 200 "OK" once every plugin that reports readiness is ready; otherwise 503 with
// the names of those that are not, comma-separated.
import type { Handler, Next, ResponseWriter, DnsRequest } from '../../core/plugin.ts';
import type { InstanceShared } from '../../core/shared.ts';
import { HttpEndpoint } from '../../core/http-listeners.ts';
import type { ReadyConfig } from './parse.ts';

export class ReadyHandler implements Handler {
  readonly name = 'ready';
  private readonly endpoint = new HttpEndpoint();
  private latched = false;
  private waiting: NodeJS.Timeout | undefined;
  constructor(
    private readonly cfg: ReadyConfig,
    private readonly shared: InstanceShared,
    private readonly log: (line: string) => void = () => {},
  ) {}

  serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    return next(req, w);
  }

  /** names of plugins not ready yet (sorted, unique), or [] when all are */
  notReady(): string[] {
    const names = new Set<string>();
    for (const h of this.shared.handlers()) if (h.ready && !h.ready()) names.add(h.name);
    return [...names].sort();
  }

  async start(): Promise<void> {
    await this.endpoint.open(this.shared.http, 'ready', this.cfg.address, 8181, '/ready', (_req, res) => {
      const text = (code: number, body: string) => res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
      if (this.shared.shuttingDown) return text(503, 'Shutting down');
      if (this.latched && this.cfg.monitor === 'until-ready') return text(200, 'OK');
      const missing = this.notReady();
      if (missing.length) return text(503, missing.join(','));
      this.latched = true;
      text(200, 'OK');
    });
    // CoreDNS says once a second which plugins hold readiness back, until none does
    this.waiting = setInterval(() => {
      const missing = this.notReady();
      if (missing.length === 0 || this.shared.shuttingDown) return this.stopWaiting();
      this.log(`[INFO] plugin/ready: Still waiting on: ${JSON.stringify(missing.join(','))}`);
    }, 1000);
    this.waiting.unref();
  }

  private stopWaiting(): void {
    if (this.waiting) clearInterval(this.waiting);
    this.waiting = undefined;
  }

  addresses() {
    return this.endpoint.addresses();
  }

  async stop(): Promise<void> {
    this.stopWaiting();
    await this.endpoint.close();
  }
}
