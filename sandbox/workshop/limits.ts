// Per-seat limits on memory, processes and CPU, through the kernel's cgroups: a seat's lab
// server, its cluster's pods and its shells all live in the seat's group, so a runaway process
// (a fork bomb, a memory hog) is stopped at the seat's limit and slows only that seat.
// cgroup v1 (memory, pids, cpu hierarchies) and v2 (a unified tree with those controllers
// enabled) both work; without either, the limits are reported as not enforced.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SeatLimits {
  memoryBytes: number;
  pids: number;
  /** CPU time per second of wall time, in cores */
  cpus: number;
}

export const DEFAULT_LIMITS: SeatLimits = { memoryBytes: 1024 * 1024 * 1024, pids: 512, cpus: 1 };

const ROOT = '/sys/fs/cgroup';

export interface SeatGroup {
  /** the cgroup.procs files a new seat process writes its pid to */
  procsFiles: string[];
  /** cgroup v2: the group's dir (its cgroup.freeze puts the seat to sleep) */
  v2Dir?: string;
  /** what hit its limit so far, for the instructor's page: e.g. "memory limit hit 3 times" */
  hits(): string[];
  remove(): void;
}

export type LimitsSetup = { ok: true; group: SeatGroup } | { ok: false; why: string };

function write(file: string, value: string): void {
  writeFileSync(file, value);
}

function readNumber(file: string, key?: string): number {
  try {
    const text = readFileSync(file, 'utf8');
    if (key === undefined) return Number(text.trim()) || 0;
    const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function v1(name: string, limits: SeatLimits): SeatGroup {
  const dirs = { memory: join(ROOT, 'memory', 'coredns-lab', name), pids: join(ROOT, 'pids', 'coredns-lab', name), cpu: join(ROOT, 'cpu', 'coredns-lab', name) };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  write(join(dirs.memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
  write(join(dirs.pids, 'pids.max'), String(limits.pids));
  write(join(dirs.cpu, 'cpu.cfs_period_us'), '100000');
  write(join(dirs.cpu, 'cpu.cfs_quota_us'), String(Math.round(limits.cpus * 100000)));
  return {
    procsFiles: Object.values(dirs).map((d) => join(d, 'cgroup.procs')),
    hits: () => describeHits(readNumber(join(dirs.memory, 'memory.failcnt')), readNumber(join(dirs.pids, 'pids.events'), 'max'), limits),
    remove: () => Object.values(dirs).forEach(tryRmdir),
  };
}

function v2(name: string, limits: SeatLimits): SeatGroup {
  const parent = join(ROOT, 'coredns-lab');
  mkdirSync(parent, { recursive: true });
  write(join(ROOT, 'cgroup.subtree_control'), '+memory +pids +cpu');
  write(join(parent, 'cgroup.subtree_control'), '+memory +pids +cpu');
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  write(join(dir, 'memory.max'), String(limits.memoryBytes));
  write(join(dir, 'pids.max'), String(limits.pids));
  write(join(dir, 'cpu.max'), `${Math.round(limits.cpus * 100000)} 100000`);
  return {
    procsFiles: [join(dir, 'cgroup.procs')],
    v2Dir: dir,
    hits: () => describeHits(readNumber(join(dir, 'memory.events'), 'max'), readNumber(join(dir, 'pids.events'), 'max'), limits),
    remove: () => tryRmdir(dir),
  };
}

function describeHits(memory: number, pids: number, limits: SeatLimits): string[] {
  const out: string[] = [];
  if (memory) out.push(`memory limit (${Math.round(limits.memoryBytes / 1048576)} MiB) hit ${memory} time${memory === 1 ? '' : 's'}`);
  if (pids) out.push(`process limit (${limits.pids}) hit ${pids} time${pids === 1 ? '' : 's'}`);
  return out;
}

/** removes an empty cgroup; one that still holds processes stays (the kernel refuses) */
export function tryRmdir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // still has processes (a shell that outlived its server) or already gone: the kernel keeps it
  }
}

/** a cgroup for one seat, named `<workshop>-<seat>` so two workshops on one machine do not share */
export function seatGroup(name: string, limits: SeatLimits): LimitsSetup {
  try {
    if (existsSync(join(ROOT, 'memory')) && existsSync(join(ROOT, 'pids')) && existsSync(join(ROOT, 'cpu'))) return { ok: true, group: v1(name, limits) };
    if (existsSync(join(ROOT, 'cgroup.controllers'))) return { ok: true, group: v2(name, limits) };
    return { ok: false, why: `no cgroup memory, pids and cpu controllers under ${ROOT}` };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, why: `cannot make a cgroup (${e.code ?? e.message}); run the workshop as root, or in a systemd unit with Delegate=yes` };
  }
}

/**
 * A command line that enters the cgroups, then runs `file args...`: the process is in its
 * group before it runs a line of its own, so nothing it starts escapes.
 */
export function inGroup(procsFiles: string[], file: string, args: string[]): { file: string; args: string[] } {
  if (!procsFiles.length) return { file, args };
  const enter = procsFiles.map((f) => `echo $$ > '${f.replaceAll("'", "'\\''")}' || exit 97`).join('; ');
  return { file: '/bin/sh', args: ['-c', `${enter}; exec "$@"`, 'sh', file, ...args] };
}

/**
 * Groups that workshops which are gone left behind (killed before they could stop their seats):
 * their seats are thawed and stopped, and the groups removed once empty (now, or at the next
 * sweep). A group's name starts with its workshop's pid (`ws<pid>-`).
 */
export function sweepStaleGroups(): void {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  for (const parent of ['memory', 'pids', 'cpu', 'freezer'].map((c) => join(ROOT, c, 'coredns-lab')).concat(join(ROOT, 'coredns-lab'))) {
    let names: string[];
    try {
      names = readdirSync(parent);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = /^ws(\d+)-seat-\d+$/.exec(name);
      if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
      const dir = join(parent, name);
      try {
        if (existsSync(join(dir, 'freezer.state'))) writeFileSync(join(dir, 'freezer.state'), 'THAWED');
        for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGTERM');
      } catch {
        // gone meanwhile
      }
      tryRmdir(dir);
    }
  }
}
