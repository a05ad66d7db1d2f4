// The workshop process's own CPU group (limits.ts enterFrontGroup) with the machine's real
// cgroups, in a child process so this runner stays where it is. The sweep of a dead workshop's
// groups, this one included: seat-groups.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const V1 = existsSync('/sys/fs/cgroup/cpu/cgroup.procs');
const HIERARCHY = V1 ? '/sys/fs/cgroup/cpu' : '/sys/fs/cgroup';
const cpuLine = (cgroup: string) => cgroup.split('\n').find((l) => (V1 ? l.split(':')[1]!.split(',').includes('cpu') : l.startsWith('0::'))) ?? '';

test("the workshop process enters a CPU group weighing as much as its seats, and leaves it as it was", async () => {
  const script = `
    import { readFileSync, existsSync } from 'node:fs';
    import { enterFrontGroup } from './sandbox/workshop/limits.ts';
    const before = readFileSync('/proc/self/cgroup', 'utf8');
    const g = enterFrontGroup('ws' + process.pid + '-front', 3);
    const inside = readFileSync('/proc/self/cgroup', 'utf8');
    const v1 = existsSync('/sys/fs/cgroup/cpu/cgroup.procs');
    const dir = (v1 ? '/sys/fs/cgroup/cpu' : '/sys/fs/cgroup') + '/coredns-lab/ws' + process.pid + '-front/';
    const weight = g ? readFileSync(dir + (v1 ? 'cpu.shares' : 'cpu.weight'), 'utf8').trim() : null;
    g?.leave();
    const after = readFileSync('/proc/self/cgroup', 'utf8');
    console.log(JSON.stringify({ pid: process.pid, entered: g !== null, weight, before, inside, after }));
  `;
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
  );
  const r = JSON.parse(out) as { pid: number; entered: boolean; weight: string | null; before: string; inside: string; after: string };
  const group = `/coredns-lab/ws${r.pid}-front`;
  let writable = false;
  try {
    mkdirSync(join(HIERARCHY, 'coredns-lab'), { recursive: true });
    writable = true;
  } catch {
    // not root, or cgroups read-only here
  }
  if (!writable) {
    // best effort: without cgroups to write, the process stays where it was
    assert.equal(r.entered, false);
    assert.equal(r.inside, r.before);
    return;
  }
  assert.equal(r.entered, true, 'cgroups are writable here, so the front group is made');
  assert.ok(cpuLine(r.inside).endsWith(`:${group}`), `in its group: ${cpuLine(r.inside)}`);
  assert.equal(r.weight, V1 ? String(3 * 1024) : '300', 'three seats weigh three times the default');
  assert.equal(cpuLine(r.after), cpuLine(r.before), 'back where it started');
  assert.equal(existsSync(join(HIERARCHY, group)), false, 'the group is removed');
});
