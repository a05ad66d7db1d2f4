// `kubectl exec -ti` from a real terminal (node-pty): busybox's prompt, echo, line editing,
// Ctrl-C and Ctrl-D through the real kubectl and the API server's WebSocket streams.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pty from '@lydell/node-pty';
import { labCluster, busyboxPod, type LabCluster } from '../../unit/runtimes/support/lab-cluster.ts';

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
    const waitFor = async (s: string) => {
      for (let i = 0; i < 500 && !screen.includes(s); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(screen.includes(s), `terminal shows ${JSON.stringify(s)}; it has:\n${JSON.stringify(screen)}`);
    };
    try {
      await waitFor('/ # ');
      term.write('hostnamx\x7fe\r');
      await waitFor('busybox\r\n/ # ');
      term.write('cat /etc/hostname; false && echo no\r');
      await waitFor('busybox\r\n/ # ');
      term.write('sleep 60\r');
      await waitFor('sleep 60\r\n');
      term.write('\x03');
      await waitFor('^C');
      term.write('echo $?\r');
      await waitFor('130\r\n/ # ');
      term.write('exit 3\r');
      assert.equal(await exited, 3);
    } finally {
      term.kill();
    }
  });
});
