// kill -9 in the middle of a stream of writes loses nothing that was acknowledged, and a
// torn last record is dropped on load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stateDirClientCredentials } from '../../../sandbox/cluster/auth/credentials.ts';
import { createStore } from '../../../sandbox/cluster/index.ts';
import { fetchWithCa } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

const child = fileURLToPath(new URL('./fixtures/serve-api.ts', import.meta.url));

function startChild(stateDir: string, compactEvery: number) {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, stateDir, String(compactEvery)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /ready (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`the API child exited early (${code})`)));
  });
  return { proc, url };
}

test('kill -9 during writes loses no acknowledged write', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-durable-'));
  const stateDir = join(dir, 'state');
  const { proc, url } = startChild(stateDir, 40);
  try {
    const base = await url;
    const { ca, token } = stateDirClientCredentials(stateDir);
    const acked: string[] = [];
    let stop = false;
    // four writers in parallel, each creating configmaps until the process dies under them
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const name = `cm-${w}-${i}`;
        try {
          const res = await fetchWithCa(`${base}/api/v1/namespaces/default/configmaps`, ca!, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { payload: 'x'.repeat(200 + i) } }),
          });
          if (res.status === 201) acked.push(name);
          else assert.fail(`unexpected ${res.status}`);
        } catch {
          return; // the connection died with the process
        }
      }
    };
    let writersDone = false;
    const writers = Promise.all([0, 1, 2, 3].map(writer)).finally(() => (writersDone = true));
    await waitFor(() => acked.length >= 150 || writersDone, { what: '150 acknowledged writes', interval: 5, timeout: 60_000 });
    assert.ok(acked.length >= 150, 'the writers stopped before the kill');
    proc.kill('SIGKILL');
    stop = true;
    await writers;
    if (proc.exitCode === null && proc.signalCode === null) await new Promise((r) => proc.once('exit', r));

    const store = await createStore({ stateDir });
    try {
      const names = new Set(store.list('configmaps', { namespace: 'default' }).items.map((o) => o.metadata.name));
      const lost = acked.filter((n) => !names.has(n));
      assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged writes were lost`);
      assert.ok(acked.length >= 150);
    } finally {
      await store.close();
    }
  } finally {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a torn last record is dropped and the rest loads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-torn-'));
  try {
    const stateDir = join(dir, 'state');
    const s1 = await createStore({ stateDir });
    s1.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'default' } });
    await s1.flush();
    // simulate a crash: no close(), and half a record at the end of the log
    appendFileSync(join(stateDir, 'cluster', 'wal.log'), '{"rv":99,"op":"put","resource":"configmaps","obj":{"metad');
    const s2 = await createStore({ stateDir });
    try {
      assert.ok(s2.get('configmaps', 'default', 'kept'));
      s2.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after', namespace: 'default' } });
    } finally {
      await s2.close();
    }
    const s3 = await createStore({ stateDir });
    try {
      assert.deepEqual(s3.list('configmaps').items.map((o) => o.metadata.name), ['after', 'kept']);
      s3.reset();
      assert.equal(s3.list('configmaps').items.length, 0);
      assert.equal(s3.isPristine(), true);
    } finally {
      await s3.close();
    }
    const s4 = await createStore({ stateDir });
    assert.equal(s4.list('configmaps').items.length, 0);
    assert.equal(s4.list('namespaces').items.length, 4);
    await s4.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
