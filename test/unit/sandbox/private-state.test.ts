// The state dir's modes come from the lab, not from the umask: with umask 000 every writer
// still makes 0700 dirs and 0600 files; an older, wider state dir is tightened by name only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../../sandbox/cluster/index.ts';
import { wipeState } from '../../../sandbox/cluster/persistence/journal.ts';
import { makePrivateDir, tightenStateDir, writePrivateFile } from '../../../sandbox/private-state.ts';
import { OwnerLock } from '../../../sandbox/owner/lock.ts';
import { prepareWorkspace, sessionDir } from '../../../sandbox/terminal/workspace.ts';

const mode = (p: string) => `0${(lstatSync(p).mode & 0o777).toString(8)}`;

describe('with umask 000, every writer still makes private files', () => {
  let root: string;
  let saved: number;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lab-umask-'));
    saved = process.umask(0);
  });
  after(() => {
    process.umask(saved);
    rmSync(root, { recursive: true, force: true });
  });

  test('the store: cluster/, wal.log, snapshot.json and the reset files', async () => {
    const state = join(root, 'store');
    const s = await createStore({ stateDir: state, compactEvery: 3 });
    for (let i = 0; i < 4; i++) s.create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${i}`, namespace: 'default' }, data: { k: 'dg==' } });
    await new Promise((r) => setImmediate(r));
    await s.close();
    const rows: Array<[string, string]> = [
      [state, '0700'],
      [join(state, 'cluster'), '0700'],
      [join(state, 'cluster', 'wal.log'), '0600'],
      [join(state, 'cluster', 'snapshot.json'), '0600'],
    ];
    for (const [p, want] of rows) assert.equal(mode(p), want, p);
    chmodSync(join(state, 'cluster', 'wal.log'), 0o644);
    wipeState(join(state, 'cluster'));
    assert.equal(mode(join(state, 'cluster', 'wal.log')), '0600', 'a reset rewrites an old 0644 log as 0600');
    assert.equal(mode(join(state, 'cluster', 'snapshot.json')), '0600');
  });

  test('the workspace: the state dir, bashrc, bash_history, workspace/ and a session\'s folders', () => {
    const ws = prepareWorkspace(join(root, 'ws', 'state'), join(root, 'templates'));
    sessionDir(ws, 'sess0123456789');
    const rows: Array<[string, string]> = [
      [ws.stateDir, '0700'],
      [ws.rcfile, '0600'],
      [ws.historyFile, '0600'],
      [ws.dir, '0700'],
      [ws.sessionsDir, '0700'],
      [join(ws.sessionsDir, 'sess0123456789'), '0700'],
      [join(ws.sessionsDir, 'sess0123456789', 'kube-cache'), '0700'],
    ];
    for (const [p, want] of rows) assert.equal(mode(p), want, p);
  });

  test('the lock file and its rewrites', () => {
    const state = join(root, 'lock');
    const lock = OwnerLock.acquire(state, { owner: 'sandbox up' });
    try {
      assert.equal(mode(state), '0700');
      assert.equal(mode(join(state, 'sandbox.pid')), '0600');
      lock.update({ state: 'running' });
      assert.equal(mode(join(state, 'sandbox.pid')), '0600');
    } finally {
      lock.release();
    }
  });

  test('writePrivateFile tightens a file that already existed 0644', () => {
    const f = join(root, 'old');
    writeFileSync(f, 'x');
    chmodSync(f, 0o644);
    writePrivateFile(f, 'y');
    assert.equal(mode(f), '0600');
  });
});

describe('tightenStateDir', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lab-tighten-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the lab\'s entries are tightened by name; what is not the lab\'s keeps its mode', () => {
    const state = join(root, 'state');
    const outside = join(root, 'outside.yaml');
    writeFileSync(outside, 'not the lab\'s');
    chmodSync(outside, 0o644);
    const files = ['kubeconfig', 'api-port', 'bashrc', 'bash_history', 'cluster/wal.log', 'cluster/snapshot.json', 'sessions/a/kube-cache/x.json', 'workspace/mine.sh', 'notes.txt'];
    for (const f of files) {
      mkdirSync(join(state, f, '..'), { recursive: true });
      writeFileSync(join(state, f), '');
      chmodSync(join(state, f), 0o644);
    }
    chmodSync(join(state, 'workspace', 'mine.sh'), 0o755);
    for (const d of ['', 'cluster', 'sessions', 'sessions/a', 'sessions/a/kube-cache', 'workspace']) chmodSync(join(state, d), 0o755);
    symlinkSync(outside, join(state, 'sandbox.pid')); // a symlink where a lab file would be
    tightenStateDir(state);
    const rows: Array<[string, string]> = [
      ['', '0700'],
      ['kubeconfig', '0600'],
      ['api-port', '0600'],
      ['bashrc', '0600'],
      ['bash_history', '0600'],
      ['cluster', '0700'],
      ['cluster/wal.log', '0600'],
      ['cluster/snapshot.json', '0600'],
      ['sessions/a', '0700'],
      ['sessions/a/kube-cache/x.json', '0600'],
      ['workspace', '0700'],
      ['workspace/mine.sh', '0755'], // the learner's own file
      ['notes.txt', '0644'], // not a name the lab uses
    ];
    for (const [p, want] of rows) assert.equal(mode(join(state, p)), want, p || 'the state dir');
    assert.equal(mode(outside), '0644', 'a symlink is not followed');
  });

  test('an entry of the wrong kind is left alone (a kubeconfig directory stays traversable)', () => {
    const state = join(root, 'kinds');
    makePrivateDir(join(state, 'kubeconfig'));
    chmodSync(join(state, 'kubeconfig'), 0o755);
    tightenStateDir(state);
    assert.equal(mode(join(state, 'kubeconfig')), '0755');
  });
});
