// A de-duplicating work queue: each key is reconciled by one call at a time, a key added while
// it is being reconciled runs once more afterwards, and a failing reconcile retries with back-off.
// Controllers are level-triggered, so dropping duplicate wake-ups loses nothing.

export type Reconcile = (key: string) => Promise<void> | void;

export interface WorkQueueOptions {
  name: string;
  reconcile: Reconcile;
  /** first retry delay after an error; doubles up to maxRetryMs */
  retryMs?: number;
  maxRetryMs?: number;
  onError?: (key: string, err: unknown) => void;
}

export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  private scheduled = false;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: WorkQueueOptions) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    this.pending.add(key);
    this.schedule();
  }

  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const old = this.timers.get(key);
    if (old) clearTimeout(old);
    const t = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    t.unref();
    this.timers.set(key, t);
  }

  /** something is pending or running (timers do not count) */
  busy(): boolean {
    return this.pending.size > 0 || this.running.size > 0;
  }

  /** resolves when nothing is pending or running (timers do not count) */
  idle(): Promise<void> {
    if (this.pending.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
    this.again.clear();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const keys = [...this.pending];
      this.pending.clear();
      for (const key of keys) void this.run(key);
    });
  }

  private async run(key: string): Promise<void> {
    this.running.add(key);
    try {
      await this.opts.reconcile(key);
      this.failures.delete(key);
    } catch (err) {
      if (!this.stopped) {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        this.opts.onError?.(key, err);
        const delay = Math.min((this.opts.retryMs ?? 50) * 2 ** (n - 1), this.opts.maxRetryMs ?? 5000);
        this.addAfter(key, delay);
      }
    } finally {
      this.running.delete(key);
      if (this.again.delete(key)) this.add(key);
      if (this.pending.size === 0 && this.running.size === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }
}

export function nsKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
