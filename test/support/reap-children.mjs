// Loaded into every test file's process by test/run.mjs (--import). When node's runner stops a
// file at its timeout it sends SIGTERM, and the file's after hooks never run: the labs, clusters
// and browsers it started (many in process groups of their own) would keep running and take CPU
// from the files still running. Here a SIGTERM or SIGINT first kills every process descended
// from this one, then ends the file; a file that exits with descendants still alive names them
// and kills them too. Linux only (/proc); elsewhere it does nothing.
import { readFileSync } from 'node:fs';
import { processTree } from './process-tree.mjs';

/** every live descendant of this process, with its command line */
function descendants() {
  return processTree(process.pid).slice(1).map((pid) => {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      // gone meanwhile
    }
    return { pid, cmd };
  });
}

function killAll(list) {
  for (const { pid } of list) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

for (const [signal, number] of [['SIGTERM', 15], ['SIGINT', 2]]) {
  process.once(signal, () => {
    const left = descendants();
    process.stderr.write(`${process.argv[1]}: ${signal}: stopping the ${left.length} processes it started\n`);
    killAll(left);
    process.exit(128 + number);
  });
}

/** tsx's esbuild service: a helper of the loader, not of the tests; it ends with this process */
const LOADER = /\/esbuild --service=/;

process.once('exit', () => {
  const left = descendants().filter((p) => !LOADER.test(p.cmd));
  if (left.length === 0) return;
  process.stderr.write(`${process.argv[1]}: still running at exit, killed: ${left.map((p) => `${p.pid} ${p.cmd.slice(0, 120)}`).join('; ')}\n`);
  killAll(left);
});
