// A workshop beyond one machine: the manifests `workshop --print-manifests` prints pass a 1.32
// API server's validation (`kubectl apply --dry-run=server`), and the front end they run
// (`workshop --remote-seats`) serves seats that run elsewhere. No Kubernetes cluster runs the
// pods here: two `serve` processes stand in for the seat pods, started as the StatefulSet starts
// them (the token from the seat's Secret, listening on all addresses).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import WebSocket from 'ws';
import { startLab, type Lab } from '../kubectl/harness.ts';
import { startLabCommand, type LabProcess } from '../../e2e/support/lab-process.ts';
import { TermClient } from '../../../sandbox/terminal/node-client.ts';
import type { SeatView } from '../../../sandbox/workshop/instructor-app.ts';
import { waitFor } from '../../support/wait.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** this machine's first non-loopback IPv4 address; 127.0.0.2 (still not the 127.0.0.1 a seat's gate expects) without one */
function ownAddress(): string {
  const all = Object.values(networkInterfaces()).flat();
  return all.find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '127.0.0.2';
}
const dir = mkdtempSync(join(tmpdir(), 'workshop-k8s-'));

function printManifests(extra: string[] = []): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, ['bin/coredns-lab.js', 'workshop', '--print-manifests', '--seats', '2', '--state-dir', dir, ...extra], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('a workshop on Kubernetes', () => {
  let api: Lab;
  before(async () => {
    api = await startLab({ seed: false });
  });
  after(async () => {
    await api?.close();
  });

  test('--print-manifests needs the public host, and names a bad namespace', () => {
    const none = printManifests();
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--print-manifests needs --public-host/);
    const bad = printManifests(['--public-host', 'ws.example', '--namespace', 'Bad_NS']);
    assert.match(bad.stderr, /--namespace "Bad_NS" is not a valid namespace name/);
  });

  test('the manifests pass the API server\'s validation with kubectl apply --dry-run=server', async () => {
    const out = printManifests(['--public-host', 'workshop.example.org', '--image', 'registry.example/coredns-lab:0.1.0']);
    assert.equal(out.status, 0, out.stderr);
    const docs = parseAllDocuments(out.stdout).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string }; spec?: Record<string, unknown> },
    );
    assert.deepEqual(docs.map((d) => `${d.kind}/${d.metadata.name}`), [
      'Namespace/coredns-lab-workshop', 'Secret/seat-tokens', 'Secret/workshop-plan', 'Service/seats', 'StatefulSet/seat', 'Deployment/workshop', 'Service/workshop',
    ]);
    const plan = JSON.parse(readFileSync(join(dir, 'workshop.json'), 'utf8')) as { seats: { token: string }[] };
    assert.match(out.stdout, new RegExp(`seat-1: ${plan.seats[1]!.token}`), "pod seat-1 (the plan's seat-02) gets its seat's token");
    const file = api.file('workshop.yaml', out.stdout);
    // a dry run creates nothing, so the namespace must exist for the objects in it to validate
    await api.ok(['create', 'namespace', 'coredns-lab-workshop']);
    const applied = await api.ok(['apply', '--dry-run=server', '-f', file]);
    assert.deepEqual(applied.trim().split('\n'), [
      'namespace/coredns-lab-workshop configured (server dry run)',
      'secret/seat-tokens created (server dry run)',
      'secret/workshop-plan created (server dry run)',
      'service/seats created (server dry run)',
      'statefulset.apps/seat created (server dry run)',
      'deployment.apps/workshop created (server dry run)',
      'service/workshop created (server dry run)',
    ]);
    assert.equal((await api.kubectl(['get', 'statefulsets', '-A', '-o', 'name'])).stdout, '', 'a dry run stores nothing');
    // the API server really validates: a broken StatefulSet is refused
    const broken = api.file('broken.yaml', out.stdout.replace('podManagementPolicy: Parallel', 'podManagementPolicy: Sideways'));
    const refused = await api.kubectl(['apply', '--dry-run=server', '-f', broken]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /spec\.podManagementPolicy: Unsupported value: "Sideways": supported values: "OrderedReady", "Parallel"/);
  });

  test('the front end serves seats that run elsewhere, as the Deployment runs it', async () => {
    const plan = JSON.parse(readFileSync(join(dir, 'workshop.json'), 'utf8')) as { seats: { id: string; token: string }[] };
    const pods: LabProcess[] = [];
    let front: LabProcess | undefined;
    try {
      for (const s of plan.seats)
        pods.push(await startLabCommand('serve', ['--host', '0.0.0.0', '--allow-remote'], /^coredns-lab: open (http:\/\/\S+)$/m, 180_000, { COREDNS_LAB_TOKEN: s.token }));
      // as in a cluster, the seats are not on the front end's loopback: seat-01 by this machine's
      // own non-loopback address, seat-02 by a name the system's resolver maps (the host name)
      const addresses = [`${ownAddress()}:${new URL(pods[0]!.url).port}`, `${hostname()}:${new URL(pods[1]!.url).port}`].join(',');
      front = await startLabCommand(
        'workshop',
        ['--seats', '2', '--remote-seats', addresses, '--plan-file', join(dir, 'workshop.json')],
        /^coredns-lab workshop: instructor (http:\/\/\S+)$/m,
        180_000,
      );
      const u = new URL(front.url);
      const auth = { headers: { Authorization: `Bearer ${u.searchParams.get('token')}` } };
      const seats = async () => ((await (await fetch(`${u.origin}/api/seats`, auth)).json()) as { seats: SeatView[] }).seats;
      assert.deepEqual((await seats()).map((s) => [s.id, s.state]), [['seat-01', 'running'], ['seat-02', 'running']]);
      const link = readFileSync(join(front.stateDir, 'seats.csv'), 'utf8').trim().split('\n')[2]!.split(',')[1]!;
      assert.match(link, new RegExp(`/join/seat-02\\?token=${plan.seats[1]!.token}$`), 'the join links carry the plan\'s tokens');
      const seatPage = new URL((await fetch(link, { redirect: 'manual' })).headers.get('location')!);
      const shell = await TermClient.open({ base: seatPage.origin, token: plan.seats[1]!.token });
      try {
        await shell.waitFor(/[$#] /, 30_000);
        shell.type('echo remote-$((40+2))\r');
        await shell.waitFor(/remote-42\r\n/, 10_000);
        // the instructor watches the remote seat's terminal through the front end's relay
        const viewer = new WebSocket(`${u.origin.replace(/^http/, 'ws')}/api/seats/seat-02/watch`, { headers: { Origin: u.origin, ...auth.headers } });
        let seen = '';
        viewer.on('message', (d: Buffer, binary: boolean) => (seen += binary ? d.toString('utf8') : `\n${d.toString('utf8')}\n`));
        await waitFor(() => seen.includes('"t":"attached"'), { what: 'the watched remote screen', show: () => seen });
        shell.type('echo watched-remote-$((6*7))\r');
        await waitFor(() => /watched-remote-42/.test(seen), { what: "the remote learner's output reaches the instructor", show: () => seen });
        viewer.send(JSON.stringify({ t: 'in', d: 'echo typed-by-instructor\r' }));
        shell.type('echo after-$((1+1))\r');
        await shell.waitFor(/after-2\r\n/, 10_000);
        assert.doesNotMatch(shell.text, /typed-by-instructor/, "the instructor's keystrokes never reach the remote learner");
        viewer.close();
        // seat-01, on the non-loopback address, through its public port on the front end
        const link1 = readFileSync(join(front.stateDir, 'seats.csv'), 'utf8').trim().split('\n')[1]!.split(',')[1]!;
        const seat1Page = new URL((await fetch(link1, { redirect: 'manual' })).headers.get('location')!);
        assert.equal((await fetch(`${seat1Page.origin}/api/status`, { headers: { Authorization: `Bearer ${plan.seats[0]!.token}` } })).status, 200);
        const seat2 = await waitFor(async () => (await seats()).find((s) => s.id === 'seat-02' && s.terminals === 1), { what: 'the remote seat\'s terminal on the instructor\'s page' });
        assert.equal(typeof seat2.idleSeconds, 'number');
        const res = await fetch(`${u.origin}/api/broadcast`, {
          method: 'POST',
          headers: { ...auth.headers, 'content-type': 'application/json', Origin: u.origin },
          body: JSON.stringify({ text: 'Hello from the front end' }),
        });
        assert.equal(res.status, 200, await res.clone().text());
        await waitFor(() => shell.notices.find((n) => n.text === 'Hello from the front end'), { what: 'the broadcast on the remote seat' });
        const reset = await fetch(`${u.origin}/api/seats/seat-01/reset`, { method: 'POST', headers: { ...auth.headers, Origin: u.origin } });
        assert.equal(reset.status, 200, await reset.clone().text());
        assert.match(((await reset.json()) as { message: string }).message, /^reset 1 done/);
      } finally {
        await shell.close();
      }
      // the seat's control over HTTP wants the seat's token, and never stops the seat
      const seat1 = `http://127.0.0.1:${new URL(pods[0]!.url).port}`;
      const ctl = (token: string, op: string) =>
        fetch(`${seat1}/api/control`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json', Origin: seat1 }, body: JSON.stringify({ op }) });
      assert.equal((await ctl(plan.seats[1]!.token, 'status')).status, 401, "seat 2's token at seat 1");
      const down = await ctl(plan.seats[0]!.token, 'down');
      assert.equal(down.status, 400);
      assert.match(((await down.json()) as { error: { message: string } }).error.message, /down only on the control socket/);
    } finally {
      if (front) assert.equal(await front.stop(), 0);
      for (const p of pods) await p.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
