// Checks the Corefile's SHA512 every interval (plus jitter) and reloads when it changed.
// A bad new Corefile is logged by the server and the running configuration stays.
import { createHash } from 'node:crypto';
import type { FileHooks } from '../../core/files.ts';
import type { Handler, Next, ResponseWriter, DnsRequest } from '../../core/plugin.ts';
import type { InstanceShared } from '../../core/shared.ts';
import type { ReloadConfig } from './parse.ts';

const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');

export class ReloadHandler implements Handler {
  readonly name = 'reload';
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private hash = '';
  constructor(
    private readonly cfg: ReloadConfig,
    private readonly shared: InstanceShared,
    private readonly log: (line: string) => void,
    private readonly files: FileHooks,
  ) {}

  serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    return next(req, w);
  }

  async start(): Promise<void> {
    const hash = sha512(this.shared.confText());
    const m = this.shared.metrics();
    m.reloadVersion.reset();
    m.reloadVersion.set({ hash: 'sha512', value: hash }, 1);
    this.hash = hash;
    this.schedule(hash);
  }

  // the hook CoreDNS's reload registers on caddy's InstanceStartupEvent logs the hash
  instanceStarted(): void {
    this.log(`[INFO] plugin/reload: Running configuration SHA512 = ${this.hash}`);
  }

  private schedule(hash: string): void {
    if (this.stopped || !this.shared.confPath) return;
    const delay = this.cfg.intervalMs + Math.random() * this.cfg.jitterMs;
    this.timer = setTimeout(() => void this.check(hash), delay);
    this.timer.unref();
  }

  private async check(hash: string): Promise<void> {
    if (this.stopped) return;
    let text: string;
    try {
      text = this.files.readFile(this.shared.confPath!);
    } catch (err) {
      this.log(`[ERROR] plugin/reload: Corefile cannot be read: ${(err as Error).message}`);
      return this.schedule(hash);
    }
    const now = sha512(text);
    if (now === hash || this.stopped) return this.schedule(hash);
    this.log('[INFO] Reloading');
    await this.shared.reload();
    // on success this handler was stopped and the new one took over; otherwise keep watching
    if (!this.stopped) {
      this.log('[INFO] plugin/reload: Reload failed, keeping the running configuration');
      this.schedule(now);
    } else this.log('[INFO] Reloading complete');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
