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
    const n = chunk.length;
    this.socketMark.add(n);
    this.pageMark.add(n);
    this.ws.send(chunk, { binary: true }, () => this.socketMark.done(n));
  }

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
