// Runs the terminal protocol on one accepted WebSocket: waits for `hello`, attaches the
// socket to a session (new or resumed), then relays input, resizes and acks. The security
// gate has already approved the socket before it gets here.
import type WebSocket from 'ws';
import { CLOSE, parseClientMessage, ProtocolError, type CloseReason } from './protocol.ts';
import { SessionManager, TooManySessionsError } from './session-manager.ts';
import { SocketSink } from './socket-sink.ts';
import type { TerminalSession } from './session.ts';

const HELLO_TIMEOUT_MS = 10_000;

function refuse(ws: WebSocket, reason: CloseReason, message: string): void {
  if (ws.readyState === ws.OPEN) {
    ws.send(JSON.stringify({ t: 'error', code: reason, message }));
    ws.close(CLOSE[reason], reason);
  }
}

/** client: who opened the socket (the gate's browser id), for the per-browser cap on detached sessions */
export function bridgeSocket(ws: WebSocket, manager: SessionManager, client?: string): void {
  let session: TerminalSession | undefined;
  let sink: SocketSink | undefined;
  const helloTimer = setTimeout(() => refuse(ws, 'LAB_TERM_BAD_MESSAGE', 'no hello message within 10 s'), HELLO_TIMEOUT_MS);
  helloTimer.unref();

  ws.on('message', (raw, isBinary) => {
    if (isBinary) return refuse(ws, 'LAB_TERM_BAD_MESSAGE', 'client frames must be text (JSON)');
    let msg;
    try {
      msg = parseClientMessage(raw.toString());
    } catch (err) {
      if (err instanceof ProtocolError) return refuse(ws, 'LAB_TERM_BAD_MESSAGE', err.message);
      throw err;
    }
    if (!session || !sink) {
      if (msg.t !== 'hello') return refuse(ws, 'LAB_TERM_BAD_MESSAGE', `the first message must be hello, got ${msg.t}`);
      clearTimeout(helloTimer);
      try {
        session = manager.open(msg.session, msg.cols, msg.rows, client);
      } catch (err) {
        if (err instanceof TooManySessionsError) return refuse(ws, 'LAB_TERM_TOO_MANY_SESSIONS', err.message);
        return refuse(ws, 'LAB_TERM_SPAWN_FAILED', `could not start a shell: ${(err as Error).message}`);
      }
      sink = new SocketSink(ws, session.id, session.backpressure);
      session.resize(msg.cols, msg.rows);
      session.attach(sink);
      return;
    }
    switch (msg.t) {
      case 'hello':
        return refuse(ws, 'LAB_TERM_BAD_MESSAGE', 'hello may only be sent once per connection');
      case 'in':
        return session.write(msg.d);
      case 'resize':
        return session.resize(msg.cols, msg.rows);
      case 'ack':
        return sink.ack(msg.n);
    }
  });

  ws.on('close', () => {
    clearTimeout(helloTimer);
    if (session && sink) session.detach(sink);
  });
  ws.on('error', () => {
    // a reset connection; 'close' follows and detaches
  });
}
