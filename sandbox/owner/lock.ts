// The lock that gives a state dir to one owner: `serve`, `sandbox up` (later `workshop`), or an
// offline `sandbox reset` for the moment it rewrites the store. It names its holder by pid plus
// process start time, so a pid the kernel has recycled for an unrelated program is not taken
// for the owner, and tells `sandbox status|reset|down` where the owner's control socket is.
//
// Why it is race-free:
// - Creation is exclusive: the lock is written in full to a private temp file (opened with
//   O_EXCL) and then link(2)ed to its name, which fails with EEXIST exactly like
//   open(O_CREAT|O_EXCL) but never lets a reader see a half-written lock (a half-written one
//   would look stale and be taken over).
// - A stale lock is removed only under a takeover mutex (`sandbox.pid.takeover`, created the
//   same way), and only if the lock's bytes are still the ones judged stale. Two starters that
//   both judged the same lock stale cannot then remove the lock a third one has just created:
//   whoever holds the mutex re-reads, sees a different lock, and leaves it. So of N starters at
//   most one link(2) succeeds, and every other one reads that live holder and is refused.
// - The mutex is held for a few synchronous system calls. One left by a process killed inside
//   them is cleared when its holder (pid + start time) is gone.
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { makePrivateDir } from '../private-state.ts';
import { SandboxRunningError, StateDirError } from './errors.ts';
import { isSameProcessAlive, processStartTime, selfIdentity } from './process-identity.ts';

export const LOCK_FILE = 'sandbox.pid';
const TAKEOVER_SUFFIX = '.takeover';
/** how long a starter waits for another one's takeover before giving up */
const TAKEOVER_WAIT_MS = 10_000;

export type OwnerKind = 'serve' | 'sandbox up' | 'workshop' | 'sandbox reset';

export interface LockInfo {
  pid: number;
  /** the holder's process start time (process-identity.ts); absent in locks older than it */
  startTime?: string;
  owner?: OwnerKind;
  state: 'starting' | 'running' | 'stopping';
  startedAt: string;
  /** the owner's control socket: in the state dir, or in a private dir when that path is too long */
  control?: string;
  /** serve: the page's address, without its token */
  url?: string;
  apiServer?: string;
  kubeconfig?: string;
  dnsPort?: number;
}

export function lockPath(stateDir: string): string {
  return join(stateDir, LOCK_FILE);
}

/** is the process a lock names still the one that wrote it? */
export function isHolderAlive(info: Pick<LockInfo, 'pid' | 'startTime'>): boolean {
  if (!Number.isInteger(info.pid) || info.pid <= 0) return false;
  // a lock written before start times were recorded: all we can know is whether the pid exists
  if (info.startTime === undefined) return processStartTime(info.pid) !== undefined;
  return isSameProcessAlive({ pid: info.pid, startTime: info.startTime });
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parse(raw: string): LockInfo | undefined {
  try {
    const info = JSON.parse(raw) as LockInfo;
    return typeof info === 'object' && info !== null && Number.isInteger(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** the lock of a live owner, or undefined (no file, unreadable, or its process is gone) */
export function readLock(stateDir: string): LockInfo | undefined {
  const raw = readRaw(lockPath(stateDir));
  const info = raw === undefined ? undefined : parse(raw);
  return info && isHolderAlive(info) ? info : undefined;
}

/** create path holding text, atomically and only if it does not exist; false when it does */
function createExclusive(path: string, text: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

function unlinkIfUnchanged(path: string, expected: string): void {
  if (readRaw(path) !== expected) return;
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** remove the lock whose bytes were judged stale, under the takeover mutex; false if the mutex is busy */
function takeOver(path: string, stale: string): boolean {
  const mutex = path + TAKEOVER_SUFFIX;
  if (!createExclusive(mutex, JSON.stringify(selfIdentity()) + '\n')) {
    const held = readRaw(mutex);
    const holder = held === undefined ? undefined : parse(held);
    if (held !== undefined && (!holder || !isHolderAlive(holder))) unlinkIfUnchanged(mutex, held);
    return false;
  }
  try {
    unlinkIfUnchanged(path, stale);
  } finally {
    unlinkSync(mutex);
  }
  return true;
}

export interface AcquireOptions {
  owner: OwnerKind;
  /** what the refused caller wanted, for the message: "start another one there" */
  action?: string;
  /** the other way out, for the message: "or use another --state-dir" */
  alternative?: string;
}

export class OwnerLock {
  private released = false;

  private constructor(readonly stateDir: string, private info: LockInfo) {}

  get holder(): LockInfo {
    return this.info;
  }

  static acquire(stateDir: string, opts: AcquireOptions): OwnerLock {
    try {
      makePrivateDir(stateDir);
    } catch (err) {
      throw new StateDirError(stateDir, (err as Error).message);
    }
    const me = selfIdentity();
    const info: LockInfo = { pid: me.pid, startTime: me.startTime, owner: opts.owner, state: 'starting', startedAt: new Date().toISOString() };
    const path = lockPath(stateDir);
    const deadline = Date.now() + TAKEOVER_WAIT_MS;
    for (;;) {
      try {
        if (createExclusive(path, JSON.stringify(info) + '\n')) return new OwnerLock(stateDir, info);
      } catch (err) {
        throw new StateDirError(stateDir, (err as Error).message);
      }
      const seen = readRaw(path);
      if (seen === undefined) continue; // removed meanwhile: try again
      const holder = parse(seen);
      // a live holder wins, this very process included (a second start from the same server)
      if (holder && isHolderAlive(holder)) throw new SandboxRunningError(stateDir, holder, opts.action ?? 'start another one there', opts.alternative);
      if (!takeOver(path, seen)) {
        if (Date.now() > deadline) throw new StateDirError(stateDir, `another process has been taking over its stale ${LOCK_FILE} for ${TAKEOVER_WAIT_MS / 1000} s`);
        sleepSync(5 + Math.random() * 10);
      }
    }
  }

  /** does this process own stateDir? */
  static heldHere(stateDir: string): boolean {
    const holder = readLock(stateDir);
    return holder !== undefined && holder.pid === process.pid && holder.startTime === selfIdentity().startTime;
  }

  update(patch: Partial<Omit<LockInfo, 'pid' | 'startTime'>>): void {
    if (this.released) return;
    this.info = { ...this.info, ...patch };
    const tmp = `${lockPath(this.stateDir)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.info) + '\n', { mode: 0o600 });
    renameSync(tmp, lockPath(this.stateDir));
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    const raw = readRaw(lockPath(this.stateDir));
    const current = raw === undefined ? undefined : parse(raw);
    if (current?.pid === this.info.pid && current.startTime === this.info.startTime) unlinkIfUnchanged(lockPath(this.stateDir), raw!);
  }
}
