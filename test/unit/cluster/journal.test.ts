// The state dir's log and snapshot: compaction folds the log into the snapshot and what is
// loaded afterwards is the same state.
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { Obj } from '../../../sandbox/cluster/resources/define.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../../sandbox/cluster/index.ts';

test('compaction keeps the state and empties the log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-journal-'));
  try {
    const s = await createStore({ stateDir: dir, compactEvery: 10 });
    for (let i = 0; i < 25; i++) s.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'default' }, data: { i: String(i) } });
    s.delete('configmaps', 'default', 'c3');
    await new Promise((r) => setImmediate(r));
    await s.flush();
    const walSize = statSync(join(dir, 'cluster', 'wal.log')).size;
    const snap = JSON.parse(readFileSync(join(dir, 'cluster', 'snapshot.json'), 'utf8'));
    assert.ok(snap.rv >= 20, `the snapshot was written (rv ${snap.rv})`);
    assert.ok(walSize < 10 * 400, `the log was truncated at compaction (${walSize} bytes)`);
    const rv = s.currentResourceVersion();
    // no close(): load what a crash would leave
    const again = await createStore({ stateDir: dir });
    assert.equal(again.currentResourceVersion(), rv);
    assert.equal(again.list('configmaps').items.length, 24);
    assert.equal(again.get('configmaps', 'default', 'c3'), undefined);
    assert.deepEqual((again.get('configmaps', 'default', 'c24') as Obj<ConfigMap>).data, { i: '24' });
    await again.close();
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreadable snapshot is a clear error naming the fix', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-journal-'));
  try {
    const s = await createStore({ stateDir: dir });
    await s.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'cluster', 'snapshot.json'), '{not json');
    await assert.rejects(createStore({ stateDir: dir }), (e: Error & { code?: string }) => e.code === 'LAB_ERR_STATE_CORRUPT' && /sandbox reset/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
