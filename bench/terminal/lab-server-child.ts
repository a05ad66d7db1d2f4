// The lab server alone in its own process for the bench, so the bench client does not share
// its event loop. Prints one JSON line {port, token} once listening; exits on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabServer } from '../../sandbox/server/lab-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'lab-bench-'));
const server = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: dir, idleTimeoutMs: 3_600_000, siteDist: null });
process.stdout.write(JSON.stringify({ port: server.port, token: server.token }) + '\n');
process.on('SIGTERM', () => {
  void server.close().then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
