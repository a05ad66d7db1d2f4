// The pid file that makes one state dir belong to one running sandbox. It is created with O_EXCL,
// so two `sandbox up` on the same dir cannot both win; a file left by a process that died is stale
// and is taken over. It also tells `status` and `down` where the running instance is.
import { readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateDir, writePrivateFile } from '../../private-state.ts';
import { SandboxRunningError, StateDirError } from './errors.ts';

export const LOCK_FILE = 'sandbox.pid';

export interface LockInfo {
  pid: number;
  state: 'starting' | 'running';
  startedAt: string;
  apiServer?: string;
  kubeconfig?: string;
  dnsPort?: number;
  /** when the running instance last finished a reset in place (sandbox reset --in-place) */
  resetAt?: string;
}

export function lockPath(stateDir: string): string {
  return join(stateDir, LOCK_FILE);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // a recycled pid belongs to some other program; on Linux its command line tells
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /coredns-lab|sandbox|node/.test(cmdline);
  } catch {
    return true;
  }
}

/** the lock of a live sandbox, or undefined (no file, unreadable, or its process is gone) */
export function readLock(stateDir: string): LockInfo | undefined {
  let info: LockInfo;
  try {
    info = JSON.parse(readFileSync(lockPath(stateDir), 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(info.pid) || !isAlive(info.pid)) return undefined;
  return info;
}

export class SandboxLock {
  private released = false;

  private constructor(readonly stateDir: string, private info: LockInfo) {}

  static acquire(stateDir: string, action = 'start another one there', alternative?: string): SandboxLock {
    try {
      makePrivateDir(stateDir);
    } catch (err) {
      throw new StateDirError(stateDir, (err as Error).message);
    }
    const info: LockInfo = { pid: process.pid, state: 'starting', startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writePrivateFile(lockPath(stateDir), JSON.stringify(info) + '\n', 'wx');
        return new SandboxLock(stateDir, info);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateDirError(stateDir, (err as Error).message);
        const holder = readLock(stateDir);
        // a live holder, this very process included (a second up from the same lab server), wins
        if (holder) throw new SandboxRunningError(stateDir, holder.pid, action, alternative);
        // stale: the process that wrote it is gone
        try {
          unlinkSync(lockPath(stateDir));
        } catch {
          // another starter removed it first; the next attempt settles who wins
        }
      }
    }
    const holder = readLock(stateDir);
    throw new SandboxRunningError(stateDir, holder?.pid ?? 0, action, alternative);
  }

  update(patch: Partial<LockInfo>): void {
    if (this.released) return;
    this.info = { ...this.info, ...patch };
    const tmp = `${lockPath(this.stateDir)}.${process.pid}.tmp`;
    writePrivateFile(tmp, JSON.stringify(this.info) + '\n');
    renameSync(tmp, lockPath(this.stateDir));
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      const current = JSON.parse(readFileSync(lockPath(this.stateDir), 'utf8')) as LockInfo;
      if (current.pid === process.pid) unlinkSync(lockPath(this.stateDir));
    } catch {
      // already gone
    }
  }
}
