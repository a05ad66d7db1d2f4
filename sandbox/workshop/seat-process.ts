// One seat: a `coredns-lab serve` of its own (its own state dir, embedded cluster, API port and
// token) in a child process, in the seat's cgroup, with its shells in a bubblewrap sandbox. The
// workshop talks to it as any tool talks to a lab: over its control socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../terminal/workspace.ts';
import { makePrivateDir } from '../private-state.ts';
import { inGroup, type SeatGroup } from './limits.ts';
import { seatStateDir, type SeatPlan } from './plan.ts';
import { localControl, type SeatControl } from './seat-control.ts';

/**
 * Node settings for a seat's lab server: dozens of seats share a few cores and one memory, so each
 * keeps a small young generation (1 MB semi-spaces, not 16), one V8 helper thread rather than one
 * per core, and two malloc arenas: about 50 MB less RSS per seat at no measured cost in keystroke
 * echo (bench/workshop, bench/README.md).
 */
const SEAT_NODE_FLAGS = ['--max-semi-space-size=1', '--v8-pool-size=1'];
const SEAT_ENV = { MALLOC_ARENA_MAX: '2' };

/** how long the start-up's page request may take before the seat counts as started without it */
const PAGE_WARM_TIMEOUT_MS = 10_000;

export type SeatState = 'starting' | 'running' | 'stopped' | 'failed';

export interface SeatOptions {
  workshopDir: string;
  /** run the seat's shells in bubblewrap */
  sandboxShells: boolean;
  group: SeatGroup | null;
  /** more cgroup.procs files to enter (the seat's freezer) */
  moreGroups: string[];
}

export class SeatProcess {
  readonly id: string;
  readonly stateDir: string;
  state: SeatState = 'starting';
  /** the seat's own server (on loopback: learners reach it through the seat's proxy), once it is up */
  backend: { host: string; port: number } | null = null;
  /** why it failed or stopped, in the seat server's own words */
  message: string | null = null;
  private child: ChildProcess | null = null;
  private log: WriteStream | null = null;
  private lastError = '';

  constructor(
    private readonly seat: SeatPlan,
    private readonly opts: SeatOptions,
  ) {
    this.id = seat.id;
    this.stateDir = seatStateDir(opts.workshopDir, seat.id);
    this.control = localControl(this.stateDir);
  }

  /** what the workshop asks the seat: over its control socket */
  readonly control: SeatControl;

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get hits(): string[] {
    return this.opts.group?.hits() ?? [];
  }

  /** resolves when the seat printed its URL, rejects when it exited first */
  start(): Promise<void> {
    makePrivateDir(join(this.opts.workshopDir, 'seats'));
    makePrivateDir(join(this.opts.workshopDir, 'logs'));
    this.log = createWriteStream(join(this.opts.workshopDir, 'logs', `${this.id}.log`), { flags: 'a', mode: 0o600 });
    const serve = [join(REPO_ROOT, 'bin', 'coredns-lab.js'), 'serve', '--host', '127.0.0.1', '--port', '0', '--state-dir', this.stateDir];
    const args = [...SEAT_NODE_FLAGS, ...serve];
    if (this.opts.sandboxShells) args.push('--shell-sandbox', 'bwrap', '--shell-hide', this.opts.workshopDir);
    if (this.opts.group?.shellProcsFiles.length) args.push('--shell-cgroup', this.opts.group.shellProcsFiles.join(','));
    const cpu = this.opts.group?.cpuSwitch;
    if (cpu) args.push('--shell-cpu-groups', `${cpu.interactive},${cpu.commands}`);
    const cmd = inGroup([...(this.opts.group?.procsFiles ?? []), ...this.opts.moreGroups], process.execPath, args);
    // the token goes by environment, never argv (ps shows argv to every user); serve removes it
    // from its own environment before it starts a shell
    const env = { ...process.env, ...SEAT_ENV, COREDNS_LAB_TOKEN: this.seat.token };
    const child = spawn(cmd.file, cmd.args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.state = 'starting';
    return new Promise((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        this.log?.write(`${line}\n`);
        const m = /^coredns-lab: open http:\/\/127\.0\.0\.1:(\d+)\//.exec(line);
        if (m) {
          this.backend = { host: '127.0.0.1', port: Number(m[1]) };
          this.state = 'running';
          void this.warmPage().finally(resolve);
        }
      });
      createInterface({ input: child.stderr! }).on('line', (line) => {
        this.log?.write(`${line}\n`);
        if (/error|cannot|refus|fail/i.test(line)) this.lastError = line.replace(/^coredns-lab( serve)?: /, '');
      });
      child.once('error', (err) => {
        this.state = 'failed';
        this.message = err.message;
        reject(err);
      });
      child.once('exit', (code, signal) => {
        const wasRunning = this.state === 'running';
        this.state = this.state === 'stopped' ? 'stopped' : 'failed';
        if (this.state === 'failed') this.message = this.lastError || `the seat's lab server exited (${signal ?? `code ${code}`})`;
        this.backend = null;
        this.log?.end();
        if (!wasRunning) reject(new Error(`${this.id} did not start: ${this.message ?? 'stopped'}; see ${join(this.opts.workshopDir, 'logs', `${this.id}.log`)}`));
      });
    });
  }

  /**
   * Asks the seat for its start page once, as its learner's browser will: a server's first page
   * costs about 100 ms of CPU (its page code loaded and compiled), later ones a tenth of that.
   * Paid here, while the workshop starts, it is not paid by fifty seats at once as the room joins.
   * Best effort: a seat that does not answer is no worse off.
   */
  private async warmPage(): Promise<void> {
    if (!this.backend) return;
    try {
      const res = await fetch(`http://127.0.0.1:${this.backend.port}/`, {
        headers: { Authorization: `Bearer ${this.seat.token}` },
        signal: AbortSignal.timeout(PAGE_WARM_TIMEOUT_MS),
      });
      await res.arrayBuffer();
    } catch {
      // the learner's first page pays for it instead
    }
  }

  /** SIGTERM (serve stops its terminals and cluster), then SIGKILL after `graceMs` */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.state = 'stopped';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
