// Per-seat limits on memory, processes and CPU, through the kernel's cgroups: a seat's lab
// server, its cluster's pods and its shells all live in the seat's group, so a runaway process
// (a fork bomb, a memory hog) is stopped at the seat's limit and slows only that seat.
// The shells live in a child group (`shells`) with lower memory and process limits: a learner's
// fork loop fills the shells' share and the seat's lab server keeps headroom to start threads
// and new terminals (node-pty aborts the whole process when it cannot start its thread). The
// shells also weigh a quarter of the server for CPU: when the seat's share is used up, its
// server (the terminal's relay, the checks) goes first and a learner's busy loop slows their
// own commands, not their terminal.
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
  /** the cgroup.procs files each of the seat's shells enters (the `shells` child group) */
  shellProcsFiles: string[];
  /** cgroup v2: the group's dir (its cgroup.freeze puts the seat to sleep) */
  v2Dir?: string;
  /**
   * cgroup v1: the cgroup.procs files of the CPU groups a shell moves between: `interactive` (the
   * seat's `shells`) while it waits for keys, `commands` (shared by every seat) while a command
   * line runs
   */
  cpuSwitch?: { interactive: string; commands: string };
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

/** what a seat's shells may use: the seat's limits less the lab server's headroom */
export function shellShare(limits: SeatLimits): { memoryBytes: number; pids: number } {
  const mib = 1048576;
  const memoryReserve = Math.min(512 * mib, Math.max(64 * mib, Math.round(limits.memoryBytes / 4)));
  const pidsReserve = Math.min(128, Math.max(48, Math.round(limits.pids / 4)));
  return { memoryBytes: Math.max(32 * mib, limits.memoryBytes - memoryReserve), pids: Math.max(8, limits.pids - pidsReserve) };
}

export const SHELLS_GROUP = 'shells';
/** the shells' CPU weight against the lab server's: cgroup v1 cpu.shares (default 1024), v2 cpu.weight (default 100) */
const SHELLS_CPU_SHARES = 256;
const SHELLS_CPU_WEIGHT = 25;

/**
 * Every seat's commands share one CPU group, which weighs as one seat: kubectl costs 110-130 ms
 * of CPU, nearly all of it its start-up, and with a room typing at once the seats' kubectls kept
 * both cores busy, one group per seat, so a waking shell or lab server (an echo, a check) queued
 * behind all of them; against one group it waits far less (bench/workshop). The commands get what
 * the terminals and servers leave, which is most of the machine, and each seat's share of it is
 * capped at the seat's CPU limit.
 */
function commandsGroupV1(parentName: string, name: string, limits: SeatLimits): { dir: string; parent: string } {
  const parent = join(ROOT, 'cpu', 'coredns-lab', parentName);
  mkdirSync(parent, { recursive: true });
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  write(join(dir, 'cpu.cfs_period_us'), '100000');
  write(join(dir, 'cpu.cfs_quota_us'), String(Math.round(limits.cpus * 100000)));
  return { dir, parent };
}

function v1(name: string, limits: SeatLimits, commandsParent?: string): SeatGroup {
  const dirs = { memory: join(ROOT, 'memory', 'coredns-lab', name), pids: join(ROOT, 'pids', 'coredns-lab', name), cpu: join(ROOT, 'cpu', 'coredns-lab', name) };
  const shells = { memory: join(dirs.memory, SHELLS_GROUP), pids: join(dirs.pids, SHELLS_GROUP), cpu: join(dirs.cpu, SHELLS_GROUP) };
  const share = shellShare(limits);
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  write(join(dirs.memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
  write(join(dirs.pids, 'pids.max'), String(limits.pids));
  write(join(dirs.cpu, 'cpu.cfs_period_us'), '100000');
  write(join(dirs.cpu, 'cpu.cfs_quota_us'), String(Math.round(limits.cpus * 100000)));
  for (const d of Object.values(shells)) mkdirSync(d, { recursive: true });
  write(join(shells.memory, 'memory.limit_in_bytes'), String(share.memoryBytes));
  write(join(shells.pids, 'pids.max'), String(share.pids));
  // the server's threads weigh 1024 each in the seat's group; the shells' group as a whole 256
  write(join(shells.cpu, 'cpu.shares'), String(SHELLS_CPU_SHARES));
  // v1 counts a failed fork in the group of the process that forked, and a memory failure in
  // the group whose limit was hit: the seat's hits are both groups' together
  const count = (file: string, key?: string) => readNumber(join(dirs.pids, file), key) + readNumber(join(shells.pids, file), key);
  const memCount = () => readNumber(join(dirs.memory, 'memory.failcnt')) + readNumber(join(shells.memory, 'memory.failcnt'));
  const commands = commandsParent === undefined ? undefined : commandsGroupV1(commandsParent, name, limits);
  return {
    procsFiles: Object.values(dirs).map((d) => join(d, 'cgroup.procs')),
    shellProcsFiles: Object.values(shells).map((d) => join(d, 'cgroup.procs')),
    ...(commands ? { cpuSwitch: { interactive: join(shells.cpu, 'cgroup.procs'), commands: join(commands.dir, 'cgroup.procs') } } : {}),
    hits: () => describeHits(memCount(), count('pids.events', 'max'), limits),
    remove: () => {
      Object.values(shells).forEach(tryRmdir);
      Object.values(dirs).forEach(tryRmdir);
      if (commands) {
        tryRmdir(commands.dir);
        tryRmdir(commands.parent); // the last seat's removal removes it
      }
    },
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
  // v2 keeps processes in leaves only once the seat's group hands its controllers down: the lab
  // server in `lab`, the shells in `shells` (with their lower limits)
  const lab = join(dir, 'lab');
  const shells = join(dir, SHELLS_GROUP);
  mkdirSync(lab, { recursive: true });
  mkdirSync(shells, { recursive: true });
  write(join(dir, 'cgroup.subtree_control'), '+memory +pids +cpu');
  const share = shellShare(limits);
  write(join(shells, 'memory.max'), String(share.memoryBytes));
  write(join(shells, 'pids.max'), String(share.pids));
  write(join(shells, 'cpu.weight'), String(SHELLS_CPU_WEIGHT));
  // the seat's memory.events and pids.events count its children's hits too
  return {
    procsFiles: [join(lab, 'cgroup.procs')],
    shellProcsFiles: [join(shells, 'cgroup.procs')],
    v2Dir: dir,
    hits: () => describeHits(readNumber(join(dir, 'memory.events'), 'max'), readNumber(join(dir, 'pids.events'), 'max'), limits),
    remove: () => {
      tryRmdir(lab);
      tryRmdir(shells);
      tryRmdir(dir);
    },
  };
}

function describeHits(memory: number, pids: number, limits: SeatLimits): string[] {
  const out: string[] = [];
  if (memory) out.push(`memory limit (${Math.round(limits.memoryBytes / 1048576)} MiB) hit ${memory} time${memory === 1 ? '' : 's'}`);
  if (pids) out.push(`process limit (${limits.pids}) hit ${pids} time${pids === 1 ? '' : 's'}`);
  return out;
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

/** removes an empty cgroup; one that still holds processes stays (the kernel refuses) */
export function tryRmdir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // still has processes (a shell that outlived its server) or already gone: the kernel keeps it
  }
}

/**
 * A cgroup for one seat, named `<workshop>-<seat>` so two workshops on one machine do not share.
 * With `commandsParent` (`<workshop>-commands`), on cgroup v1, the seat's shells run their
 * commands in a CPU group under it, shared by every seat (commandsGroupV1); v2 keeps a process's
 * memory, process and CPU groups together, so there they stay in `shells`.
 */
export function seatGroup(name: string, limits: SeatLimits, commandsParent?: string): LimitsSetup {
  try {
    if (existsSync(join(ROOT, 'memory')) && existsSync(join(ROOT, 'pids')) && existsSync(join(ROOT, 'cpu'))) return { ok: true, group: v1(name, limits, commandsParent) };
    if (existsSync(join(ROOT, 'cgroup.controllers'))) return { ok: true, group: v2(name, limits) };
    return { ok: false, why: `no cgroup memory, pids and cpu controllers under ${ROOT}` };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, why: `cannot make a cgroup (${e.code ?? e.message}); run the workshop as root, or in a systemd unit with Delegate=yes` };
  }
}

/** the workshop's own process in a CPU group of its own, weighing as much as every seat together */
export interface FrontGroup {
  /** moves the process back to the group it came from and removes the front's group */
  leave(): void;
}

/** cgroup v1's cpu.shares and v2's cpu.weight top out here */
const MAX_V1_SHARES = 262_144;
const MAX_V2_WEIGHT = 10_000;

/** the CPU weight of a group that weighs as much as `seats` seats (each has the default) */
export function weightOfSeats(seats: number, v1: boolean): string {
  const n = Math.max(1, seats);
  return String(v1 ? Math.min(MAX_V1_SHARES, 1024 * n) : Math.min(MAX_V2_WEIGHT, 100 * n));
}

/** the cgroup path (from the hierarchy's root) this process is in for `controller` (v1) or in v2 ('') */
function ownGroupPath(controller: string): string | undefined {
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [, controllers, path] = line.split(':');
      if (path !== undefined && controllers!.split(',').includes(controller)) return path;
    }
  } catch {
    // no /proc: not Linux
  }
  return undefined;
}

/**
 * The workshop process carries every learner's keystrokes twice (each seat's proxy), their pages
 * and checks, and serves the instructor's page. Left where it was started, it weighs as one task
 * against one group per seat. In a group weighing as much as all the seats it waits less for its
 * turn (bench/workshop at 50 seats, beside the commands group: check p99 halved, echo p99 down a
 * quarter); it uses about 6% of a core there, so the seats lose next to nothing. Best effort:
 * without cgroups it stays where it is.
 */
export function enterFrontGroup(name: string, seats: number): FrontGroup | null {
  const v1Dir = join(ROOT, 'cpu');
  const isV1 = existsSync(join(v1Dir, 'cgroup.procs'));
  const from = ownGroupPath(isV1 ? 'cpu' : '');
  if (from === undefined) return null;
  const hierarchy = isV1 ? v1Dir : ROOT;
  const dir = join(hierarchy, 'coredns-lab', name);
  try {
    if (isV1) {
      mkdirSync(dir, { recursive: true });
      write(join(dir, 'cpu.shares'), weightOfSeats(seats, true));
    } else {
      // v2 keeps processes in leaves only: this is one, beside the seats' groups
      if (!existsSync(join(ROOT, 'cgroup.controllers'))) return null;
      mkdirSync(join(ROOT, 'coredns-lab'), { recursive: true });
      write(join(ROOT, 'cgroup.subtree_control'), '+cpu');
      write(join(ROOT, 'coredns-lab', 'cgroup.subtree_control'), '+cpu');
      mkdirSync(dir, { recursive: true });
      write(join(dir, 'cpu.weight'), weightOfSeats(seats, false));
    }
    write(join(dir, 'cgroup.procs'), String(process.pid));
  } catch {
    tryRmdir(dir);
    return null;
  }
  return {
    leave() {
      try {
        write(join(hierarchy, from, 'cgroup.procs'), String(process.pid));
      } catch {
        // the group it came from is gone or closed to it: it stays, and the next workshop's sweep removes the group
        return;
      }
      tryRmdir(dir);
    },
  };
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
      const m = /^ws(\d+)-(?:seat-\d+|commands|front)$/.exec(name);
      if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
      const dir = join(parent, name);
      if (existsSync(join(dir, 'freezer.state'))) {
        try {
          writeFileSync(join(dir, 'freezer.state'), 'THAWED');
        } catch {
          // gone meanwhile
        }
      }
      // a seat's leaves, or under `<workshop>-commands` each seat's commands group
      const children = (name.endsWith('-commands') ? subdirs(dir) : ['lab', SHELLS_GROUP].map((c) => join(dir, c))).filter((d) => existsSync(d));
      for (const d of [...children, dir]) {
        try {
          for (const pid of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGTERM');
        } catch {
          // gone meanwhile
        }
      }
      children.forEach(tryRmdir);
      tryRmdir(dir);
    }
  }
}
