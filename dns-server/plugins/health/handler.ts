// GET /health answers 200 "OK" while the process runs. With lameduck, shutdown waits that long
// (still answering DNS and /health) so clients move away first.
import type { Handler, Next, ResponseWriter, DnsRequest } from '../../core/plugin.ts';
import type { InstanceShared } from '../../core/shared.ts';
import { HttpEndpoint } from '../../core/http-listeners.ts';
import type { HealthConfig } from './parse.ts';
import { formatDuration } from '../../core/duration.ts';

export class HealthHandler implements Handler {
  readonly name = 'health';
  private readonly endpoint = new HttpEndpoint();
  constructor(private readonly cfg: HealthConfig, private readonly shared: InstanceShared, private readonly log: (line: string) => void) {}

  serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    return next(req, w);
  }

  async start(): Promise<void> {
    await this.endpoint.open(this.shared.http, 'health', this.cfg.address, 8080, '/health', (_req, res) => {
      const t0 = process.hrtime.bigint();
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('OK');
      this.shared.metrics().healthDuration.observe(Number(process.hrtime.bigint() - t0) / 1e9);
    });
  }

  addresses() {
    return this.endpoint.addresses();
  }

  /** the server calls this before stopping anything, so everything keeps serving meanwhile */
  async lameduck(): Promise<void> {
    if (this.cfg.lameduckMs <= 0) return;
    this.log(`[INFO] plugin/health: Going into lameduck mode for ${formatDuration(this.cfg.lameduckMs)}`);
    await new Promise((r) => setTimeout(r, this.cfg.lameduckMs));
  }

  async stop(): Promise<void> {
    await this.endpoint.close();
  }
}
