// Resident memory of a process and all its descendants, from /proc (Linux): the sandbox runs
// DNS pods as child processes, so its footprint is the tree's, not the parent's.
import { readFileSync } from 'node:fs';
import { processTree } from '../../test/support/process-tree.mjs';

function rssKb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** summed VmRSS of root and its descendants, in MB */
export function treeRssMb(root: number): { mb: number; processes: number } {
  const pids = processTree(root);
  return { mb: pids.reduce((n, p) => n + rssKb(p), 0) / 1024, processes: pids.length };
}
