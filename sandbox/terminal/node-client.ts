// A Node client for the terminal protocol, for tests, the bench and scripted checks: it
// speaks the same frames as the page and keeps the decoded output for matching.
import WebSocket from 'ws';
import { StringDecoder } from 'node:string_decoder';
import { FLOW, TERMINAL_WS_PATH, type ClientMessage, type ServerMessage } from './protocol.ts';

export interface TermClientOptions {
  /** http://host:port of the lab */
  base: string;
  token: string;
  session?: string | null;
  cols?: number;
  rows?: number;
  /** acknowledge output as it arrives (default true); false simulates a page that stopped rendering */
  autoAck?: boolean;
  /** override the Origin header (default: the lab's own) */
  origin?: string;
  /** a Cookie header to send, e.g. a browser id so the server counts this client as that browser */
  cookie?: string;
  /** for an https base (a workshop behind TLS): the CA to trust */
  ca?: Buffer;
  /** attach read-only to `session` (or the most recently used shell), as a workshop instructor watches */
  watch?: boolean;
}

export class TermClient {
  readonly ws: WebSocket;
  // Output is kept as decoded chunks: appending to one big string and slicing it would
  // flatten the whole string on every frame, which is quadratic under a flood of output.
  private parts: string[] = [];
  private partStarts: number[] = [];
  private total = 0;
  /** how many characters were dropped from the front; offsets passed around are absolute */
  dropped = 0;
  bytes = 0;
  attached: Extract<ServerMessage, { t: 'attached' }> | null = null;
  closing: Extract<ServerMessage, { t: 'closing' | 'error' }> | null = null;
  /** every notice the lab sent to this terminal */
  readonly notices: Extract<ServerMessage, { t: 'notice' }>[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  onData: ((chunk: Buffer) => void) | null = null;
  /** acknowledge output as it arrives; false simulates a page that stopped rendering */
  autoAck: boolean;
  private readonly decoder = new StringDecoder('utf8');
  private waiters: Array<() => void> = [];

  private constructor(private readonly opts: TermClientOptions) {
    this.autoAck = opts.autoAck !== false;
    const u = new URL(opts.base);
    this.ws = new WebSocket(`${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}${TERMINAL_WS_PATH}`, {
      headers: { Origin: opts.origin ?? `${u.protocol}//${u.host}`, Authorization: `Bearer ${opts.token}`, ...(opts.cookie ? { Cookie: opts.cookie } : {}) },
      perMessageDeflate: false,
      ...(opts.ca ? { ca: opts.ca } : {}),
    });
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => {
      clearTimeout(this.ackTimer);
      this.wake();
      resolve({ code, reason: reason.toString() });
    }));
    this.ws.on('error', () => this.wake());
    this.ws.on('message', (data, isBinary) => {
      const buf = data as Buffer;
      if (isBinary) {
        this.bytes += buf.length;
        this.append(this.decoder.write(buf));
        this.onData?.(buf);
        if (this.autoAck) this.ackLater(buf.length);
      } else {
        const m = JSON.parse(buf.toString()) as ServerMessage;
        if (m.t === 'attached') {
          this.attached = m;
          this.append(m.screen);
        } else if (m.t === 'notice') this.notices.push(m);
        else this.closing = m;
      }
      this.wake();
    });
  }

  static async open(opts: TermClientOptions): Promise<TermClient> {
    const c = new TermClient(opts);
    await new Promise<void>((resolve, reject) => {
      c.ws.once('open', () => resolve());
      c.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      c.ws.once('error', reject);
    });
    c.send({ t: 'hello', session: opts.session ?? null, cols: opts.cols ?? 80, rows: opts.rows ?? 24, ...(opts.watch ? { watch: true } : {}) });
    await c.until(() => c.attached !== null || c.closing !== null, 10_000, 'the attached message');
    return c;
  }

  // Acks are batched like the page does (FLOW.ackEvery, or when output pauses).
  private unacked = 0;
  private ackTimer: NodeJS.Timeout | undefined;
  private ackLater(n: number): void {
    this.unacked += n;
    if (this.unacked >= FLOW.ackEvery) this.flushAck();
    else this.ackTimer ??= setTimeout(() => this.flushAck(), 20);
  }
  private flushAck(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.unacked > 0) this.send({ t: 'ack', n: this.unacked });
    this.unacked = 0;
  }

  send(m: ClientMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(m));
  }

  type(text: string): void {
    this.send({ t: 'in', d: text });
  }

  /** The output kept so far (the last few MB), starting with the replayed screen. */
  get text(): string {
    if (this.parts.length > 1) {
      this.parts = [this.parts.join('')];
      this.partStarts = [this.dropped];
    }
    return this.parts[0] ?? '';
  }

  /** Absolute offset of the end of the output so far, for waitFor's `from`. */
  get length(): number {
    return this.total;
  }

  private append(s: string): void {
    if (!s) return;
    this.parts.push(s);
    this.partStarts.push(this.total);
    this.total += s.length;
    while (this.total - this.dropped > 4_000_000 && this.parts.length > 1) {
      this.dropped += this.parts.shift()!.length;
      this.partStarts.shift();
    }
  }

  /** The output from absolute offset `from` on (or from the oldest kept output). */
  private since(from: number): string {
    let i = this.partStarts.length - 1;
    while (i > 0 && this.partStarts[i]! > from) i--;
    if (i < 0) return '';
    const joined = this.parts.slice(i).join('');
    return joined.slice(Math.max(0, from - this.partStarts[i]!));
  }

  /**
   * Resolves once pattern shows up in the output after `from` (an absolute offset). Each check
   * scans only new output plus a short overlap, so waiting on a flood of output stays linear.
   */
  waitFor(pattern: string | RegExp, timeoutMs = 10_000, from = 0): Promise<void> {
    const overlap = 4096;
    let scanned = from;
    const hit = () => {
      const start = Math.max(from, scanned - overlap);
      scanned = this.length;
      const window = this.since(start);
      return typeof pattern === 'string' ? window.includes(pattern) : pattern.test(window);
    };
    return this.until(hit, timeoutMs, String(pattern));
  }

  until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (cond()) {
          cleanup();
          resolve();
        } else if (this.ws.readyState === WebSocket.CLOSED) {
          cleanup();
          reject(new Error(`socket closed while waiting for ${what}; output tail: ${JSON.stringify(this.since(this.length - 300))}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; output tail: ${JSON.stringify(this.since(this.length - 300))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
      };
      this.waiters.push(check);
      check();
    });
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
