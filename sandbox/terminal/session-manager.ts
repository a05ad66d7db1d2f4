// Keeps the live sessions by id, creates new ones under a cap, reaps a browser's detached
// sessions beyond its own cap, and ends them all on stop.
import { randomBytes } from 'node:crypto';
import { TerminalSession, type Notice, type SessionOptions } from './session.ts';
import { MirrorHost } from './screen-mirror.ts';
import type { CloseReason } from './protocol.ts';
import { removeSessionDir, type Workspace } from './workspace.ts';

export interface SessionManagerOptions {
  workspace: Workspace;
  idleTimeoutMs: number;
  maxSessions?: number;
  /**
   * sessions one client (browser) may keep with no page attached (closed tabs) before the
   * oldest of them are ended at once, without waiting for the idle timeout; default 4
   */
  maxDetachedPerClient?: number;
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

/** a page that opens within this long of a notice still gets it */
export const NOTICE_REPLAY_MS = 15 * 60_000;

/** the client of sessions opened without one (tests, scripts) */
export const ANY_CLIENT = 'token';

export class SessionManager {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly maxSessions: number;
  private readonly maxDetached: number;
  private readonly mirrors = new MirrorHost();
  /** session id -> the client that opened it */
  private readonly clients = new Map<string, string>();
  /** session id -> when it lost its page, as a sequence number (older detaches are reaped first) */
  private readonly detachedAt = new Map<string, number>();
  private detachSeq = 0;
  /** the newest input of the shells that have ended: idle time must not jump back when one ends */
  private lastEndedInputAt: number | null = null;

  constructor(private readonly opts: SessionManagerOptions) {
    this.maxSessions = opts.maxSessions ?? 16;
    this.maxDetached = opts.maxDetachedPerClient ?? 4;
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

  /** the detached sessions of one client (or of all), the longest-detached first */
  detached(client?: string): TerminalSession[] {
    return this.list()
      .filter((s) => !s.isAttached && this.detachedAt.has(s.id) && (client === undefined || this.clients.get(s.id) === client))
      .sort((a, b) => this.detachedAt.get(a.id)! - this.detachedAt.get(b.id)!);
  }

  /**
   * The session with this id if it is still alive, else a new one for `client`. The caller
   * attaches a page to it at once. When the lab is full, the longest-detached session (a tab
   * closed long ago, or a `hello` that never stayed) makes room; only attached ones refuse.
   */
  open(id: string | null, cols: number, rows: number, client: string = ANY_CLIENT): TerminalSession {
    const existing = id ? this.sessions.get(id) : undefined;
    if (existing && !existing.isEnded) {
      this.detachedAt.delete(existing.id);
      return existing;
    }
    if (this.sessions.size >= this.maxSessions) {
      const oldest = this.detached()[0];
      if (!oldest) throw new TooManySessionsError(this.maxSessions);
      this.reap(oldest, 'the lab was at its limit of terminals');
    }
    const session = new TerminalSession({
      id: randomBytes(16).toString('base64url'),
      workspace: this.opts.workspace,
      mirrors: this.mirrors,
      cols,
      rows,
      idleTimeoutMs: this.opts.idleTimeoutMs,
      command: this.opts.command,
      onEnd: (s, reason) => {
        this.lastEndedInputAt = Math.max(this.lastEndedInputAt ?? 0, s.lastInputAt);
        this.sessions.delete(s.id);
        this.clients.delete(s.id);
        this.detachedAt.delete(s.id);
        removeSessionDir(this.opts.workspace, s.id);
        this.opts.onSessionEnd?.(s.id, reason);
      },
      onDetach: (s) => this.onDetach(s),
    });
    this.sessions.set(session.id, session);
    this.clients.set(session.id, client);
    return session;
  }

  /** a page left: past the client's cap, its longest-detached sessions end now */
  private onDetach(session: TerminalSession): void {
    if (session.isEnded) return;
    this.detachedAt.set(session.id, ++this.detachSeq);
    const client = this.clients.get(session.id) ?? ANY_CLIENT;
    const detached = this.detached(client);
    for (const s of detached.slice(0, Math.max(0, detached.length - this.maxDetached)))
      this.reap(s, `this browser kept more than ${this.maxDetached} terminals without a tab`);
  }

  private reap(session: TerminalSession, why: string): void {
    // no page is attached, so nobody sees the message; a later hello with this id gets a new shell
    session.end('LAB_TERM_IDLE_REAPED', `This terminal was closed: ${why}. Press Enter to start a new one.`);
  }

  /** when a learner last typed in any of the shells, or null when no shell was ever opened */
  lastInputAt(): number | null {
    let last: number | null = this.lastEndedInputAt;
    for (const s of this.sessions.values()) if (last === null || s.lastInputAt > last) last = s.lastInputAt;
    return last;
  }

  /** the shell a watcher sees when it names none: the one a learner typed in last */
  mostRecent(): TerminalSession | undefined {
    let best: TerminalSession | undefined;
    for (const s of this.sessions.values()) if (!s.isEnded && (!best || s.lastInputAt > best.lastInputAt)) best = s;
    return best;
  }

  /** the last notice, shown to pages that open after it was sent (while it is recent) */
  private lastNotice: Notice | null = null;

  /** Tell every page and viewer; returns how many shells had a page attached. */
  notice(level: Notice['level'], text: string): number {
    const m: Notice = { level, text, at: new Date().toISOString() };
    this.lastNotice = m;
    let pages = 0;
    for (const s of this.sessions.values()) {
      if (s.isAttached) pages++;
      s.notice(m);
    }
    return pages;
  }

  /** the last notice if it is younger than maxAgeMs */
  recentNotice(maxAgeMs = NOTICE_REPLAY_MS): Notice | null {
    const n = this.lastNotice;
    return n && Date.now() - Date.parse(n.at) <= maxAgeMs ? n : null;
  }

  /** End every session and the mirror worker. */
  async stopAll(): Promise<void> {
    for (const s of this.list()) s.end('LAB_TERM_SERVER_STOPPING', 'The lab server stopped. Start it again and reload this page.');
    await this.mirrors.close();
  }
}
