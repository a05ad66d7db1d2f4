// One container's stdout/stderr as the kubelet keeps it: timestamped lines in a bounded ring,
// readable with kubectl's options (tail, since, timestamps, limitBytes) and followable until the
// container stops. Bounded so that a chatty DNS log cannot grow the sandbox without end.
import { Readable } from 'node:stream';
import type { LogOptions } from '../contracts.ts';

export interface LogLine {
  time: Date;
  text: string;
}

export const DEFAULT_LOG_MAX_BYTES = 1 << 20;

/** RFC 3339 with nanoseconds, as the kubelet prefixes lines for `--timestamps` */
export function kubeletTimestamp(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export class ContainerLog {
  readonly #lines: LogLine[] = [];
  #bytes = 0;
  #partial = '';
  #closed = false;
  readonly #followers = new Set<(l: LogLine | null) => void>();

  /** onLine: a sink that sees every line as it is written (the sandbox's per-pod log sink) */
  constructor(readonly maxBytes = DEFAULT_LOG_MAX_BYTES, private readonly onLine?: (l: LogLine) => void) {}

  get closed(): boolean {
    return this.#closed;
  }

  /** append raw output; only complete lines are visible until close() flushes the rest */
  write(chunk: string | Buffer): void {
    if (this.#closed) return;
    const text = this.#partial + chunk.toString();
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    for (const p of parts) this.#push(p);
  }

  line(text: string): void {
    this.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  #push(text: string): void {
    const entry = { time: new Date(), text };
    this.#lines.push(entry);
    this.#bytes += Buffer.byteLength(text) + 1;
    while (this.#bytes > this.maxBytes && this.#lines.length > 1) {
      const dropped = this.#lines.shift()!;
      this.#bytes -= Buffer.byteLength(dropped.text) + 1;
    }
    this.onLine?.(entry);
    for (const f of this.#followers) f(entry);
  }

  close(): void {
    if (this.#closed) return;
    if (this.#partial) this.#push(this.#partial);
    this.#partial = '';
    this.#closed = true;
    for (const f of this.#followers) f(null);
    this.#followers.clear();
  }

  snapshot(): LogLine[] {
    return this.#lines.slice();
  }

  /** a stream of this log per kubectl's options; with follow it ends when the container stops */
  read(opts: LogOptions = {}): Readable {
    let lines = this.#lines.slice();
    if (opts.sinceSeconds !== undefined) {
      const since = Date.now() - opts.sinceSeconds * 1000;
      lines = lines.filter((l) => l.time.getTime() >= since);
    }
    if (opts.tailLines !== undefined && opts.tailLines >= 0) lines = opts.tailLines === 0 ? [] : lines.slice(-opts.tailLines);
    const render = (l: LogLine) => (opts.timestamps ? `${kubeletTimestamp(l.time)} ${l.text}\n` : `${l.text}\n`);
    let budget = opts.limitBytes !== undefined && opts.limitBytes > 0 ? opts.limitBytes : Infinity;
    let unsubscribe = () => undefined as void;
    const out = new Readable({
      read() {},
      destroy(err, cb) {
        unsubscribe();
        cb(err);
      },
    });
    const emit = (l: LogLine): boolean => {
      let s = Buffer.from(render(l));
      if (s.length > budget) s = s.subarray(0, budget);
      budget -= s.length;
      if (s.length) out.push(s);
      return budget > 0;
    };
    for (const l of lines) {
      if (!emit(l)) { out.push(null); return out; }
    }
    if (!opts.follow || this.#closed) {
      out.push(null);
      return out;
    }
    const follower = (l: LogLine | null) => {
      if (l === null || !emit(l)) { unsubscribe(); out.push(null); }
    };
    this.#followers.add(follower);
    unsubscribe = () => { this.#followers.delete(follower); };
    return out;
  }
}
