// A seat's cgroups with the machine's real cgroup tree (limits.ts): the shared group every seat's
// commands run in, and the sweep that removes the groups of a workshop that died without stopping
// its seats (theirs, its commands group, its own). Nothing moves this runner: the groups are made, read and removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS, seatGroup, sweepStaleGroups, tryRmdir } from '../../../sandbox/workshop/limits.ts';

const V1_CPU = '/sys/fs/cgroup/cpu';
const V1 = existsSync(join(V1_CPU, 'cgroup.procs')) && existsSync('/sys/fs/cgroup/memory') && existsSync('/sys/fs/cgroup/pids');

/** a pid that is no longer running */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

test("on cgroup v1 each seat's commands get a CPU group under one the seats share, capped like the seat, removed with the last seat", (t) => {
  const ws = `ws${process.pid}`;
  const one = seatGroup(`${ws}-seat-01`, DEFAULT_LIMITS, `${ws}-commands`);
  const two = seatGroup(`${ws}-seat-02`, DEFAULT_LIMITS, `${ws}-commands`);
  try {
    if (!one.ok || !two.ok) {
      // no cgroups to write here (not root): the seat says why, and has no CPU switch
      assert.equal(one.ok, false);
      t.diagnostic(`no seat groups here: ${!one.ok ? one.why : ''}`);
      return;
    }
    if (!V1) {
      assert.equal(one.group.cpuSwitch, undefined, 'v2 keeps the shells in their seat group');
      return;
    }
    const parent = join(V1_CPU, 'coredns-lab', `${ws}-commands`);
    assert.deepEqual(one.group.cpuSwitch, {
      interactive: join(V1_CPU, 'coredns-lab', `${ws}-seat-01`, 'shells', 'cgroup.procs'),
      commands: join(parent, `${ws}-seat-01`, 'cgroup.procs'),
    });
    assert.equal(readFileSync(join(parent, 'cpu.shares'), 'utf8').trim(), '1024', 'all commands together weigh as one seat');
    assert.equal(readFileSync(join(parent, `${ws}-seat-02`, 'cpu.cfs_quota_us'), 'utf8').trim(), String(DEFAULT_LIMITS.cpus * 100000));
    one.group.remove();
    assert.equal(existsSync(join(parent, `${ws}-seat-01`)), false);
    assert.equal(existsSync(parent), true, 'seat-02 still uses the shared group');
    two.group.remove();
    assert.equal(existsSync(parent), false, 'the last seat removes it');
  } finally {
    if (one.ok) one.group.remove();
    if (two.ok) two.group.remove();
  }
});

test("the sweep removes the groups of a workshop that is gone, and keeps a running one's", async (t) => {
  const parent = join(V1 ? V1_CPU : '/sys/fs/cgroup', 'coredns-lab');
  try {
    mkdirSync(parent, { recursive: true });
  } catch {
    t.diagnostic('no writable cgroup tree here: nothing for the sweep to find');
    assert.doesNotThrow(() => sweepStaleGroups());
    return;
  }
  const gone = await deadPid();
  const alive = spawn('sleep', ['60'], { stdio: 'ignore' });
  const stale = [join(parent, `ws${gone}-seat-01`, 'shells'), join(parent, `ws${gone}-commands`, `ws${gone}-seat-01`)];
  const staleFront = join(parent, `ws${gone}-front`);
  const kept = [join(parent, `ws${alive.pid}-seat-01`, 'shells'), join(parent, `ws${alive.pid}-commands`, `ws${alive.pid}-seat-01`)];
  const other = join(parent, `not-a-workshop-${gone}`);
  for (const d of [...stale, staleFront, ...kept, other]) mkdirSync(d, { recursive: true });
  try {
    sweepStaleGroups();
    for (const d of stale) {
      assert.equal(existsSync(d), false, `a dead workshop's group is removed: ${d}`);
      assert.equal(existsSync(join(d, '..')), false, `and its parent: ${join(d, '..')}`);
    }
    assert.equal(existsSync(staleFront), false, `a dead workshop's own group is removed: ${staleFront}`);
    for (const d of kept) assert.equal(existsSync(d), true, `a running workshop's group stays: ${d}`);
    assert.equal(existsSync(other), true, 'a group the lab did not name is left alone');
  } finally {
    alive.kill();
    tryRmdir(staleFront);
    for (const d of [...stale, ...kept, other]) {
      tryRmdir(d);
      tryRmdir(join(d, '..'));
    }
    tryRmdir(other);
  }
});
