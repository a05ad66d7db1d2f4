// Sends a session's output to a read-only viewer (a workshop instructor watching a learner).
// Unlike the page's SocketSink it takes no part in flow control: a slow viewer must never hold
// the learner's shell back, so one that falls too far behind is dropped instead.
import type WebSocket from 'ws';
import { CLOSE, FLOW, type CloseReason, type ServerMessage } from './protocol.ts';
import type { Notice, OutputSink } from './session.ts';

export class WatchSink implements OutputSink {
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly sessionId: string,
  ) {}

  replay(screen: string): void {
    this.send({ t: 'attached', session: this.sessionId, restored: true, screen });
  }

  data(chunk: Buffer): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > FLOW.highWater)
      return this.close('LAB_TERM_WATCHER_TOO_SLOW', 'This view fell behind the learner\'s terminal; open it again to catch up.');
    this.ws.send(chunk, { binary: true });
  }

  notice(m: Notice): void {
    this.send({ t: 'notice', ...m });
  }

  close(reason: CloseReason, message: string): void {
    if (this.closed) return;
    this.send({ t: 'closing', code: reason, message });
    this.closed = true;
    this.ws.close(CLOSE[reason], reason);
  }

  released(): void {
    // holds nothing
  }

  private send(m: ServerMessage): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(m));
  }
}
