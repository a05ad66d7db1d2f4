// The server-side copies of the sessions' screens, kept in one worker thread
// (mirror-worker.mjs). A snapshot is ordered after every write sent before it, so it holds
// exactly the output that preceded the request.
import { Worker } from 'node:worker_threads';

type Reply = { t: 'ready'; id?: undefined } | { t: 'written'; id: string; n: number } | { t: 'snapshot'; id: string; req: number; screen: string };

export class MirrorHost {
  private readonly worker: Worker;
  private readonly mirrors = new Map<string, ScreenMirror>();
  private failed: Error | null = null;
  /** resolves once the worker has loaded xterm (or failed to) */
  readonly ready: Promise<void>;

  constructor() {
    this.worker = new Worker(new URL('./mirror-worker.mjs', import.meta.url));
    this.worker.unref();
    let loaded: () => void;
    this.ready = new Promise((resolve) => (loaded = resolve));
    this.worker.on('message', (m: Reply) => {
      if (m.t === 'ready') return loaded();
      this.mirrors.get(m.id)?.reply(m);
    });
    this.worker.on('error', (err) => {
      loaded();
      // without a mirror a reload shows a blank screen, but the shells keep working
      this.failed = err;
      for (const m of this.mirrors.values()) m.fail();
    });
  }

  open(id: string, cols: number, rows: number, scrollback: number): ScreenMirror {
    const m = new ScreenMirror(id, this, cols, rows);
    this.mirrors.set(id, m);
    this.post({ t: 'open', id, cols, rows, scrollback });
    return m;
  }

  post(msg: object, transfer?: ArrayBuffer[]): void {
    if (!this.failed) this.worker.postMessage(msg, transfer);
  }

  forget(id: string): void {
    this.mirrors.delete(id);
    this.post({ t: 'close', id });
  }

  get broken(): boolean {
    return this.failed !== null;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * How far a mirror may lag. Parsing costs about as much CPU as the pty itself, so the mirror
 * never slows the shell and parses lazily: output waits here (at most `keep` bytes) until the
 * shell has been quiet for `quietMs`, or a snapshot or resize needs it, and only then goes to
 * the worker (at most `window` bytes there at once). During a flood nothing is parsed at all.
 * When a flood overflows `keep`, the oldest waiting bytes are dropped and the mirror restarts
 * from a terminal reset (RIS) followed by the newest `keep` bytes, which is far more than a
 * screen plus its scrollback: the replayed screen after `seq 1 3000000` is still exact, only
 * modes set before the dropped part are lost.
 */
export const MIRROR_BOUNDS = { window: 1024 * 1024, keep: 4 * 1024 * 1024, quietMs: 50 } as const;

const RIS = Buffer.from('\x1bc');

export class ScreenMirror {
  private snapshots = new Map<number, (screen: string) => void>();
  private nextReq = 0;
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  private inWorker = 0;
  private dropped = false;
  private quietTimer: NodeJS.Timeout | null = null;
  /** writes since the quiet timer was last armed */
  private writesSinceArmed = 0;

  constructor(
    private readonly id: string,
    private readonly host: MirrorHost,
    public cols: number,
    public rows: number,
  ) {}

  /** bytes read from the pty and not yet parsed (bounded by MIRROR_BOUNDS) */
  get backlog(): number {
    return this.waitingBytes + this.inWorker;
  }

  write(chunk: Buffer): void {
    if (this.host.broken) return;
    this.waiting.push(chunk);
    this.waitingBytes += chunk.length;
    if (this.waitingBytes > MIRROR_BOUNDS.keep) this.trim();
    this.writesSinceArmed++;
    this.schedule();
  }

  private trim(): void {
    let drop = 0;
    let bytes = this.waitingBytes;
    while (bytes > MIRROR_BOUNDS.keep && drop < this.waiting.length - 1) bytes -= this.waiting[drop++]!.length;
    if (drop === 0) return;
    this.waiting.splice(0, drop);
    this.waitingBytes = bytes;
    this.dropped = true;
  }

  resize(cols: number, rows: number): void {
    this.send(Infinity); // output before the resize was laid out at the old size
    this.cols = cols;
    this.rows = rows;
    this.host.post({ t: 'resize', id: this.id, cols, rows });
  }

  snapshot(): Promise<string> {
    if (this.host.broken) return Promise.resolve('');
    this.send(Infinity); // the snapshot must include everything read so far
    const req = this.nextReq++;
    return new Promise((resolve) => {
      this.snapshots.set(req, resolve);
      this.host.post({ t: 'snapshot', id: this.id, req });
    });
  }

  dispose(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = null;
    this.waiting = [];
    this.waitingBytes = 0;
    this.host.forget(this.id);
    for (const resolve of this.snapshots.values()) resolve('');
    this.snapshots.clear();
  }

  reply(m: Exclude<Reply, { t: 'ready' }>): void {
    if (m.t === 'written') {
      this.inWorker = Math.max(0, this.inWorker - m.n);
      this.schedule();
    } else {
      this.snapshots.get(m.req)?.(m.screen);
      this.snapshots.delete(m.req);
    }
  }

  fail(): void {
    for (const resolve of this.snapshots.values()) resolve('');
    this.snapshots.clear();
  }

  /** Send waiting output to the worker once the shell has been quiet for `quietMs`. */
  private schedule(): void {
    if (this.quietTimer || this.waitingBytes === 0) return;
    this.writesSinceArmed = 0;
    // one timer per quiet period, not one per write: when it fires during a flood it re-arms
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null;
      if (this.writesSinceArmed === 0) this.send(MIRROR_BOUNDS.window);
      this.schedule();
    }, MIRROR_BOUNDS.quietMs);
    this.quietTimer.unref();
  }

  /**
   * Move waiting bytes to the worker, up to `limit` there at once (one chunk more at most): the
   * rest waits for the worker's reply. Moving all that waited in one go let a slow worker (a
   * loaded machine) hold `keep` bytes while as much again waited here.
   */
  private send(limit: number): void {
    if (this.waitingBytes === 0 || this.inWorker >= limit || this.host.broken) return;
    let take = 0;
    let bytes = 0;
    while (take < this.waiting.length && this.inWorker + bytes < limit) bytes += this.waiting[take++]!.length;
    const parts = this.waiting.splice(0, take);
    if (this.dropped) parts.unshift(RIS);
    this.dropped = false;
    // concat copies into a fresh buffer, which is then moved to the worker rather than cloned
    const data = new Uint8Array(Buffer.concat(parts));
    this.waitingBytes -= bytes;
    this.inWorker += data.length;
    this.host.post({ t: 'write', id: this.id, data }, [data.buffer]);
  }
}
