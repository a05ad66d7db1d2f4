// One lab shell: a bash in a pty, a server-side screen mirror that a reconnecting page
// replays, and an idle timer. The shell outlives any socket; only exit, reaping or the
// server stopping end it.
import pty from '@lydell/node-pty';
import type { IPty } from '@lydell/node-pty';
import { Backpressure } from './flow-control.ts';
import type { CloseReason } from './protocol.ts';
import type { MirrorHost, ScreenMirror } from './screen-mirror.ts';
import { labBash, shellEnv, type Workspace } from './workspace.ts';

/** how long an ended session's shell has to exit after SIGHUP before it is killed */
export const SIGKILL_AFTER_MS = 2_000;

/** Where a session's output goes while a page is attached. */
export interface OutputSink {
  /** the screen as it was when this sink attached; live data follows */
  replay(screen: string, restored: boolean): void;
  data(chunk: Buffer): void;
  close(reason: CloseReason, message: string): void;
  /** called when the sink is replaced or detached, to drop its flow-control holds */
  released(): void;
  /** a message from the lab to the people at this terminal (a workshop's broadcast, a limit hit) */
  notice?(m: Notice): void;
}

export interface Notice {
  level: 'info' | 'warning';
  text: string;
  /** when it was sent (ISO 8601) */
  at: string;
}

/** a read-only viewer (an instructor watching): gets what the page gets, but never holds the shell back */
interface Watcher {
  sink: OutputSink;
  ready: boolean;
  pending: Buffer[];
}

export interface SessionOptions {
  id: string;
  workspace: Workspace;
  mirrors: MirrorHost;
  cols: number;
  rows: number;
  idleTimeoutMs: number;
  scrollback?: number;
  /** the shell and its args; tests and the bench may swap it */
  command?: { file: string; args: string[] };
  onEnd: (session: TerminalSession, reason: CloseReason) => void;
  /** told when the page detaches and none replaces it (the session-manager's per-browser cap) */
  onDetach?: (session: TerminalSession) => void;
}

export class TerminalSession {
  readonly id: string;
  readonly backpressure: Backpressure;
  private readonly pty: IPty;
  private readonly mirror: ScreenMirror;
  private sink: OutputSink | null = null;
  private sinkReady = false;
  private pending: Buffer[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly idleTimer: NodeJS.Timeout;
  private ended = false;
  private exited = false;
  private killTimer: NodeJS.Timeout | undefined;
  /** when the learner last typed (ms since the epoch); a workshop's instructor sees idle time */
  lastInputAt = Date.now();
  private attachedBefore = false;
  private wroteOutput = false;
  private readonly onEnd: SessionOptions['onEnd'];
  private readonly onDetach: SessionOptions['onDetach'];

  constructor(opts: SessionOptions) {
    this.id = opts.id;
    this.onEnd = opts.onEnd;
    this.onDetach = opts.onDetach;
    const ws = opts.workspace;
    const cmd = opts.command ?? labBash(ws.stateDir);
    this.pty = pty.spawn(cmd.file, cmd.args, {
      name: 'xterm-256color',
      cols: opts.cols,
      rows: opts.rows,
      cwd: ws.dir,
      env: shellEnv(ws, opts.id),
      encoding: null,
    });
    this.backpressure = new Backpressure(
      () => this.pty.pause(),
      () => this.pty.resume(),
    );
    this.mirror = opts.mirrors.open(opts.id, opts.cols, opts.rows, opts.scrollback ?? 1000);
    this.pty.onData((d) => this.output(d as unknown as Buffer));
    this.pty.onExit(({ exitCode, signal }) => {
      this.exited = true;
      clearTimeout(this.killTimer);
      const how = signal ? `signal ${signal}` : `code ${exitCode}`;
      this.end('LAB_TERM_SHELL_EXITED', `The shell exited (${how}). Press Enter to start a new one.`);
    });
    this.idleTimer = setTimeout(() => {
      const mins = Math.round(opts.idleTimeoutMs / 60000);
      const span = mins >= 1 ? `${mins} min` : `${Math.round(opts.idleTimeoutMs / 1000)} s`;
      this.end('LAB_TERM_IDLE_REAPED', `This terminal was closed after ${span} without input. Press Enter to start a new one.`);
    }, opts.idleTimeoutMs);
    this.idleTimer.unref();
  }

  get pid(): number {
    return this.pty.pid;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** a page is attached (a socket is open on this session) */
  get isAttached(): boolean {
    return this.sink !== null;
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.mirror.cols, rows: this.mirror.rows };
  }

  /** Bytes the mirror has not parsed yet (bounded by MIRROR_BOUNDS). */
  get mirrorBacklog(): number {
    return this.mirror.backlog;
  }

  write(input: string): void {
    if (this.ended) return;
    this.touch();
    this.lastInputAt = Date.now();
    this.pty.write(input);
  }

  resize(cols: number, rows: number): void {
    if (this.ended || (cols === this.mirror.cols && rows === this.mirror.rows)) return;
    this.mirror.resize(cols, rows);
    this.pty.resize(cols, rows);
  }

  touch(): void {
    if (!this.ended) this.idleTimer.refresh();
  }

  /** Attach a page; a previous page is told it was taken over. */
  attach(sink: OutputSink): void {
    if (this.ended) return;
    const prev = this.sink;
    this.sink = sink;
    this.sinkReady = false;
    this.pending = [];
    if (prev) {
      prev.released();
      prev.close('LAB_TERM_TAKEN_OVER', 'This terminal was opened in another tab or window.');
    }
    this.touch();
    const restored = this.attachedBefore;
    this.attachedBefore = true;
    // a shell that has written nothing yet (the usual first attach, right after the spawn) has
    // an empty screen: no round trip to the mirror's worker before the page is told it is attached
    if (!this.wroteOutput) {
      sink.replay('', restored);
      this.sinkReady = true;
      return;
    }
    // The snapshot holds exactly the output that came before this attach; the rest is queued.
    void this.mirror.snapshot().then((screen) => {
      if (this.sink !== sink || this.ended) return;
      sink.replay(screen, restored);
      const queued = this.pending;
      this.pending = [];
      this.sinkReady = true;
      for (const chunk of queued) sink.data(chunk);
    });
  }

  /** Add a read-only viewer: the screen as it is now, then live output. Input stays with the page. */
  watch(sink: OutputSink): void {
    if (this.ended) return;
    const w: Watcher = { sink, ready: false, pending: [] };
    this.watchers.add(w);
    void this.mirror.snapshot().then((screen) => {
      if (!this.watchers.has(w) || this.ended) return;
      sink.replay(screen, true);
      w.ready = true;
      for (const chunk of w.pending) sink.data(chunk);
      w.pending = [];
    });
  }

  unwatch(sink: OutputSink): void {
    for (const w of this.watchers) if (w.sink === sink) this.watchers.delete(w);
  }

  /** tell the page and every viewer */
  notice(m: Notice): void {
    this.sink?.notice?.(m);
    for (const w of this.watchers) w.sink.notice?.(m);
  }

  detach(sink: OutputSink): void {
    if (this.sink !== sink) return;
    this.sink = null;
    this.pending = [];
    sink.released();
    this.onDetach?.(this);
  }

  /** End the session: kill the shell (and its jobs, by SIGHUP) and tell the page why. */
  end(reason: CloseReason, message: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.idleTimer);
    const sink = this.sink;
    this.sink = null;
    if (sink) {
      sink.released();
      sink.close(reason, message);
    }
    for (const w of this.watchers) w.sink.close(reason, message);
    this.watchers.clear();
    try {
      this.pty.kill('SIGHUP');
    } catch {
      // already gone
    }
    // a shell that ignores SIGHUP (`trap '' HUP`, or one caught mid start-up) would keep its pty
    // and process forever; it gets a grace period, then SIGKILL
    if (!this.exited) {
      this.killTimer = setTimeout(() => {
        try {
          if (!this.exited) this.pty.kill('SIGKILL');
        } catch {
          // already gone
        }
      }, SIGKILL_AFTER_MS);
      this.killTimer.unref();
    }
    this.mirror.dispose();
    this.onEnd(this, reason);
  }

  private output(chunk: Buffer): void {
    if (this.ended) return;
    this.wroteOutput = true;
    this.mirror.write(chunk);
    for (const w of this.watchers) {
      if (w.ready) w.sink.data(chunk);
      else w.pending.push(chunk);
    }
    const sink = this.sink;
    if (!sink) return;
    if (this.sinkReady) sink.data(chunk);
    else this.pending.push(chunk);
  }
}
