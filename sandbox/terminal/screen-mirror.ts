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

export class ScreenMirror {
  private doneCallbacks: Array<(n: number) => void> = [];
  private snapshots = new Map<number, (screen: string) => void>();
  private nextReq = 0;
  private onWritten: (n: number) => void = () => {};

  constructor(
    private readonly id: string,
    private readonly host: MirrorHost,
    public cols: number,
    public rows: number,
  ) {}

  /** called with the byte count each time the worker has parsed a write */
  setOnWritten(cb: (n: number) => void): void {
    this.onWritten = cb;
  }

  write(chunk: Buffer): void {
    if (this.host.broken) return this.onWritten(chunk.length);
    // a pty chunk is a view into a larger read buffer, and cloning a view clones its whole
    // buffer: copy the bytes out and hand the copy over instead
    const data = new Uint8Array(chunk);
    this.host.post({ t: 'write', id: this.id, data }, [data.buffer]);
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.host.post({ t: 'resize', id: this.id, cols, rows });
  }

  snapshot(): Promise<string> {
    if (this.host.broken) return Promise.resolve('');
    const req = this.nextReq++;
    return new Promise((resolve) => {
      this.snapshots.set(req, resolve);
      this.host.post({ t: 'snapshot', id: this.id, req });
    });
  }

  dispose(): void {
    this.host.forget(this.id);
    for (const resolve of this.snapshots.values()) resolve('');
    this.snapshots.clear();
  }

  reply(m: Exclude<Reply, { t: 'ready' }>): void {
    if (m.t === 'written') this.onWritten(m.n);
    else {
      this.snapshots.get(m.req)?.(m.screen);
      this.snapshots.delete(m.req);
    }
  }

  fail(): void {
    for (const resolve of this.snapshots.values()) resolve('');
    this.snapshots.clear();
  }
}
