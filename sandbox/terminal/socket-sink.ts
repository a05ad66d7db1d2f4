// Sends a session's output to one WebSocket, holding the session's backpressure while the
// socket's send queue or the page's unrendered backlog is above the high-water mark.
import type WebSocket from 'ws';
import { Watermark, type Backpressure } from './flow-control.ts';
import { CLOSE, FLOW, type CloseReason, type ServerMessage } from './protocol.ts';
import type { OutputSink } from './session.ts';

let sinkSeq = 0;

export class SocketSink implements OutputSink {
  private readonly socketMark: Watermark;
  private readonly pageMark: Watermark;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly sessionId: string,
    bp: Backpressure,
  ) {
    const tag = ++sinkSeq;
    this.socketMark = new Watermark(bp, `socket#${tag}`, FLOW.highWater, FLOW.lowWater);
    this.pageMark = new Watermark(bp, `page#${tag}`, FLOW.highWater, FLOW.lowWater);
  }

  replay(screen: string, restored: boolean): void {
    this.send({ t: 'attached', session: this.sessionId, restored, screen });
  }

  data(chunk: Buffer): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    // A pty hands over ~4 KiB per read; gathering what arrives in one turn of the event loop
    // into one frame cuts per-frame costs on both ends without delaying an echo.
    this.queue.push(chunk);
    this.queued += chunk.length;
    this.pageMark.add(chunk.length);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  private queue: Buffer[] = [];
  private queued = 0;
  private flushScheduled = false;
  private readonly flush = () => {
    this.flushScheduled = false;
    const n = this.queued;
    const frame = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, n);
    this.queue = [];
    this.queued = 0;
    if (n === 0 || this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.socketMark.add(n);
    this.ws.send(frame, { binary: true }, () => this.socketMark.done(n));
  };

  /** The page rendered n more bytes. */
  ack(n: number): void {
    this.pageMark.done(n);
  }

  close(reason: CloseReason, message: string): void {
    if (this.closed) return;
    this.send({ t: 'closing', code: reason, message });
    this.closed = true;
    this.ws.close(CLOSE[reason], reason);
  }

  released(): void {
    this.queue = [];
    this.queued = 0;
    this.socketMark.reset();
    this.pageMark.reset();
  }

  /** bytes sent but not yet rendered by the page, for tests and diagnostics */
  get unacked(): number {
    return this.pageMark.bytes;
  }

  private send(m: ServerMessage): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(m));
  }
}
