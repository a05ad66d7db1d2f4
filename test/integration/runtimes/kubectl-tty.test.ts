// `kubectl exec -ti` from a real terminal (node-pty): busybox's prompt, echo, line editing,
// Ctrl-C and Ctrl-D through the real kubectl and the API server's WebSocket streams.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pty from '@lydell/node-pty';
import { labCluster, busyboxPod, type LabCluster } from '../../unit/runtimes/support/lab-cluster.ts';
import { waitFor } from '../../support/wait.ts';

describe('kubectl exec -ti busybox -- sh', () => {
  let c: LabCluster;
  before(async () => {
    c = await labCluster({ api: true });
    await c.startPod(busyboxPod(), '100.96.5.3');
  });
  after(async () => { await c.close(); });

  test('an interactive shell session', async () => {
    const term = pty.spawn('kubectl', ['--kubeconfig', c.kubeconfig, '--cache-dir', join(c.dir, 'cache'), 'exec', '-ti', 'busybox', '--', 'sh'], { cols: 100, rows: 30, env: process.env as Record<string, string> });
    let screen = '';
    term.onData((d) => { screen += d; });
    const exited = new Promise<number>((r) => term.onExit(({ exitCode }) => r(exitCode)));
    const shows = (s: string) => waitFor(() => screen.includes(s), { what: `the terminal to show ${JSON.stringify(s)}`, show: () => JSON.stringify(screen) });
    try {
      await shows('/ # ');
      term.write('hostnamx\x7fe\r');
      await shows('busybox\r\n/ # ');
      term.write('cat /etc/hostname; false && echo no\r');
      await shows('busybox\r\n/ # ');
      term.write('sleep 60\r');
      await shows('sleep 60\r\n');
      term.write('\x03');
      await shows('^C');
      term.write('echo $?\r');
      await shows('130\r\n/ # ');
      term.write('exit 3\r');
      assert.equal(await exited, 3);
    } finally {
      term.kill();
    }
  });
});
