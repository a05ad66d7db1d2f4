// Runs the terminal protocol on one accepted WebSocket: waits for `hello`, attaches the
// socket to a session (new or resumed), then relays input, resizes and acks. The security
// gate has already approved the socket before it gets here.
import type WebSocket from 'ws';
import { CLOSE, parseClientMessage, ProtocolError, type CloseReason } from './protocol.ts';
import { SessionManager, TooManySessionsError } from './session-manager.ts';
import { SocketSink } from './socket-sink.ts';
import { WatchSink } from './watch-sink.ts';
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
  let watching: { session: TerminalSession; sink: WatchSink } | undefined;
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
    // a viewer's input, resizes and acks go nowhere: the learner's page owns the shell
    if (watching) return msg.t === 'hello' ? refuse(ws, 'LAB_TERM_BAD_MESSAGE', 'hello may only be sent once per connection') : undefined;
    if (!session || !sink) {
      if (msg.t !== 'hello') return refuse(ws, 'LAB_TERM_BAD_MESSAGE', `the first message must be hello, got ${msg.t}`);
      clearTimeout(helloTimer);
      if (msg.watch) {
        const target = msg.session ? manager.get(msg.session) : manager.mostRecent();
        if (!target || target.isEnded) return refuse(ws, 'LAB_TERM_NOTHING_TO_WATCH', 'no terminal is open in this lab yet; watch again once the learner has opened the page');
        watching = { session: target, sink: new WatchSink(ws, target.id) };
        target.watch(watching.sink);
        return;
      }
      try {
        session = manager.open(msg.session, msg.cols, msg.rows, client);
      } catch (err) {
        if (err instanceof TooManySessionsError) return refuse(ws, 'LAB_TERM_TOO_MANY_SESSIONS', err.message);
        return refuse(ws, 'LAB_TERM_SPAWN_FAILED', `could not start a shell: ${(err as Error).message}`);
      }
      sink = new SocketSink(ws, session.id, session.backpressure);
      session.resize(msg.cols, msg.rows);
      session.attach(sink);
      const notice = manager.recentNotice();
      if (notice) sink.notice(notice);
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
    if (watching) watching.session.unwatch(watching.sink);
  });
  ws.on('error', () => {
    // a reset connection; 'close' follows and detaches
  });
}
