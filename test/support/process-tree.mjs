// A process and its descendants, from /proc (Linux): the test runner's reaper kills a file's
// whole tree, and the benches sum a lab's CPU and memory over it (bench/sandbox/process-tree.ts).
// Plain JavaScript, because it is loaded with --import into every test process.
import { readdirSync, readFileSync } from 'node:fs';

/** the parent pid from /proc/<pid>/stat, or undefined when the process is gone */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may contain spaces and parentheses: fields start after the last ')'
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
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
