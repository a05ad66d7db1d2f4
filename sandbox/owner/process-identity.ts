// Who a pid is: the pid plus the time its process started. A pid alone is recycled by the
// kernel, so a lock naming a dead owner's pid could point at an unrelated live process; the
// start time tells them apart.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** Linux: /proc/<pid>/stat field 22 (clock ticks since boot); elsewhere `ps -o lstart=` */
  startTime: string;
}

/** the start time of a live process, or undefined when there is no such process */
export function processStartTime(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (process.platform === 'linux') {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // the command name (field 2) is in parentheses and may hold spaces and ')' itself
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3, so field 22 is rest[19]
    return rest[19];
  }
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

let self: ProcessIdentity | undefined;

export function selfIdentity(): ProcessIdentity {
  self ??= { pid: process.pid, startTime: processStartTime(process.pid) ?? `unknown-${Date.now()}` };
  return self;
}

/** true only while the very process that was identified still runs */
export function isSameProcessAlive(id: { pid: number; startTime?: string }): boolean {
  const now = processStartTime(id.pid);
  return now !== undefined && now === id.startTime;
}
