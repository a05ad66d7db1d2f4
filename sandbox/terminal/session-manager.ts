// Keeps the live sessions by id, creates new ones under a cap, and ends them all on stop.
import { randomBytes } from 'node:crypto';
import { TerminalSession, type SessionOptions } from './session.ts';
import { MirrorHost } from './screen-mirror.ts';
import type { CloseReason } from './protocol.ts';
import type { Workspace } from './workspace.ts';

export interface SessionManagerOptions {
  workspace: Workspace;
  idleTimeoutMs: number;
  maxSessions?: number;
  command?: SessionOptions['command'];
  /** told when a session ends, e.g. to log it */
  onSessionEnd?: (id: string, reason: CloseReason) => void;
}

export class TooManySessionsError extends Error {
  readonly code = 'LAB_TERM_TOO_MANY_SESSIONS' as const;
  constructor(max: number) {
    super(`this lab already runs ${max} terminals; close a tab (or wait for idle ones to be reaped) and reload`);
    this.name = 'TooManySessionsError';
  }
}

export class SessionManager {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly maxSessions: number;
  private readonly mirrors = new MirrorHost();

  constructor(private readonly opts: SessionManagerOptions) {
    this.maxSessions = opts.maxSessions ?? 16;
  }

  /** resolves once new sessions can show their first screen without waiting */
  ready(): Promise<void> {
    return this.mirrors.ready;
  }

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): TerminalSession | undefined {
    return this.sessions.get(id);
  }

  list(): TerminalSession[] {
    return [...this.sessions.values()];
  }

  /** The session with this id if it is still alive, else a new one. */
  open(id: string | null, cols: number, rows: number): TerminalSession {
    const existing = id ? this.sessions.get(id) : undefined;
    if (existing && !existing.isEnded) return existing;
    if (this.sessions.size >= this.maxSessions) throw new TooManySessionsError(this.maxSessions);
    const session = new TerminalSession({
      id: randomBytes(16).toString('base64url'),
      workspace: this.opts.workspace,
      mirrors: this.mirrors,
      cols,
      rows,
      idleTimeoutMs: this.opts.idleTimeoutMs,
      command: this.opts.command,
      onEnd: (s, reason) => {
        this.sessions.delete(s.id);
        this.opts.onSessionEnd?.(s.id, reason);
      },
    });
    this.sessions.set(session.id, session);
    return session;
  }

  /** End every session and the mirror worker. */
  async stopAll(): Promise<void> {
    for (const s of this.list()) s.end('LAB_TERM_SERVER_STOPPING', 'The lab server stopped. Start it again and reload this page.');
    await this.mirrors.close();
  }
}
