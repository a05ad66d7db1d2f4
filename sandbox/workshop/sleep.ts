// An idle seat sleeps: its whole cgroup (lab server, cluster, DNS pods, shells) is frozen by the
// kernel's freezer, so it takes no CPU, and thawed on its next request in a few milliseconds,
// before the request is forwarded. A seat sleeps only when no page is connected to it (an open
// terminal WebSocket keeps it awake) and nothing reached it for the idle time.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tryRmdir } from './limits.ts';

const ROOT = '/sys/fs/cgroup';

export interface Freezer {
  /** the cgroup.procs file a seat enters to be frozen with its group; null: the seat's own group (v2) */
  procsFile: string | null;
  freeze(): void;
  thaw(): void;
  /** a freeze asked for or done: the group must be thawed before the seat is used */
  frozen(): boolean;
  /** the kernel holds every process of the group: v1's FREEZING (tasks still stopping) is not yet */
  asleep(): boolean;
  remove(): void;
}

/** a freezer group for one seat (cgroup v1's freezer hierarchy, or v2's cgroup.freeze), or null */
export function seatFreezer(name: string, v2Dir: string | null): Freezer | null {
  try {
    if (existsSync(join(ROOT, 'freezer'))) {
      const dir = join(ROOT, 'freezer', 'coredns-lab', name);
      mkdirSync(dir, { recursive: true });
      const state = join(dir, 'freezer.state');
      return {
        procsFile: join(dir, 'cgroup.procs'),
        freeze: () => writeFileSync(state, 'FROZEN'),
        thaw: () => writeFileSync(state, 'THAWED'),
        frozen: () => readFileSync(state, 'utf8').trim() !== 'THAWED',
        asleep: () => readFileSync(state, 'utf8').trim() === 'FROZEN',
        remove: () => {
          try {
            writeFileSync(state, 'THAWED');
          } catch {
            // already gone
          }
          tryRmdir(dir);
        },
      };
    }
    if (v2Dir && existsSync(join(v2Dir, 'cgroup.freeze'))) {
      const file = join(v2Dir, 'cgroup.freeze');
      return {
        procsFile: null,
        freeze: () => writeFileSync(file, '1'),
        thaw: () => writeFileSync(file, '0'),
        frozen: () => readFileSync(file, 'utf8').trim() === '1',
        // cgroup.freeze is the request; cgroup.events says when the kernel has done it
        asleep: () => /^frozen 1$/m.test(readFileSync(join(v2Dir, 'cgroup.events'), 'utf8')),
        remove: () => {
          try {
            writeFileSync(file, '0');
          } catch {
            // gone with its group
          }
        },
      };
    }
  } catch {
    // no freezer here: seats stay awake
  }
  return null;
}

/**
 * Decides when a seat sleeps: after `idleMs` with no request and no open socket. `wake()` is
 * what the seat's proxy calls before forwarding; it reports how long the thaw took.
 */
export class SleepPolicy {
  private last = Date.now();
  /** open WebSockets and requests in flight through the seat's proxy */
  private open = 0;
  /** the workshop's own work on the seat (reset, solve) */
  private held = 0;
  private readonly timer: NodeJS.Timeout;
  sleeps = 0;
  lastWakeMs: number | null = null;
  /** a seat still starting must not be frozen: the workshop arms the policy once it runs */
  private armed = false;

  constructor(
    private readonly freezer: Freezer,
    private readonly idleMs: number,
  ) {
    this.timer = setInterval(() => this.tick(), Math.min(idleMs, 5000));
    this.timer.unref();
  }

  arm(): void {
    this.armed = true;
    this.last = Date.now();
  }

  activity(openSockets: number): void {
    this.open = openSockets;
    this.last = Date.now();
  }

  /** keeps the seat awake while `fn` runs (the instructor's reset or solve) */
  async awake<T>(fn: () => Promise<T>): Promise<T> {
    this.wake();
    this.held++;
    try {
      return await fn();
    } finally {
      this.held--;
      this.last = Date.now();
    }
  }

  /** asleep as the kernel says: reported only once every process of the seat is held */
  get asleep(): boolean {
    return this.freezer.asleep();
  }

  wake(): void {
    if (!this.freezer.frozen()) return;
    const t0 = performance.now();
    this.freezer.thaw();
    this.lastWakeMs = performance.now() - t0;
    this.last = Date.now();
  }

  private tick(): void {
    if (this.armed && this.open === 0 && this.held === 0 && Date.now() - this.last >= this.idleMs && !this.freezer.frozen()) {
      this.freezer.freeze();
      this.sleeps++;
    }
  }

  /** thaws the seat so it can stop */
  stop(): void {
    clearInterval(this.timer);
    this.freezer.thaw();
  }

  /** once the seat's processes are gone: its freezer group goes too */
  remove(): void {
    this.freezer.remove();
  }
}
