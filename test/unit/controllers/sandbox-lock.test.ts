// The lock that gives a state dir to one owner (sandbox/owner/lock.ts), named by pid plus
// process start time.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockPath, OwnerLock, readLock } from '../../../sandbox/owner/lock.ts';
import { processStartTime, selfIdentity } from '../../../sandbox/owner/process-identity.ts';
import { getProvider } from '../../../sandbox/providers/index.ts';

describe('state dir owner lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coredns-lab-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('one holder at a time, even within one process; release frees it', () => {
    const d = join(dir, 'one');
    const a = OwnerLock.acquire(d, { owner: 'sandbox up' });
    assert.equal(readLock(d)?.pid, process.pid);
    assert.equal(readLock(d)?.startTime, selfIdentity().startTime);
    assert.throws(
      () => OwnerLock.acquire(d, { owner: 'serve' }),
      (e: Error & { code?: string; pid?: number }) => e.code === 'LAB_ERR_SANDBOX_RUNNING' && e.pid === process.pid && /pid \d+: sandbox up since /.test(e.message) && /sandbox down --state-dir/.test(e.message),
    );
    a.update({ state: 'running', apiServer: 'http://127.0.0.1:1' });
    assert.equal(readLock(d)?.apiServer, 'http://127.0.0.1:1');
    assert.equal(statSync(lockPath(d)).mode & 0o777, 0o600);
    a.release();
    assert.equal(existsSync(lockPath(d)), false);
    OwnerLock.acquire(d, { owner: 'sandbox up' }).release();
    assert.deepEqual(readdirSync(d), [], 'no temp or takeover files left behind');
  });

  test('a serve owner is named as the lab server, with its page, and how to stop it', () => {
    const d = join(dir, 'serve');
    const a = OwnerLock.acquire(d, { owner: 'serve' });
    a.update({ url: 'http://127.0.0.1:4321/' });
    assert.throws(
      () => OwnerLock.acquire(d, { owner: 'sandbox up' }),
      (e: Error & { code?: string; pid?: number }) => /serve since .*, http:\/\/127\.0\.0\.1:4321\//.test(e.message) && /Ctrl-C in its terminal \(or "coredns-lab sandbox down --force --state-dir /.test(e.message),
    );
    a.release();
  });

  test('the start time of this process is the one /proc or ps reports, and a gone pid has none', () => {
    assert.equal(processStartTime(process.pid), selfIdentity().startTime);
    assert.match(selfIdentity().startTime, /\S/);
    assert.equal(processStartTime(2 ** 22 + 4321), undefined);
  });

  const staleRows: Array<{ name: string; lock: () => string }> = [
    { name: 'its process is gone', lock: () => JSON.stringify({ pid: 2 ** 22 + 4321, startTime: '1', state: 'running', startedAt: '2017-11-03T00:00:00Z' }) },
    { name: 'its pid was recycled: a live process with another start time', lock: () => JSON.stringify({ pid: process.pid, startTime: '1', owner: 'serve', state: 'running', startedAt: '2017-11-03T00:00:00Z' }) },
    { name: 'it is garbled', lock: () => '{not json' },
  ];
  for (const row of staleRows)
    test(`a lock is stale and taken over when ${row.name}`, () => {
      const d = join(dir, row.name.replace(/\W+/g, '-'));
      OwnerLock.acquire(d, { owner: 'sandbox up' }).release();
      writeFileSync(lockPath(d), row.lock());
      assert.equal(readLock(d), undefined);
      const l = OwnerLock.acquire(d, { owner: 'sandbox up' });
      const now = JSON.parse(readFileSync(lockPath(d), 'utf8'));
      assert.equal(now.pid, process.pid);
      assert.equal(now.startTime, selfIdentity().startTime);
      l.release();
    });

  test('a live unrelated process with its real start time holds the lock', async () => {
    const d = join(dir, 'live-other');
    OwnerLock.acquire(d, { owner: 'sandbox up' }).release();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => other.once('spawn', r));
      writeFileSync(lockPath(d), JSON.stringify({ pid: other.pid, startTime: processStartTime(other.pid!), owner: 'serve', state: 'running', startedAt: 'x' }));
      assert.throws(() => OwnerLock.acquire(d, { owner: 'sandbox up' }), (e: Error & { code?: string; pid?: number }) => e.code === 'LAB_ERR_SANDBOX_RUNNING' && e.pid === other.pid);
    } finally {
      other.kill('SIGKILL');
    }
  });

  test('a takeover mutex left by a dead process does not block the takeover', () => {
    const d = join(dir, 'dead-mutex');
    OwnerLock.acquire(d, { owner: 'sandbox up' }).release();
    writeFileSync(lockPath(d), JSON.stringify({ pid: 2 ** 22 + 1, startTime: '1', state: 'running', startedAt: '' }));
    writeFileSync(lockPath(d) + '.takeover', JSON.stringify({ pid: 2 ** 22 + 2, startTime: '1' }));
    const l = OwnerLock.acquire(d, { owner: 'sandbox up' });
    assert.equal(readLock(d)?.pid, process.pid);
    assert.equal(existsSync(lockPath(d) + '.takeover'), false);
    l.release();
  });

  test('release never removes a lock another process wrote', () => {
    const d = join(dir, 'theirs');
    const l = OwnerLock.acquire(d, { owner: 'sandbox up' });
    writeFileSync(lockPath(d), JSON.stringify({ pid: 1, state: 'running', startedAt: '' }));
    l.release();
    assert.equal(existsSync(lockPath(d)), true);
  });
});

describe('provider registry', () => {
  const rows: Array<[string, string | undefined]> = [['embedded', undefined], ['kind', undefined], ['minikube', undefined], ['existing', undefined], ['k3d', 'LAB_ERR_UNKNOWN_PROVIDER']];
  for (const [name, code] of rows)
    test(`${name}: ${code ?? 'available'}`, () => {
      if (!code) assert.equal(getProvider(name).name, name);
      else
        assert.throws(
          () => getProvider(name),
          (e: Error & { code?: string; pid?: number }) => e.code === code && e.message.includes(name),
        );
    });
});
