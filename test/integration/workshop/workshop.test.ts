// `coredns-lab workshop` as an instructor runs it: two seats, their join links, the instructor's
// page and API, and a learner who tries another seat's page, API, files and processes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startLabCommand, type LabProcess } from '../../e2e/support/lab-process.ts';
import WebSocket from 'ws';
import { TermClient } from '../../../sandbox/terminal/node-client.ts';
import { waitFor } from '../../support/wait.ts';
import type { SeatView } from '../../../sandbox/workshop/instructor-app.ts';

type Seat = SeatView;

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { token: string } }[];
}

function kubeconfig(dir: string, seat: string): Kubeconfig {
  return parse(readFileSync(join(dir, 'seats', seat, 'kubeconfig'), 'utf8')) as Kubeconfig;
}

/** GET path on a seat's API with a bearer token, trusting that seat's CA: the status code */
function apiStatus(server: string, caData: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${server}/api/v1/namespaces`, { ca: Buffer.from(caData, 'base64'), headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.once('error', reject);
    req.end();
  });
}

describe('coredns-lab workshop', () => {
  let ws: LabProcess;
  let base: string;
  let instructorToken: string;
  let links: Map<string, string>;
  const bearer = (t: string) => ({ headers: { Authorization: `Bearer ${t}` } });
  const seats = async (): Promise<Seat[]> => ((await (await fetch(`${base}/api/seats`, bearer(instructorToken))).json()) as { seats: Seat[] }).seats;
  const seatToken = (id: string) => new URL(links.get(id)!).searchParams.get('token')!;

  before(async () => {
    ws = await startLabCommand('workshop', ['--seats', '2', '--seat-processes', '200', '--seat-sleep-after', '2s'], /^coredns-lab workshop: instructor (http:\/\/\S+)$/m, 180_000);
    const u = new URL(ws.url);
    base = u.origin;
    instructorToken = u.searchParams.get('token')!;
    const csv = readFileSync(join(ws.stateDir, 'seats.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'seat,url');
    links = new Map(csv.slice(1).map((l) => l.split(',') as [string, string]));
  });
  after(async () => {
    if (!ws) return;
    const pid = ws.child.pid;
    assert.equal(await ws.stop(), 0, 'the workshop stops cleanly on SIGTERM');
    for (const dir of [`/sys/fs/cgroup/cpu/coredns-lab/ws${pid}-front`, `/sys/fs/cgroup/coredns-lab/ws${pid}-front`])
      assert.equal(existsSync(dir), false, `the workshop's own CPU group is removed when it stops: ${dir}`);
  });

  test('writes a join link per seat, in seats.csv and a printable seats.html with QR codes, private to the instructor', () => {
    assert.deepEqual([...links.keys()], ['seat-01', 'seat-02']);
    for (const [id, url] of links) assert.match(url, new RegExp(`^${base}/join/${id}\\?token=[A-Za-z0-9_-]{16,}$`));
    assert.notEqual(seatToken('seat-01'), seatToken('seat-02'));
    const html = readFileSync(join(ws.stateDir, 'seats.html'), 'utf8');
    assert.equal(html.match(/<svg/g)?.length, 2, 'one QR code per seat');
    for (const f of ['seats.csv', 'seats.html', 'workshop.json']) assert.equal(statSync(join(ws.stateDir, f)).mode & 0o777, 0o600, f);
  });

  test("the instructor's page and API open with the instructor's token only", async () => {
    assert.equal((await fetch(`${base}/api/seats`)).status, 401);
    assert.equal((await fetch(`${base}/api/seats`, bearer(seatToken('seat-01')))).status, 401, "a seat's token opens nothing here");
    const page = await fetch(`${base}/`, bearer(instructorToken));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Export progress/);
    const list = await seats();
    // a seat idle past --seat-sleep-after (2 s here) may already be asleep on a busy machine
    assert.deepEqual(list.map((s) => s.id), ['seat-01', 'seat-02']);
    for (const s of list) assert.match(s.state, /^(running|asleep)$/, s.id);
    const csv = await (await fetch(`${base}/api/progress.csv`, bearer(instructorToken))).text();
    assert.match(csv, /^seat,claimed,state,where,passed,total,idle_seconds,prerequisites\/cluster,[^\n]*delete-kube-dns\/delete\nseat-01,false,(running|asleep),/);
  });

  test("a join link opens its own seat; a seat's token opens no other seat", async () => {
    const res = await fetch(links.get('seat-01')!, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const seat1 = new URL(res.headers.get('location')!);
    assert.equal(seat1.searchParams.get('token'), seatToken('seat-01'));
    const wrongJoin = await fetch(`${base}/join/seat-02?token=${seatToken('seat-01')}`, { redirect: 'manual' });
    assert.equal(wrongJoin.status, 401);
    const seat2 = new URL((await fetch(links.get('seat-02')!, { redirect: 'manual' })).headers.get('location')!);
    assert.notEqual(seat1.port, seat2.port);
    assert.equal((await fetch(`${seat2.origin}/api/status`, bearer(seatToken('seat-01')))).status, 401, "seat 1's token at seat 2's page");
    assert.equal((await fetch(`${seat1.origin}/api/status`, bearer(seatToken('seat-01')))).status, 200);
    await assert.rejects(TermClient.open({ base: seat2.origin, token: seatToken('seat-01') }), /HTTP 401/, "seat 1's token on seat 2's terminal WebSocket");
    // the seats' Kubernetes APIs: each kubeconfig works for its own cluster only
    const k1 = kubeconfig(ws.stateDir, 'seat-01');
    const k2 = kubeconfig(ws.stateDir, 'seat-02');
    const c2 = k2.clusters[0]!.cluster;
    assert.equal(await apiStatus(c2.server, c2['certificate-authority-data'], k2.users[0]!.user.token), 200);
    assert.equal(await apiStatus(c2.server, c2['certificate-authority-data'], k1.users[0]!.user.token), 401, "seat 1's kubeconfig at seat 2's API");
  });

  test("a seat's shell sees its own files and processes only, and its kubectl works", async () => {
    const seat1 = new URL((await fetch(links.get('seat-01')!, { redirect: 'manual' })).headers.get('location')!);
    const shell = await TermClient.open({ base: seat1.origin, token: seatToken('seat-01') });
    try {
      await shell.waitFor(/coredns-lab.*[$#] /, 30_000);
      const seatsDir = join(ws.stateDir, 'seats');
      shell.type(`command ls -1 --color=never ${seatsDir}; echo "== $(cat ${join(seatsDir, 'seat-02', 'kubeconfig')} 2>&1 | head -c 80)"; echo "procs=$(ls /proc | grep -c '^[0-9]')"; echo "cpu=$(sed -n 's/^[0-9]*:cpu://p' /proc/self/cgroup)"; kubectl get ns kube-system -o name\r`);
      await shell.waitFor(/namespace\/kube-system|Error|error/, 60_000);
      const out = shell.text;
      assert.match(out, /seat-01\r\n==/, 'its own seat dir is there, alone');
      assert.doesNotMatch(out, /seat-02\r\n/, "another seat's dir is hidden");
      assert.match(out, /== cat: .*seat-02\/kubeconfig: No such file or directory/);
      const procs = Number(/procs=(\d+)/.exec(out)?.[1]);
      assert.ok(procs > 0 && procs < 10, `only the shell's own processes are visible, got ${procs}`);
      assert.match(out, /namespace\/kube-system/);
      if (!/no per-seat limits/.test(ws.stderr())) {
        // the open shell runs in the seat's `shells` CPU group, a quarter of the lab server's weight
        const group = `coredns-lab/ws${ws.child.pid}-seat-01/shells`;
        const v1 = existsSync(`/sys/fs/cgroup/cpu/${group}`);
        const dir = v1 ? `/sys/fs/cgroup/cpu/${group}` : `/sys/fs/cgroup/${group}`;
        assert.notEqual(readFileSync(join(dir, 'cgroup.procs'), 'utf8').trim(), '', `the shell's processes are in ${dir}`);
        assert.equal(readFileSync(join(dir, v1 ? 'cpu.shares' : 'cpu.weight'), 'utf8').trim(), v1 ? '256' : '25');
        if (v1) {
          // a command line runs in the CPU group every seat's commands share; at the prompt the shell is back
          const commands = `ws${ws.child.pid}-commands/ws${ws.child.pid}-seat-01`;
          assert.match(out, new RegExp(`cpu=\\S*/${commands}\\r\\n`), 'the command ran in the commands group');
          await shell.waitFor(/namespace\/kube-system[\s\S]*\]133;B/, 10_000);
          assert.equal(readFileSync(`/sys/fs/cgroup/cpu/coredns-lab/${commands}/cgroup.procs`, 'utf8'), '', 'nothing left in it once the prompt is back');
        }
        // the workshop process, which relays every seat's terminal, weighs as much as both seats
        const front = `coredns-lab/ws${ws.child.pid}-front`;
        const own = readFileSync(`/proc/${ws.child.pid}/cgroup`, 'utf8');
        assert.match(own, new RegExp(`^\\d+:${v1 ? '(?:[\\w,]*,)?cpu(?:,[\\w,]*)?' : ''}:/${front}$`, 'm'), own);
        const frontDir = v1 ? `/sys/fs/cgroup/cpu/${front}` : `/sys/fs/cgroup/${front}`;
        assert.equal(readFileSync(join(frontDir, v1 ? 'cpu.shares' : 'cpu.weight'), 'utf8').trim(), v1 ? '2048' : '200');
      }
      const list = await seats();
      const s1 = list.find((s) => s.id === 'seat-01')!;
      assert.equal(s1.terminals, 1);
      assert.equal(typeof s1.idleSeconds, 'number', 'the keystrokes count as activity');
    } finally {
      await shell.close();
    }
  });

  test("the instructor watches a learner's terminal read-only, and broadcasts to every page", async () => {
    const seat1 = new URL((await fetch(links.get('seat-01')!, { redirect: 'manual' })).headers.get('location')!);
    const shell = await TermClient.open({ base: seat1.origin, token: seatToken('seat-01') });
    const watchUrl = `${base.replace(/^http/, 'ws')}/api/seats/seat-01/watch`;
    // what the viewer got, from the start: the first frame can come in the same read as the
    // upgrade's answer, and ws emits it before a listener added after 'open' could see it
    let seen = '';
    const open = (token: string) =>
      new Promise<{ ws: WebSocket; status: number }>((resolve, reject) => {
        const w = new WebSocket(watchUrl, { headers: { Origin: base, Authorization: `Bearer ${token}` } });
        w.on('message', (d: Buffer, binary: boolean) => (seen += binary ? d.toString('utf8') : `\n${d.toString('utf8')}\n`));
        w.once('open', () => resolve({ ws: w, status: 101 }));
        w.once('unexpected-response', (_req, res) => resolve({ ws: w, status: res.statusCode! }));
        w.once('error', reject);
      });
    try {
      await shell.waitFor(/coredns-lab.*[$#] /, 30_000);
      assert.equal((await open(seatToken('seat-01'))).status, 401, "a seat's token does not open the instructor's view");
      const { ws: viewer, status } = await open(instructorToken);
      assert.equal(status, 101);
      await waitFor(() => seen.includes('"t":"attached"'), { what: 'the watched screen', timeout: 10_000 });
      shell.type('echo watched-$((6*7))\r');
      await waitFor(() => /watched-42/.test(seen), { what: 'the learner\'s output reaches the instructor', timeout: 10_000 });
      viewer.send(JSON.stringify({ t: 'in', d: 'echo typed-by-instructor\r' }));
      shell.type('echo after-$((1+1))\r');
      await shell.waitFor(/after-2\r\n/, 10_000);
      assert.doesNotMatch(shell.text, /typed-by-instructor/, "the instructor's keystrokes never reach the learner's shell");

      const bad = await fetch(`${base}/api/broadcast`, { method: 'POST', headers: { ...bearer(instructorToken).headers, 'content-type': 'application/json', Origin: base }, body: '{}' });
      assert.equal(bad.status, 400);
      const res = await fetch(`${base}/api/broadcast`, {
        method: 'POST',
        headers: { ...bearer(instructorToken).headers, 'content-type': 'application/json', Origin: base },
        body: JSON.stringify({ text: 'Break until 11:00' }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      assert.match(((await res.json()) as { message: string }).message, /^sent to [12] of 2 seats$/);
      await waitFor(() => shell.notices.find((n) => n.text === 'Break until 11:00'), { what: "the broadcast on the learner's page", timeout: 10_000 });
      await waitFor(() => seen.includes('Break until 11:00'), { what: 'the broadcast in the watched view too', timeout: 10_000 });
      // a page that opens after the broadcast still gets it
      const late = await TermClient.open({ base: seat1.origin, token: seatToken('seat-01') });
      await waitFor(() => late.notices.find((n) => n.text === 'Break until 11:00'), { what: 'the broadcast replayed to a new page', timeout: 10_000 });
      await late.close();
      viewer.close();
    } finally {
      await shell.close();
    }
  });

  test('the instructor solves a seat up to a step and exports progress with a column per step', async () => {
    const res = await fetch(`${base}/api/seats/seat-01/solve`, {
      method: 'POST',
      headers: { ...bearer(instructorToken).headers, 'content-type': 'application/json', Origin: base },
      body: JSON.stringify({ to: 'nope/nope' }),
    });
    assert.equal(res.status, 400);
    const ok = await fetch(`${base}/api/seats/seat-01/solve`, {
      method: 'POST',
      headers: { ...bearer(instructorToken).headers, 'content-type': 'application/json', Origin: base },
      body: JSON.stringify({ to: 'deploy-coredns/running' }),
    });
    assert.equal(ok.status, 200, await ok.clone().text());
    const seat1 = kubeconfig(ws.stateDir, 'seat-01');
    const kc = join(ws.stateDir, 'seats', 'seat-01', 'kubeconfig');
    const { execFileSync } = await import('node:child_process');
    const pods = execFileSync('kubectl', ['--kubeconfig', kc, 'get', 'deploy', '-n', 'kube-system', '-o', 'name'], { encoding: 'utf8' });
    assert.match(pods, /deployment\.apps\/coredns/, `solve deployed CoreDNS on seat-01 (${seat1.clusters[0]!.cluster.server})`);
    const csv = await (await fetch(`${base}/api/progress.csv`, bearer(instructorToken))).text();
    const [head, ...rows] = csv.trim().split('\n');
    assert.match(head!, /^seat,claimed,state,where,passed,total,idle_seconds,prerequisites\/cluster,status-quo\/kube-dns-service,/);
    assert.equal(rows.length, 2);
    assert.equal(head!.split(',').length, rows[0]!.split(',').length, 'every row has a cell per column');
  });

  test('learners claim free seats with the workshop code, until none is left', async () => {
    const code = (JSON.parse(readFileSync(join(ws.stateDir, 'workshop.json'), 'utf8')) as { code: string }).code;
    const claim = (c: string) => fetch(`${base}/claim`, { method: 'POST', body: new URLSearchParams({ code: c }), redirect: 'manual' });
    assert.equal((await claim('WRONG1')).status, 403);
    const first = await claim(code.toLowerCase());
    assert.equal(first.status, 200);
    assert.match(await first.text(), new RegExp(`href="${base}/join/seat-01\\?token=${seatToken('seat-01')}"`));
    assert.equal((await claim(code)).status, 200);
    assert.equal((await claim(code)).status, 409, 'every seat is taken');
    assert.deepEqual((await seats()).map((s) => s.claimed), [true, true]);
  });

  test('a seat nobody is connected to sleeps, and wakes on its next request', async () => {
    const state = async () => (await seats()).find((s) => s.id === 'seat-02')!.state;
    await waitFor(async () => (await state()) === 'asleep', { what: 'seat-02 asleep within a minute of idling (sleep after 2 s)', timeout: 60_000, interval: 500 });
    // the kernel's freezer holds every process of the seat
    const frozen = readFileSync('/proc/self/mounts', 'utf8').includes(' /sys/fs/cgroup/freezer ');
    if (frozen) {
      const { readdirSync } = await import('node:fs');
      const dir = '/sys/fs/cgroup/freezer/coredns-lab';
      const group = `ws${ws.child.pid}-seat-02`;
      assert.ok(readdirSync(dir).includes(group), `the seat's freezer group ${group}`);
      assert.equal(readFileSync(join(dir, group, 'freezer.state'), 'utf8').trim(), 'FROZEN');
    }
    const seat2 = new URL((await fetch(links.get('seat-02')!, { redirect: 'manual' })).headers.get('location')!);
    const res = await fetch(`${seat2.origin}/api/status`, bearer(seatToken('seat-02')));
    assert.equal(res.status, 200, 'the request that woke the seat is answered');
    assert.equal(await state(), 'running');
  });

  test('the instructor resets a seat through its control channel', async () => {
    assert.equal((await fetch(`${base}/api/seats/seat-09/reset`, { method: 'POST', ...bearer(instructorToken) })).status, 404);
    const res = await fetch(`${base}/api/seats/seat-02/reset`, { method: 'POST', ...bearer(instructorToken) });
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(((await res.json()) as { message: string }).message, /^reset 1 done/);
  });

  // last: a fork loop holds seat-01's shells at their process limit while new terminals open
  test("a runaway learner hits the seat's process limit; the instructor and the learner are told, and the seat's server lives on", async () => {
    const seatBase = async (id: string) => new URL((await fetch(links.get(id)!, { redirect: 'manual' })).headers.get('location')!).origin;
    const seat1 = await seatBase('seat-01');
    const shell = await TermClient.open({ base: seat1, token: seatToken('seat-01') });
    const opened: TermClient[] = [shell];
    try {
      await shell.waitFor(/coredns-lab.*[$#] /, 30_000);
      // more processes than the seat may have (perl's fork fails at once, where bash would retry
      // for a minute); the children hold their places until Ctrl-C reaches the whole job
      shell.type(`perl -e 'for $i (1..300) { $p = fork; if (!defined $p) { print "fork failed: $!\\n"; last } if (!$p) { sleep 600; exit } } sleep 600'\r`);
      await shell.waitFor(/fork failed: Resource temporarily unavailable\r\n/, 60_000);
      const hits = (await seats()).find((s) => s.id === 'seat-01')!.limitHits;
      if (/no per-seat limits/.test(ws.stderr())) {
        assert.match(ws.stderr(), /no per-seat limits: .+/, 'says why the limits are off');
        return;
      }
      assert.ok(hits.some((h) => /process limit \(200\) hit/.test(h)), `the instructor sees the limit hit: ${JSON.stringify(hits)}`);
      const warning = await waitFor(() => shell.notices.find((n) => n.level === 'warning'), { what: 'the learner is told about the limit', timeout: 20_000 });
      assert.match(warning.text, /^Your seat reached its process limit \(200\): a command started more processes than a seat may run\. Press Ctrl-C/);

      // a new terminal on the full seat: its shell cannot start, the seat's server can
      const second = await TermClient.open({ base: seat1, token: seatToken('seat-01') });
      opened.push(second);
      await second.waitFor(/Resource temporarily unavailable/, 20_000);
      const told = await waitFor(() => second.notices.find((n) => n.level === 'warning'), { what: 'the new terminal shows the limit notice', timeout: 20_000 });
      assert.match(told.text, /^Your seat reached its process limit/);
      assert.equal((await fetch(`${seat1}/`, bearer(seatToken('seat-01')))).status, 200, "seat-01's lab server still answers");
      assert.equal((await seats()).find((s) => s.id === 'seat-01')!.state, 'running', 'the instructor sees seat-01 running');

      // the other seat opens terminals as before
      const other = await TermClient.open({ base: await seatBase('seat-02'), token: seatToken('seat-02') });
      opened.push(other);
      await other.waitFor(/coredns-lab.*[$#] /, 30_000);
      other.type('echo seat2-$((6*7))\r');
      await other.waitFor(/seat2-42/, 10_000);

      // Ctrl-C ends the loop; the seat opens terminals again
      const before = shell.length;
      shell.type('\x03');
      await shell.waitFor(/coredns-lab.*[$#] /, 30_000, before);
      const third = await TermClient.open({ base: seat1, token: seatToken('seat-01') });
      opened.push(third);
      await third.waitFor(/coredns-lab.*[$#] /, 30_000);
      third.type('echo back-$((6*7))\r');
      await third.waitFor(/back-42/, 10_000);
    } finally {
      await Promise.all(opened.map((c) => c.close()));
    }
  });
});
