// The terminal WebSocket protocol, shared by the server (sandbox/terminal) and the page
// (site/scripts). The page imports this file for its constants and types only, so it must
// stay free of Node imports.
//
// Frames:
//   client -> server: text frames, one JSON ClientMessage each. The first must be `hello`.
//   server -> client: binary frames are raw pty output (UTF-8 bytes, possibly split mid-character);
//                     text frames are one JSON ServerMessage each.
// Flow control: the client acknowledges output bytes once its terminal has rendered them
// (`ack`). The server pauses the shell while more than FLOW.highWater bytes are unacknowledged
// or queued on the socket, and resumes below FLOW.lowWater.

export const TERMINAL_WS_PATH = '/ws/terminal';

export const FLOW = {
  highWater: 512 * 1024,
  lowWater: 128 * 1024,
  /** the page sends an ack after rendering at least this many bytes (or when output goes quiet) */
  ackEvery: 32 * 1024,
} as const;

export const LIMITS = {
  minCols: 2,
  maxCols: 1000,
  minRows: 1,
  maxRows: 500,
  /** largest single input message, in characters (a big paste is fine, a flood is not) */
  maxInput: 64 * 1024,
} as const;

export type ClientMessage =
  /** watch: attach read-only to `session`, or to the most recently used one when null (a workshop's instructor) */
  | { t: 'hello'; session: string | null; cols: number; rows: number; watch?: boolean }
  | { t: 'in'; d: string }
  | { t: 'resize'; cols: number; rows: number }
  | { t: 'ack'; n: number };

export type ServerMessage =
  /** sent once per connection; `screen` is the serialized screen to write into a reset terminal */
  | { t: 'attached'; session: string; restored: boolean; screen: string }
  /** sent just before the server closes the socket on purpose */
  | { t: 'closing'; code: CloseReason; message: string }
  | { t: 'error'; code: CloseReason; message: string }
  /** a message from the lab to the learner (a workshop's broadcast, a resource limit hit) */
  | { t: 'notice'; level: 'info' | 'warning'; text: string; at: string };

/**
 * Why the server closed a terminal socket: the WebSocket close code (4000-4999, application
 * range) and the reason string, which is also the `code` the page switches on.
 */
export const CLOSE = {
  LAB_TERM_SHELL_EXITED: 4000,
  LAB_TERM_IDLE_REAPED: 4001,
  LAB_TERM_TAKEN_OVER: 4002,
  LAB_TERM_BAD_MESSAGE: 4003,
  LAB_TERM_TOO_MANY_SESSIONS: 4004,
  LAB_TERM_SERVER_STOPPING: 4005,
  LAB_TERM_SPAWN_FAILED: 4006,
  /** a watch found no shell to watch */
  LAB_TERM_NOTHING_TO_WATCH: 4007,
  /** a watcher fell too far behind the shell's output */
  LAB_TERM_WATCHER_TOO_SLOW: 4008,
} as const;
export type CloseReason = keyof typeof CLOSE;

/** Whether the page should open a fresh session (true) or retry the same one (false). */
export function sessionIsGone(reason: CloseReason): boolean {
  return reason === 'LAB_TERM_SHELL_EXITED' || reason === 'LAB_TERM_IDLE_REAPED' || reason === 'LAB_TERM_SPAWN_FAILED';
}

export function closeReasonFromCode(code: number): CloseReason | undefined {
  for (const [k, v] of Object.entries(CLOSE)) if (v === code) return k as CloseReason;
  return undefined;
}

export class ProtocolError extends Error {
  readonly code = 'LAB_TERM_BAD_MESSAGE' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

function intIn(v: unknown, min: number, max: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new ProtocolError(`${what} must be an integer from ${min} to ${max}`);
  return v;
}

/** Parse and validate one client text frame; throws ProtocolError naming the problem. */
export function parseClientMessage(text: string): ClientMessage {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new ProtocolError('a client frame must be one JSON object');
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new ProtocolError('a client frame must be one JSON object');
  const o = m as Record<string, unknown>;
  switch (o.t) {
    case 'hello': {
      const session = o.session ?? null;
      if (session !== null && (typeof session !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(session)))
        throw new ProtocolError('hello.session must be null or a session id');
      if (o.watch !== undefined && typeof o.watch !== 'boolean') throw new ProtocolError('hello.watch must be true or false');
      return {
        t: 'hello',
        session,
        cols: intIn(o.cols, LIMITS.minCols, LIMITS.maxCols, 'hello.cols'),
        rows: intIn(o.rows, LIMITS.minRows, LIMITS.maxRows, 'hello.rows'),
        ...(o.watch ? { watch: true } : {}),
      };
    }
    case 'in':
      if (typeof o.d !== 'string') throw new ProtocolError('in.d must be a string');
      if (o.d.length > LIMITS.maxInput) throw new ProtocolError(`in.d is longer than ${LIMITS.maxInput} characters`);
      return { t: 'in', d: o.d };
    case 'resize':
      return {
        t: 'resize',
        cols: intIn(o.cols, LIMITS.minCols, LIMITS.maxCols, 'resize.cols'),
        rows: intIn(o.rows, LIMITS.minRows, LIMITS.maxRows, 'resize.rows'),
      };
    case 'ack':
      return { t: 'ack', n: intIn(o.n, 0, 1 << 30, 'ack.n') };
    default:
      throw new ProtocolError(`unknown message type ${JSON.stringify(o.t)}; expected hello, in, resize or ack`);
  }
}
