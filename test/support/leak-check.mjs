// Loaded into every test file's process by test/run.mjs (--import). Once a file's last test is
// done its process must end by itself; one that is still alive LEAK_GRACE_MS later holds a handle
// it forgot to close (a server, socket, timer, child process, pty, browser). Instead of hanging
// the run, it names what is open and fails the file. The timer is unref'd: it fires only when
// something else keeps the process alive.
import { after } from 'node:test';

// generous: a file's own after hooks (a cluster stopping its pods) run after this one starts the clock
const LEAK_GRACE_MS = 60_000;

after(() => {
  setTimeout(() => {
    const open = process.getActiveResourcesInfo();
    process.stderr.write(`${process.argv[1]}: still running ${LEAK_GRACE_MS / 1000} s after its last test; open: ${open.join(', ')}\n`);
    process.exit(1);
  }, LEAK_GRACE_MS).unref();
});
