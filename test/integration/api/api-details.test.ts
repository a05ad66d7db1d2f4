// API details as the apiserver has them: boolean query parameters (watch=True from the Python
// client), DELETE responses, and kind/apiVersion on every served object. The sources are named
// where each fact is used: sandbox/cluster/api/query.ts and resource-handler.ts.
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
before(async () => {
  lab = await startLab();
  lab.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seen', namespace: 'default' } });
});
after(() => lab.close());

/** the first newline-delimited line of a response, then the connection is dropped */
async function firstLine(path: string): Promise<{ status: number; line: string }> {
  const res = await lab.fetch(path);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString('utf8');
  }
  await reader.cancel();
  return { status: res.status, line: text.split('\n')[0] };
}

async function json(path: string, init: { method?: string; body?: unknown } = {}) {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  // node:https sends a DELETE body only with its length (it chunks only POST, PUT and PATCH)
  const res = await lab.fetch(path, {
    method: init.method ?? 'GET',
    headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {}) },
    body,
  });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

describe('boolean query parameters', () => {
  // runtime.Convert_Slice_string_To_bool: only "false" and "0" (any case) are false
  for (const v of ['true', 'True', 'TRUE', '1', 't', 'yes', '']) {
    test(`watch=${JSON.stringify(v)} is a watch`, async () => {
      const { status, line } = await firstLine(`/api/v1/namespaces/default/configmaps?watch=${encodeURIComponent(v)}`);
      assert.equal(status, 200);
      const event = JSON.parse(line);
      assert.equal(event.type, 'ADDED', line);
      assert.equal(event.object.kind, 'ConfigMap');
    });
  }
  for (const v of ['false', 'False', 'FALSE', '0']) {
    test(`watch=${v} is a list`, async () => {
      const { body } = await json(`/api/v1/namespaces/default/configmaps?watch=${v}`);
      assert.equal(body.kind, 'ConfigMapList');
    });
  }

  test('the Python client (python3-kubernetes) watches with watch=True and gets events', async () => {
    const script = [
      'import sys',
      'from kubernetes import client, config, watch',
      'config.load_kube_config(config_file=sys.argv[1])',
      'v1 = client.CoreV1Api()',
      'for e in watch.Watch().stream(v1.list_namespaced_config_map, "default", timeout_seconds=20):',
      '    print(e["type"], e["object"].kind, e["object"].metadata.name)',
      '    break',
    ].join('\n');
    const out = await new Promise<string>((resolve, reject) =>
      execFile('/usr/bin/python3', ['-c', script, lab.kubeconfig], { timeout: 30_000, env: { PATH: '/usr/bin:/bin', HOME: lab.dir } }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    );
    assert.equal(out.trim(), 'ADDED ConfigMap seen');
  });
});

describe('DELETE responses', () => {
  test('a ConfigMap: the Status of finalizeDelete, resource in details.kind, no code', async () => {
    await json('/api/v1/namespaces/default/configmaps', { method: 'POST', body: { metadata: { name: 'gone' } } });
    const uid = lab.store.get('configmaps', 'default', 'gone')!.metadata.uid;
    const r = await json('/api/v1/namespaces/default/configmaps/gone', { method: 'DELETE' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'gone', kind: 'configmaps', uid } });
  });

  test('a Deployment: the Status names its group', async () => {
    lab.store.create('deployments.apps', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const r = await lab.kubectl(['delete', '--raw', '/apis/apps/v1/namespaces/default/deployments/d']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout);
    assert.equal(body.kind, 'Status');
    assert.deepEqual({ ...body.details, uid: undefined }, { name: 'd', group: 'apps', kind: 'deployments', uid: undefined });
  });

  test('a Service (ReturnDeletedObject): the deleted object itself', async () => {
    lab.store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    const r = await lab.kubectl(['delete', '--raw', '/api/v1/namespaces/default/services/s']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout);
    assert.equal(body.kind, 'Service');
    assert.equal(body.metadata.name, 's');
    assert.equal(body.metadata.deletionTimestamp, undefined);
    assert.equal(lab.store.get('services', 'default', 's'), undefined);
  });

  test('an object that finalizers hold: the object with deletionTimestamp, 200', async () => {
    lab.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/hold'] } });
    const r = await json('/api/v1/namespaces/default/configmaps/held', { method: 'DELETE' });
    assert.equal(r.status, 200);
    assert.equal(r.body.kind, 'ConfigMap');
    assert.ok(r.body.metadata.deletionTimestamp);
    assert.deepEqual(r.body.metadata.finalizers, ['example.com/hold']);
  });

  test('held with orphanDependents=false: 202 Accepted, as handlers/delete.go answers', async () => {
    lab.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held2', namespace: 'default', finalizers: ['example.com/hold'] } });
    const r = await json('/api/v1/namespaces/default/configmaps/held2', { method: 'DELETE', body: { orphanDependents: false } });
    assert.equal(r.status, 202);
    assert.ok(r.body.metadata.deletionTimestamp);
  });

  test('a pod in its grace period: the pod with deletionTimestamp', async () => {
    lab.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox:1.28' }] } });
    const r = await json('/api/v1/namespaces/default/pods/p', { method: 'DELETE', body: { gracePeriodSeconds: 30 } });
    assert.equal(r.status, 200);
    assert.equal(r.body.kind, 'Pod');
    assert.equal(r.body.metadata.deletionGracePeriodSeconds, 30);
  });

  test('DeleteOptions in the query when there is no body', async () => {
    lab.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', namespace: 'default' } });
    const r = await json('/api/v1/namespaces/default/configmaps/dry?dryRun=All', { method: 'DELETE' });
    assert.equal(r.body.status, 'Success');
    assert.ok(lab.store.get('configmaps', 'default', 'dry'), 'a dry run deletes nothing');
  });
});

describe('kind and apiVersion', () => {
  test('an object created without them is served with them, first, by get, write and watch', async () => {
    const created = await lab.kubectl(['create', '--raw', '/api/v1/namespaces/default/configmaps', '-f', '-'], { input: '{"metadata":{"name":"bare"},"data":{"a":"b"}}' });
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^\{"kind":"ConfigMap","apiVersion":"v1","metadata"/);
    const got = await lab.kubectl(['get', '--raw', '/api/v1/namespaces/default/configmaps/bare']);
    assert.match(got.stdout, /^\{"kind":"ConfigMap","apiVersion":"v1","metadata"/);
    const { line } = await firstLine('/api/v1/namespaces/default/configmaps?watch=1&fieldSelector=metadata.name%3Dbare');
    assert.match(line, /^\{"type":"ADDED","object":\{"kind":"ConfigMap","apiVersion":"v1","metadata"/);
    const patched = await json('/api/v1/namespaces/default/configmaps/bare', { method: 'PUT', body: { metadata: { name: 'bare' }, data: { a: 'c' } } });
    assert.equal(patched.body.kind, 'ConfigMap');
    assert.equal(patched.body.apiVersion, 'v1');
  });
});
