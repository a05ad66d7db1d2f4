// @kubernetes/client-node 1.x against the embedded API: typed calls and an informer,
// and kubectl get -w following the same changes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startLab, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

let lab: Lab;
let kc: k8s.KubeConfig;
before(async () => {
  lab = await startLab();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(lab.kubeconfig);
});
after(() => lab.close());

describe('@kubernetes/client-node', () => {
  test('typed create, read, list and a NotFound with its code', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-client' }, data: { a: 'b' } } });
    const cm = await core.readNamespacedConfigMap({ namespace: 'default', name: 'from-client' });
    assert.equal(cm.data?.a, 'b');
    const list = await core.listNamespace();
    assert.deepEqual(list.items.map((n) => n.metadata?.name), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    await assert.rejects(core.readNamespacedService({ namespace: 'default', name: 'nope' }), (e: { code?: number }) => e.code === 404);
  });

  test('an informer sees add, update and delete', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({ namespace: 'default' }));
    const seen: string[] = [];
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name}`));
    informer.on('update', (p) => seen.push(`update ${p.metadata?.name} ${p.status?.phase}`));
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name}`));
    lab.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'before', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await informer.start();
    try {
      await waitFor(() => seen.includes('add before'), { what: 'the initial list' });
      const p = lab.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'live', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
      lab.store.updateStatus('pods', { ...p, status: { phase: 'Running' } });
      lab.store.delete('pods', 'default', 'live');
      await waitFor(() => seen.includes('delete live'), { what: 'the delete' });
      assert.deepEqual(seen, ['add before', 'add live', 'update live Running', 'delete live']);
    } finally {
      await informer.stop();
    }
  });
});

describe('kubectl get -w', () => {
  test('prints new and changed objects as they happen', async () => {
    const child = spawn('kubectl', ['get', 'configmaps', '-w', '--output-watch-events'], {
      env: { PATH: process.env.PATH, HOME: lab.dir, KUBECONFIG: lab.kubeconfig, KUBECACHEDIR: join(lab.dir, 'cache-w') },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await waitFor(() => /from-client/.test(out), { what: 'the initial list' });
      lab.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace: 'default' }, data: { a: '1', b: '2' } });
      await waitFor(() => /ADDED\s+watched\s+2\s/.test(out), { what: 'the ADDED line' });
      const o = lab.store.get('configmaps', 'default', 'watched')!;
      lab.store.update('configmaps', { ...o, data: { a: '1' } });
      await waitFor(() => /MODIFIED\s+watched\s+1\s/.test(out), { what: 'the MODIFIED line' });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
