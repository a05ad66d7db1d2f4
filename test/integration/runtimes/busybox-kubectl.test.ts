// busybox 1.28's applets through the real kubectl: `kubectl cp` both ways (kubectl 1.32 runs
// `tar cf - SRC` and `tar -xmf - -C DIR` in the container, after `test -d DEST`), exec with
// stdin, ps, and the shell's substitutions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startClusterLab, type Lab } from '../kubectl/harness.ts';
import { waitFor } from '../../support/wait.ts';

let lab: Lab;
before(async () => {
  lab = await startClusterLab();
  await lab.ok(['run', 'bb', '--image=busybox:1.28', '--', 'sleep', '3600']);
  await waitFor(async () => (await lab.kubectl(['get', 'pod', 'bb', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', { what: 'bb Running', timeout: 30_000 });
});
after(async () => { await lab?.close(); });

describe('busybox through kubectl', () => {
  test('kubectl cp a file into the pod and back out', async () => {
    const local = lab.file('notes.txt', 'line one\nline two\n');
    assert.equal(await lab.ok(['cp', local, 'bb:/tmp/notes.txt']), '');
    assert.equal(await lab.ok(['exec', 'bb', '--', 'cat', '/tmp/notes.txt']), 'line one\nline two\n');
    assert.equal(await lab.ok(['exec', 'bb', '--', 'wc', '-l', '/tmp/notes.txt']), '2 /tmp/notes.txt\n');
    const back = join(lab.dir, 'copied.txt');
    const r = await lab.kubectl(['cp', 'bb:/tmp/notes.txt', back]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(back, 'utf8'), 'line one\nline two\n');
    // the notice busybox tar writes first: kubectl cp copies the remote stderr to its own stdout
    // in a goroutine of its own and exits once the archive's end marker is read, so on a loaded
    // machine it can exit before printing the notice (a clean-clone run here did, 2026-12-07); exec
    // waits for every stream, so it shows the notice every time
    const tar = await lab.kubectl(['exec', 'bb', '--', 'tar', 'cf', '-', '/tmp/notes.txt']);
    assert.equal(tar.code, 0, tar.stderr);
    assert.equal(tar.stderr, "tar: removing leading '/' from member names\n");
    assert.match(tar.stdout, /^tmp\/notes\.txt\0/);
  });

  test('kubectl cp a directory into an existing directory, and the pod\'s /etc out', async () => {
    const dir = join(lab.dir, 'conf');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.conf'), 'a=1\n');
    writeFileSync(join(dir, 'b.conf'), 'b=2\n');
    await lab.ok(['cp', dir, 'bb:/tmp']);
    assert.equal(await lab.ok(['exec', 'bb', '--', 'sh', '-c', 'ls /tmp/conf; cat /tmp/conf/*.conf']), 'a.conf\nb.conf\na=1\nb=2\n');
    const out = join(lab.dir, 'etc-copy');
    await lab.kubectl(['cp', 'bb:/etc', out]);
    assert.match(readFileSync(join(out, 'resolv.conf'), 'utf8'), /^nameserver 100\.64\.0\.10\n/);
    assert.equal(readFileSync(join(out, 'hostname'), 'utf8'), 'bb\n');
  });

  test('exec -i feeds stdin to a filter; ps shows PID 1', async () => {
    assert.equal(await lab.ok(['exec', '-i', 'bb', '--', 'grep', '-c', 'x'], { input: 'x\ny\nxx\n' }), '2\n');
    assert.equal(await lab.ok(['exec', '-i', 'bb', '--', 'head', '-n', '1'], { input: 'first\nsecond\n' }), 'first\n');
    assert.match(await lab.ok(['exec', 'bb', '--', 'ps']), /^PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n/);
  });

  test('the shell: $(...), $((...)), globs and <', async () => {
    const out = await lab.ok(['exec', 'bb', '--', 'sh', '-c', 'echo $(hostname) $((6*7)); ls /etc/host*; head -n1 < /etc/resolv.conf']);
    assert.equal(out, 'bb 42\n/etc/hostname\n/etc/hosts\nnameserver 100.64.0.10\n');
  });

  test('busybox 1.28 nslookup has no -type: the usage, exit 1', async () => {
    const r = await lab.kubectl(['exec', 'bb', '--', 'nslookup', '-type=srv', '_http._tcp.web']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Usage: nslookup \[HOST\] \[SERVER\]/);
  });
});
