// A process and its descendants, from /proc (Linux): the test runner's reaper kills a file's
// whole tree, and the benches sum a lab's CPU and memory over it (bench/sandbox/process-tree.ts) and read
// a process's CPU time from the same /proc/<pid>/stat fields (statFields).
// Plain JavaScript, because it is loaded with --import into every test process.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * A process's /proc/<pid>/stat fields from the third on (state, ppid, ...: index 0 is field 3),
 * or undefined when the process is gone. The command name (field 2) may contain spaces and
 * parentheses, so the fields start after its last ')'.
 */
export function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** whether a process with this pid exists (one of another user's counts: EPERM) */
export function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** the parent pid, or undefined when the process is gone */
function parentOf(pid) {
  const f = statFields(pid);
  return f === undefined ? undefined : Number(f[1]);
}

/** root and every live descendant of it, root first; [root] where there is no /proc */
export function processTree(root) {
  const children = new Map();
  let names = [];
  try {
    names = readdirSync('/proc');
  } catch {
    // not Linux
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const ppid = parentOf(pid);
    if (ppid === undefined) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}
