// Logs what went wrong further down the chain: "[ERROR] plugin/errors: 2 example.org. A: <error>".
import { Rcode, type DnsRequest, type Handler, type Next, type ResponseWriter } from '../../core/plugin.ts';
import type { ErrorsConfig, ConsolidateRule } from './parse.ts';
import { formatDuration } from '../../core/duration.ts';

interface Window {
  rule: ConsolidateRule;
  count: number;
  timer?: NodeJS.Timeout;
}

export class ErrorsHandler implements Handler {
  readonly name = 'errors';
  private windows: Window[];
  constructor(cfg: ErrorsConfig, private readonly log: (line: string) => void) {
    this.windows = cfg.rules.map((rule) => ({ rule, count: 0 }));
  }

  async serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    try {
      return await next(req, w);
    } catch (err) {
      this.report(`${Rcode.SERVFAIL} ${req.qname} ${req.qtype}: ${(err as Error)?.message ?? String(err)}`);
      return Rcode.SERVFAIL;
    }
  }

  report(text: string): void {
    for (const win of this.windows) {
      if (!win.rule.pattern.test(text)) continue;
      win.count++;
      if (win.count === 1 && win.rule.showFirst) this.log(`[${win.rule.level.toUpperCase()}] plugin/errors: ${text}`);
      if (!win.timer) {
        win.timer = setTimeout(() => {
          win.timer = undefined;
          const n = win.count;
          win.count = 0;
          const shown = win.rule.showFirst ? n - 1 : n;
          if (shown > 0) this.log(`[${win.rule.level.toUpperCase()}] plugin/errors: ${shown} errors like '${win.rule.source}' occurred in last ${formatDuration(win.rule.periodMs)}`);
        }, win.rule.periodMs);
        win.timer.unref();
      }
      return;
    }
    this.log(`[ERROR] plugin/errors: ${text}`);
  }

  async stop(): Promise<void> {
    for (const win of this.windows) if (win.timer) clearTimeout(win.timer);
  }
}
