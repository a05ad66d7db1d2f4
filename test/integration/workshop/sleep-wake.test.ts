// An idle seat sleeps (the kernel's freezer holds its lab server, cluster and shells) and wakes on
// its learner's next connection with everything as it was: the same shell with its variables, the
// cluster's objects, and a kubectl that answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLabCommand, type LabProcess } from '../../e2e/support/lab-process.ts';
import { TermClient } from '../../../sandbox/terminal/node-client.ts';
import { waitFor } from '../../support/wait.ts';
import type { SeatView } from '../../../sandbox/workshop/instructor-app.ts';

describe('a workshop seat that sleeps and wakes', () => {
  let ws: LabProcess;
  let base: string;
  let auth: { headers: { Authorization: string } };
  let seat: URL;

  before(async () => {
    const args = ['--seats', '1', '--seat-processes', '200', '--seat-sleep-after', '2s'];
    ws = await startLabCommand('workshop', args, /^coredns-lab workshop: instructor (http:\/\/\S+)$/m, 180_000);
    const u = new URL(ws.url);
    base = u.origin;
    auth = { headers: { Authorization: `Bearer ${u.searchParams.get('token')!}` } };
    const link = readFileSync(join(ws.stateDir, 'seats.csv'), 'utf8').trim().split('\n')[1]!.split(',')[1]!;
    seat = new URL((await fetch(link, { redirect: 'manual' })).headers.get('location')!);
  });
  after(async () => {
    if (ws) assert.equal(await ws.stop(), 0, 'the workshop stops cleanly on SIGTERM');
  });

  const state = async () => ((await (await fetch(`${base}/api/seats`, auth)).json()) as { seats: SeatView[] }).seats[0]!.state;
  const open = (session: string | null = null) => TermClient.open({ base: seat.origin, token: seat.searchParams.get('token')!, session });

  test("a slept seat's shell, cluster and kubectl are as they were after it wakes", async () => {
    const shell = await open();
    await shell.waitFor(/coredns-lab.*[$#] /, 30_000);
    const session = shell.attached!.session;
    shell.type(`export MARK=kept-$((6*7)); kubectl create configmap before-sleep --from-literal=k=v && echo made-$((2+3))\r`);
    await shell.waitFor('made-5', 30_000);
    await shell.close();

    const what = 'the seat asleep once no page is connected (sleep after 2 s)';
    await waitFor(async () => (await state()) === 'asleep', { what, timeout: 60_000, interval: 250 });
    const freezer = '/sys/fs/cgroup/freezer/coredns-lab';
    const group = join(freezer, `ws${ws.child.pid}-seat-01`, 'freezer.state');
    // cgroup v1's freezer passes through FREEZING until every task has stopped: the workshop says
    // asleep only once the kernel holds every process of the seat
    if (existsSync(freezer)) assert.equal(readFileSync(group, 'utf8').trim(), 'FROZEN', 'asleep is reported only when freezer.state is FROZEN');

    // the learner comes back to the same shell: connecting wakes the seat
    const again = await open(session);
    try {
      assert.equal(again.attached!.session, session, 'the shell that was frozen, not a new one');
      assert.equal(await state(), 'running');
      const from = again.length;
      const read = `kubectl get configmap before-sleep -o jsonpath='{.data.k}{"\\n"}' | sed 's/^/value=/'`;
      again.type(`echo "mark=$MARK"; ${read}\r`);
      await again.waitFor(/value=v\r?\n/, 30_000, from);
      assert.match(again.text.slice(from), /mark=kept-42/, 'the shell kept its variables');
      const pods = again.length;
      again.type(`kubectl get pods -n kube-system -l k8s-app=kube-dns --no-headers | grep -c Running | sed 's/^/running=/'\r`);
      await again.waitFor(/running=[1-9]/, 30_000, pods);
    } finally {
      await again.close();
    }
  });
});
