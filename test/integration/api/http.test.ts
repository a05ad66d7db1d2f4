// The API over HTTPS: discovery negotiation, Tables, paging, watches, errors.
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';
import type { APIResource } from 'kubernetes-types/meta/v1.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { startLab, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

let lab: Lab;
before(async () => {
  lab = await startLab({ bookmarkEveryMs: 100 });
  for (let i = 0; i < 7; i++) lab.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default', labels: { n: String(i % 2) } } });
});
after(() => lab.close());

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGG = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

async function call(path: string, init: { method?: string; accept?: string; body?: unknown; contentType?: string } = {}) {
  const res = await lab.fetch(path, {
    method: init.method ?? 'GET',
    headers: { Accept: init.accept ?? 'application/json', ...(init.body !== undefined ? { 'Content-Type': init.contentType ?? 'application/json' } : {}) },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** a watch event as it arrives: an object, or a Table of rows when the watch asked for one */
type WatchLine = { type: string; object: KubeObject & { rows?: Array<{ object: KubeObject }> } };

/** open a watch; collect events as they arrive until close() or the end of the stream */
function watch(
  path: string, accept = 'application/json', onOpen?: () => void,
): { events: WatchLine[]; done: Promise<{ status: number; events: WatchLine[] }>; close: () => void } {
  const events: WatchLine[] = [];
  const u = new URL(`${lab.api.url}${path}`);
  let req: ReturnType<typeof request>;
  const done = new Promise<{ status: number; events: WatchLine[] }>((resolve, reject) => {
    req = request(u, { ca: lab.tls.ca, headers: { ...lab.tls.headers, Accept: accept } }, (res) => {
      onOpen?.();
      let buf = '';
      res.on('data', (d) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, nl)));
          buf = buf.slice(nl + 1);
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, events }));
      res.on('error', () => resolve({ status: res.statusCode!, events }));
      res.on('close', () => resolve({ status: res.statusCode!, events }));
    });
    req.on('error', reject);
    req.end();
  });
  return { events, done, close: () => req.destroy() };
}

describe('discovery', () => {
  test('aggregated discovery has the exact Content-Type kubectl needs', async () => {
    for (const path of ['/api', '/apis']) {
      const r = await call(path, { accept: AGG });
      assert.equal(r.type, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
      assert.equal(r.body.kind, 'APIGroupDiscoveryList');
    }
    const apps = (await call('/apis', { accept: AGG })).body.items.find((i: KubeObject) => i.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find((r: { resource: string }) => r.resource === 'deployments');
    assert.deepEqual(deploy.subresources.find((s: { subresource: string }) => s.subresource === 'scale').responseKind, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });
  test('legacy discovery for plain JSON clients', async () => {
    assert.equal((await call('/api')).body.kind, 'APIVersions');
    assert.equal((await call('/apis')).body.kind, 'APIGroupList');
    const v1 = (await call('/api/v1')).body;
    assert.ok(v1.resources.some((r: APIResource) => r.name === 'pods/exec' && r.kind === 'PodExecOptions'));
    assert.equal((await call('/apis/apps')).body.preferredVersion.groupVersion, 'apps/v1');
    assert.equal((await call('/apis/nope/v1')).status, 404);
  });
  test('/version says 1.32; /openapi/v3 lists every group-version', async () => {
    assert.equal((await call('/version')).body.minor, '32');
    const root = (await call('/openapi/v3')).body;
    assert.ok(root.paths['api/v1'].serverRelativeURL.startsWith('/openapi/v3/api/v1?hash='));
    const apps = (await call(root.paths['apis/apps/v1'].serverRelativeURL)).body;
    const patch = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    assert.ok(patch.parameters.some((p: { name: string }) => p.name === 'fieldValidation'));
    assert.deepEqual(apps.components.schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    const v2 = await call('/openapi/v2');
    assert.equal(v2.body.swagger, '2.0');
    const proto = await lab.fetch('/openapi/v2', { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    assert.equal(proto.headers.get('content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.equal(Buffer.from(await proto.arrayBuffer()).subarray(0, 5).toString('latin1'), '\n\u00032.0');
  });
});

describe('lists', () => {
  test('limit and continue page through everything once', async () => {
    const names: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const r = (await call(`/api/v1/namespaces/default/configmaps?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).body;
      names.push(...r.items.map((o: KubeObject) => o.metadata.name));
      cont = r.metadata.continue ?? '';
      pages++;
    } while (cont);
    assert.equal(pages, 3);
    assert.deepEqual(names, ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6']);
    assert.equal((await call('/api/v1/namespaces/default/configmaps?continue=garbage!')).status, 400);
  });
  test('Table responses honour includeObject', async () => {
    const rows: Array<[string, (o: KubeObject | undefined) => boolean]> = [
      ['', (o) => o?.kind === 'PartialObjectMetadata' && o.metadata.name === 'cm-0'],
      ['&includeObject=Object', (o) => o?.kind === 'ConfigMap'],
      ['&includeObject=None', (o) => o === undefined],
    ];
    for (const [q, check] of rows) {
      const t = (await call(`/api/v1/namespaces/default/configmaps?labelSelector=n%3D0${q}`, { accept: TABLE })).body;
      assert.equal(t.kind, 'Table');
      assert.equal(t.rows.length, 4);
      assert.ok(check(t.rows[0].object), `includeObject ${q}`);
    }
    const one = (await call('/api/v1/namespaces/default/configmaps/cm-1', { accept: TABLE })).body;
    assert.equal(one.rows.length, 1);
  });
  test('metadata-only responses for client-go metadata clients', async () => {
    const accept = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
    const list = (await call('/api/v1/namespaces/default/configmaps?labelSelector=n%3D1', { accept })).body;
    assert.equal(list.kind, 'PartialObjectMetadataList');
    assert.deepEqual(list.items.map((i: KubeObject) => `${i.kind} ${i.metadata.name}`), ['PartialObjectMetadata cm-1', 'PartialObjectMetadata cm-3', 'PartialObjectMetadata cm-5']);
    const one = (await call('/api/v1/namespaces/default/configmaps/cm-1', { accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' })).body;
    assert.equal(one.kind, 'PartialObjectMetadata');
    assert.equal(one.data, undefined);
  });
  test('deletecollection with a label selector', async () => {
    lab.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tmp-a', namespace: 'default', labels: { tmp: 'y' } } });
    lab.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tmp-b', namespace: 'default', labels: { tmp: 'y' } } });
    const r = await call('/api/v1/namespaces/default/configmaps?labelSelector=tmp%3Dy', { method: 'DELETE' });
    assert.equal(r.status, 200);
    assert.equal(r.body.items.length, 2);
    assert.equal(lab.store.list('configmaps', { labelSelector: 'tmp=y' }).items.length, 0);
  });
});

describe('errors', () => {
  const rows: Array<{ name: string; path: string; init?: Parameters<typeof call>[1]; status: number; reason: string; message?: RegExp }> = [
    { name: 'unknown resource path', path: '/api/v1/namespaces/default/widgets', status: 404, reason: 'NotFound' },
    { name: 'NotFound names the plural', path: '/apis/apps/v1/namespaces/default/deployments/nope', status: 404, reason: 'NotFound', message: /^deployments\.apps "nope" not found$/ },
    { name: 'unsupported field selector', path: '/api/v1/pods?fieldSelector=spec.foo%3Dx', status: 400, reason: 'BadRequest', message: /field label not supported: spec\.foo/ },
    { name: 'PUT with a different name', path: '/api/v1/namespaces/default/configmaps/cm-1', init: { method: 'PUT', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } } }, status: 400, reason: 'BadRequest', message: /does not match the name on the URL/ },
    { name: 'stale resourceVersion', path: '/api/v1/namespaces/default/configmaps/cm-1', init: { method: 'PUT', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-1', resourceVersion: '1' } } }, status: 409, reason: 'Conflict', message: /the object has been modified/ },
    { name: 'unknown patch type', path: '/api/v1/namespaces/default/configmaps/cm-1', init: { method: 'PATCH', body: '{}', contentType: 'text/plain' }, status: 415, reason: 'UnsupportedMediaType' },
    { name: 'apply without fieldManager', path: '/api/v1/namespaces/default/configmaps/cm-1', init: { method: 'PATCH', body: '{"apiVersion":"v1","kind":"ConfigMap"}', contentType: 'application/apply-patch+yaml' }, status: 400, reason: 'BadRequest', message: /fieldManager/ },
    { name: 'create in a missing namespace', path: '/api/v1/namespaces/ghost/configmaps', init: { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } }, status: 404, reason: 'NotFound', message: /^namespaces "ghost" not found$/ },
    { name: 'wrong kind in body', path: '/api/v1/namespaces/default/configmaps', init: { method: 'POST', body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } } }, status: 400, reason: 'BadRequest' },
    { name: 'create with a resourceVersion', path: '/api/v1/namespaces/default/configmaps', init: { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', resourceVersion: '5' } } }, status: 400, reason: 'BadRequest', message: /^resourceVersion should not be set on objects to be created$/ },
    { name: 'not JSON', path: '/api/v1/namespaces/default/configmaps', init: { method: 'POST', body: '{nope' }, status: 400, reason: 'BadRequest' },
  ];
  for (const r of rows)
    test(r.name, async () => {
      const res = await call(r.path, r.init);
      assert.equal(res.status, r.status);
      assert.equal(res.body.kind, 'Status');
      assert.equal(res.body.reason, r.reason);
      assert.equal(res.body.code, r.status);
      if (r.message) assert.match(res.body.message, r.message);
    });

  test('dryRun=All creates nothing', async () => {
    const r = await call('/api/v1/namespaces/default/configmaps?dryRun=All', { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } } });
    assert.equal(r.status, 201);
    assert.equal(lab.store.get('configmaps', 'default', 'dry'), undefined);
  });
});

describe('watch', () => {
  test('headers arrive before any event, then events as they happen', async () => {
    let open = false;
    const rv = lab.store.currentResourceVersion();
    const w = watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, 'application/json', () => (open = true));
    await waitFor(() => open, { what: 'the watch response headers' });
    assert.equal(w.events.length, 0);
    lab.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live', namespace: 'default' } });
    await waitFor(() => w.events.length === 1, { what: 'one watch event', show: () => JSON.stringify(w.events) });
    assert.equal(w.events[0].type, 'ADDED');
    assert.equal(w.events[0].object.metadata.name, 'live');
    w.close();
  });
  test('resourceVersion=0 starts with the current objects; timeoutSeconds ends the stream', async () => {
    const { status, events } = await watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0&labelSelector=n%3D1&timeoutSeconds=1').done;
    assert.equal(status, 200);
    assert.deepEqual(events.map((e) => e.object.metadata.name), ['cm-1', 'cm-3', 'cm-5']);
  });
  test('a too old resourceVersion is 410 Expired', async () => {
    const small = await startLab({ historySize: 20 });
    try {
      // push the history past its bound
      for (let i = 0; i < 60; i++) small.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'default' } });
      const r = await small.fetch(`/api/v1/configmaps?watch=true&resourceVersion=2&timeoutSeconds=2`);
      const body = await r.json();
      assert.equal(r.status, 410);
      assert.equal(body.reason, 'Expired');
      assert.match(body.message, /too old resource version/);
    } finally {
      await small.close();
    }
  });
  test('sendInitialEvents ends the initial list with a bookmark', async () => {
    const w = watch('/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&labelSelector=n%3D1&timeoutSeconds=1');
    const { events } = await w.done;
    // periodic bookmarks may follow; the initial list and its closing bookmark come first
    assert.deepEqual(events.slice(0, 4).map((e) => e.type), ['ADDED', 'ADDED', 'ADDED', 'BOOKMARK']);
    assert.equal(events[3].object.metadata.annotations?.['k8s.io/initial-events-end'], 'true');
  });
  test('allowWatchBookmarks brings BOOKMARKs with the current resourceVersion', async () => {
    const rv = lab.store.currentResourceVersion();
    const w = watch(`/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`);
    await waitFor(() => w.events.some((e) => e.type === 'BOOKMARK'), { what: 'a BOOKMARK', show: () => JSON.stringify(w.events) });
    const b = w.events.find((e) => e.type === 'BOOKMARK')!;
    assert.equal(b.object.kind, 'ConfigMap');
    assert.equal(b.object.metadata.resourceVersion, lab.store.currentResourceVersion());
    w.close();
  });
  test('a Table watch sends one-row Tables', async () => {
    const rv = lab.store.currentResourceVersion();
    let open = false;
    const w = watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, TABLE, () => (open = true));
    await waitFor(() => open, { what: 'the watch response headers' });
    const o = lab.store.get('configmaps', 'default', 'cm-2')!;
    lab.store.update('configmaps', { ...o, data: { changed: 'yes' } });
    await waitFor(() => w.events.length === 1, { what: 'one watch event', show: () => JSON.stringify(w.events) });
    assert.equal(w.events[0].type, 'MODIFIED');
    assert.equal(w.events[0].object.kind, 'Table');
    assert.equal(w.events[0].object.rows?.length, 1);
    assert.equal(w.events[0].object.rows?.[0].object.metadata.name, 'cm-2');
    w.close();
  });
});
