// Sends a session's output to one WebSocket, holding the session's backpressure while the
// socket's send queue or the page's unrendered backlog is above the high-water mark.
import type WebSocket from 'ws';
import { Watermark, type Backpressure } from './flow-control.ts';
import { CLOSE, FLOW, type CloseReason, type ServerMessage } from './protocol.ts';
import type { Notice, OutputSink } from './session.ts';

let sinkSeq = 0;

/** How output is framed: see SocketSink.data */
export const FRAME = { max: 64 * 1024, gatherMs: 5, streaming: 2048 } as const;

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
    this.queue.push(chunk);
    this.queued += chunk.length;
    this.pageMark.add(chunk.length);
    if (this.queued >= FRAME.max) return this.flush();
    if (this.timer || this.immediate) return;
    // A pty hands over about 4 KiB per read. An echo or a prompt goes out in the same loop
    // turn; while output streams (the last frame was a full read or more), reads are gathered
    // for up to FRAME.gatherMs or FRAME.max bytes, so a flood costs a few frames, not thousands.
    if (this.streaming) this.timer = setTimeout(this.flush, FRAME.gatherMs);
    else this.immediate = setImmediate(this.flush);
  }

  private queue: Buffer[] = [];
  private queued = 0;
  private streaming = false;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private readonly flush = (): void => {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    const n = this.queued;
    this.streaming = n >= FRAME.streaming;
    if (n === 0) return;
    const frame = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, n);
    this.queue = [];
    this.queued = 0;
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
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
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    this.queue = [];
    this.queued = 0;
    this.socketMark.reset();
    this.pageMark.reset();
  }

  notice(m: Notice): void {
    this.send({ t: 'notice', ...m });
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
