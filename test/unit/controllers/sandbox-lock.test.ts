// The pid file that gives a state dir to one running sandbox (sandbox/providers/embedded/lock.ts).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockPath, readLock, SandboxLock } from '../../../sandbox/providers/embedded/lock.ts';
import { getProvider } from '../../../sandbox/providers/index.ts';

describe('sandbox pid lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coredns-lab-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('one holder at a time, even within one process; release frees it', () => {
    const a = SandboxLock.acquire(join(dir, 'one'));
    assert.equal(readLock(join(dir, 'one'))?.pid, process.pid);
    assert.throws(() => SandboxLock.acquire(join(dir, 'one')), (e: any) => e.code === 'LAB_ERR_SANDBOX_RUNNING' && e.pid === process.pid && /sandbox down --state-dir/.test(e.message));
    a.update({ state: 'running', apiServer: 'http://127.0.0.1:1' });
    assert.equal(readLock(join(dir, 'one'))?.apiServer, 'http://127.0.0.1:1');
    a.release();
    assert.equal(existsSync(lockPath(join(dir, 'one'))), false);
    SandboxLock.acquire(join(dir, 'one')).release();
  });

  test('a pid file whose process is gone is stale and taken over', () => {
    const d = join(dir, 'stale');
    SandboxLock.acquire(d).release();
    writeFileSync(lockPath(d), JSON.stringify({ pid: 2 ** 22 + 4321, state: 'running', startedAt: '2017-11-03T00:00:00Z' }));
    assert.equal(readLock(d), undefined);
    const l = SandboxLock.acquire(d);
    assert.equal(JSON.parse(readFileSync(lockPath(d), 'utf8')).pid, process.pid);
    l.release();
  });

  test('a garbled pid file counts as stale', () => {
    const d = join(dir, 'garbled');
    SandboxLock.acquire(d).release();
    writeFileSync(lockPath(d), '{not json');
    SandboxLock.acquire(d).release();
  });

  test('release never removes a file another process wrote', () => {
    const d = join(dir, 'theirs');
    const l = SandboxLock.acquire(d);
    writeFileSync(lockPath(d), JSON.stringify({ pid: 1, state: 'running', startedAt: '' }));
    l.release();
    assert.equal(existsSync(lockPath(d)), true);
  });
});

describe('provider registry', () => {
  const rows: Array<[string, string | undefined]> = [['embedded', undefined], ['kind', 'LAB_ERR_PROVIDER_UNAVAILABLE'], ['minikube', 'LAB_ERR_PROVIDER_UNAVAILABLE'], ['existing', 'LAB_ERR_PROVIDER_UNAVAILABLE'], ['k3d', 'LAB_ERR_UNKNOWN_PROVIDER']];
  for (const [name, code] of rows)
    test(`${name}: ${code ?? 'available'}`, () => {
      if (!code) assert.equal(getProvider(name).name, name);
      else assert.throws(() => getProvider(name), (e: any) => e.code === code && e.message.includes(name));
    });
});
