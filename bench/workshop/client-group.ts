// The simulated learners stand for browsers on the learners' own machines, but here they share
// the lab's two cores. The workshop puts each seat in a cgroup of its own with the default CPU
// weight; a bench process left in the root group weighs as one task against 50 such groups, so
// under load its own event loop waited, and that wait was counted as the lab's keystroke echo.
// This moves the bench into a group weighing as much as every seat together, so the learners'
// side gets the little CPU it needs when it needs it, and moves the lab processes it starts back
// to the root group, where they would have been without it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weightOfSeats } from '../../sandbox/workshop/limits.ts';

const V1 = '/sys/fs/cgroup/cpu';
const V2 = '/sys/fs/cgroup';
const NAME = 'coredns-lab-bench-clients';

export interface ClientGroup {
  /** what was done, for the bench's header */
  description: string;
  /** weighs the group as `seats` seats, for the next run */
  weigh(seats: number): void;
  /** moves a process the bench started (a lab) back to the root group */
  release(pid: number): void;
}

function tryWrite(file: string, value: string): boolean {
  try {
    writeFileSync(file, value);
    return true;
  } catch {
    return false;
  }
}

export function joinClientGroup(): ClientGroup {
  const none = (why: string): ClientGroup => ({
    description: `the simulated learners share the root CPU group (${why})`,
    weigh: () => undefined,
    release: () => undefined,
  });
  // cgroup v1: the cpu hierarchy; v2: the unified tree, when it hands the cpu controller down
  const v1 = existsSync(join(V1, 'cgroup.procs'));
  const v2 = !v1 && (() => {
    try {
      return readFileSync(join(V2, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu');
    } catch {
      return false;
    }
  })();
  if (!v1 && !v2) return none('no cgroup cpu controller');
  const root = v1 ? V1 : V2;
  const dir = join(root, NAME);
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    return none(`cannot create ${dir}; run as root for this`);
  }
  if (v2) tryWrite(join(V2, 'cgroup.subtree_control'), '+cpu');
  // a seat's group has the default weight: cpu.shares 1024 (v1), cpu.weight 100 (v2)
  const weigh = (seats: number) => tryWrite(join(dir, v1 ? 'cpu.shares' : 'cpu.weight'), weightOfSeats(seats, v1));
  if (!weigh(1) || !tryWrite(join(dir, 'cgroup.procs'), String(process.pid))) return none(`cannot use ${dir}`);
  return {
    description: `the simulated learners run in ${dir}, weighing as much as all the seats of the run together`,
    weigh: (seats) => void weigh(seats),
    release: (pid) => void tryWrite(join(root, 'cgroup.procs'), String(pid)),
  };
}
