// The plugin's data path: informers over the stub API (real HTTP list+watch), answers following
// API changes, SERVFAIL before the first sync, and recovery when the API goes away and returns.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { plugin } from '../../../dns-server/plugins/kubernetes/index.ts';
import type { Handler } from '../../../dns-server/core/plugin.ts';
import { StubKubeApi } from '../../../dns-server/test-support/kube/stub-api.ts';
import { endpointSlice, namespace, pod, service } from '../../../dns-server/test-support/kube/objects.ts';
import { ask, directiveFrom, testContext } from '../../../dns-server/test-support/kube/handler-harness.ts';
import { waitFor } from '../../support/wait.ts';
import { ConvertingWatch } from '../../../dns-server/plugins/kubernetes/informers.ts';
import { apiAccess } from '../../../dns-server/plugins/kubernetes/access.ts';
import { ServiceEntry, toService } from '../../../dns-server/plugins/kubernetes/objects.ts';

const rcodeOf = (flags = 0): number => flags & 0xf;
const answerIPs = async (h: Handler, name: string, type = 'A'): Promise<string[]> => {
  const { msg } = await ask(h, name, type);
  return (msg.answers ?? []).map((a) => String((a as { data: unknown }).data)).sort();
};

async function withHandler(
  api: StubKubeApi,
  extra: string,
  fn: (h: Handler, ctx: ReturnType<typeof testContext>) => Promise<void>,
): Promise<void> {
  const ctx = testContext();
  const h = plugin.setup(directiveFrom(`kubernetes cluster.local in-addr.arpa {\n endpoint ${api.url}\n ${extra}\n }`), ctx);
  try {
    await h.start!();
    await fn(h, ctx);
  } finally {
    await h.stop!();
  }
}

function baseCluster(api: StubKubeApi): void {
  api.applyAll([namespace('default'), namespace('web'), service({ namespace: 'web', name: 'app', clusterIP: '10.0.0.1', ports: [{ name: 'http', port: 80 }] })]);
}

describe('kubernetes informers', () => {
  test('a new, changed and deleted service shows in answers within a second', async () => {
    const api = new StubKubeApi();
    baseCluster(api);
    await api.start();
    try {
      await withHandler(api, '', async (h, ctx) => {
        assert.deepEqual(await answerIPs(h, 'app.web.svc.cluster.local.'), ['10.0.0.1']);
        assert.equal(rcodeOf((await ask(h, 'late.web.svc.cluster.local.', 'A')).msg.flags), 3);
        const before = ctx.changes;

        api.apply(service({ namespace: 'web', name: 'late', clusterIP: '10.0.0.2' }));
        await waitFor(async () => (await answerIPs(h, 'late.web.svc.cluster.local.')).join() === '10.0.0.2', { what: 'added service answers' });
        assert.ok(ctx.changes > before, 'dataChanged() called so the answer cache is dropped');

        api.apply(service({ namespace: 'web', name: 'late', clusterIP: '10.0.0.3' }));
        await waitFor(async () => (await answerIPs(h, 'late.web.svc.cluster.local.')).join() === '10.0.0.3', { what: 'modified ClusterIP' });

        api.remove('services', 'web', 'late');
        await waitFor(async () => rcodeOf((await ask(h, 'late.web.svc.cluster.local.', 'A')).msg.flags) === 3, { what: 'deleted service is NXDOMAIN' });

        // endpoints of a headless service and a namespace going away
        api.apply(service({ namespace: 'web', name: 'db', clusterIP: 'None' }));
        api.apply(endpointSlice({ namespace: 'web', service: 'db', endpoints: [{ addresses: ['10.244.0.7'] }] }));
        await waitFor(async () => (await answerIPs(h, 'db.web.svc.cluster.local.')).join() === '10.244.0.7', { what: 'headless endpoint' });
        api.apply(endpointSlice({ namespace: 'web', service: 'db', endpoints: [{ addresses: ['10.244.0.7'], ready: false }, { addresses: ['10.244.0.8'] }] }));
        await waitFor(async () => (await answerIPs(h, 'db.web.svc.cluster.local.')).join() === '10.244.0.8', { what: 'endpoint readiness change' });
        api.remove('namespaces', undefined, 'web');
        await waitFor(async () => rcodeOf((await ask(h, 'app.web.svc.cluster.local.', 'A')).msg.flags) === 3, { what: 'services of a deleted namespace are NXDOMAIN (K25)' });
      });
    } finally {
      await api.stop();
    }
  });

  test('the SOA serial is the time of the last change', async () => {
    const api = new StubKubeApi();
    baseCluster(api);
    await api.start();
    try {
      await withHandler(api, '', async (h) => {
        const serial = async (): Promise<number> => ((await ask(h, 'cluster.local.', 'SOA')).msg.answers![0] as { data: { serial: number } }).data.serial;
        const s1 = await serial();
        const now = Math.floor(Date.now() / 1000);
        assert.ok(s1 <= now && s1 >= now - 60, `serial ${s1} is a recent Unix time`);
        // the serial counts seconds: a change in the same second as s1 could not move it
        await waitFor(() => Math.floor(Date.now() / 1000) > s1, { what: 'the second after the first serial' });
        api.apply(service({ namespace: 'web', name: 'x', clusterIP: '10.0.0.9' }));
        await waitFor(async () => (await serial()) > s1, { what: 'serial moves forward after a change' });
      });
    } finally {
      await api.stop();
    }
  });

  test('SERVFAIL (with SOA) and not ready until the first sync, then real answers', async () => {
    const api = new StubKubeApi();
    baseCluster(api);
    await api.start();
    await api.stop(); // keep the port, but nobody answers on it yet
    try {
      await withHandler(api, 'startup_timeout 300ms', async (h, ctx) => {
        assert.equal(h.ready!(), false);
        const r = await ask(h, 'app.web.svc.cluster.local.', 'A');
        assert.equal(rcodeOf(r.msg.flags), 2, 'SERVFAIL before sync (K35)');
        assert.equal(r.msg.authorities?.[0]?.type, 'SOA');
        assert.ok(ctx.lines.some((l) => l.includes('starting server with unsynced Kubernetes API')), ctx.lines.join('\n'));
        assert.ok(ctx.lines.some((l) => l.startsWith('[ERROR] plugin/kubernetes: Failed to watch')), 'the connection failure is logged');
        // questions that need no data are still answered
        assert.equal(rcodeOf((await ask(h, 'cluster.local.', 'SOA')).msg.flags), 0);

        await api.start();
        await waitFor(() => h.ready!(), { what: 'ready once the API is back' });
        assert.deepEqual(await answerIPs(h, 'app.web.svc.cluster.local.'), ['10.0.0.1']);
        assert.equal(rcodeOf((await ask(h, 'nosuch.web.svc.cluster.local.', 'A')).msg.flags), 3, 'NXDOMAIN after sync');
      });
    } finally {
      await api.stop();
    }
  });

  test('API down: last data still served; API back: changes made meanwhile arrive', async () => {
    const api = new StubKubeApi();
    baseCluster(api);
    await api.start();
    try {
      await withHandler(api, '', async (h, ctx) => {
        await waitFor(() => api.requests.filter((r) => r.watch).length >= 3, { what: 'watches established' });
        await api.stop();
        await waitFor(() => ctx.lines.some((l) => l.includes('Failed to watch')), { what: 'the lost watch to be noticed', show: () => ctx.lines.join('\n') });
        assert.deepEqual(await answerIPs(h, 'app.web.svc.cluster.local.'), ['10.0.0.1'], 'served from the last data');
        assert.equal(h.ready!(), true, 'stays ready like CoreDNS once synced');
        api.apply(service({ namespace: 'web', name: 'while-down', clusterIP: '10.0.0.50' }));
        api.remove('services', 'web', 'app');
        await api.start();
        await waitFor(async () => (await answerIPs(h, 'while-down.web.svc.cluster.local.')).join() === '10.0.0.50', { what: 'change made while down arrives' });
        assert.equal(rcodeOf((await ask(h, 'app.web.svc.cluster.local.', 'A')).msg.flags), 3, 'delete made while down arrives');
        const svcReqs = api.requests.filter((r) => r.path === '/api/v1/services');
        assert.equal(svcReqs.filter((r) => !r.watch).length, 1, `resumed from the resourceVersion, no relist: ${JSON.stringify(svcReqs)}`);
        assert.ok(svcReqs.filter((r) => r.watch && r.resourceVersion).length >= 2, `watch re-established: ${JSON.stringify(svcReqs)}`);
      });
    } finally {
      await api.stop();
    }
  });

  test('an API replaced by another (410 Gone on watch) is relisted', async () => {
    const api = new StubKubeApi();
    baseCluster(api);
    for (let i = 0; i < 20; i++) api.apply(service({ namespace: 'web', name: `filler-${i}`, clusterIP: `10.0.1.${i}` }));
    await api.start();
    const port = api.port;
    const api2 = new StubKubeApi();
    try {
      await withHandler(api, '', async (h) => {
        await api.stop();
        api2.applyAll([namespace('web'), service({ namespace: 'web', name: 'fresh', clusterIP: '10.0.2.1' })]);
        await api2.start(port);
        await waitFor(async () => (await answerIPs(h, 'fresh.web.svc.cluster.local.')).join() === '10.0.2.1', { what: 'new API contents listed' });
        await waitFor(async () => rcodeOf((await ask(h, 'app.web.svc.cluster.local.', 'A')).msg.flags) === 3, { what: 'objects gone from the new API are gone' });
      });
    } finally {
      await api2.stop();
      await api.stop();
    }
  });

  test('what is watched depends on the options', async () => {
    const cases: Array<{ name: string; extra: string; pods: boolean; slices: boolean }> = [
      { name: 'defaults', extra: '', pods: false, slices: true },
      { name: 'pods verified', extra: 'pods verified', pods: true, slices: true },
      { name: 'pods insecure', extra: 'pods insecure', pods: false, slices: true },
      { name: 'noendpoints', extra: 'noendpoints', pods: false, slices: false },
    ];
    for (const c of cases) {
      const api = new StubKubeApi();
      baseCluster(api);
      api.apply(pod('web', 'p', '10.244.0.9'));
      await api.start();
      try {
        await withHandler(api, c.extra, async () => {
          const paths = new Set(api.requests.map((r) => r.path));
          assert.equal(paths.has('/api/v1/pods'), c.pods, `${c.name}: pods watched`);
          assert.equal(paths.has('/apis/discovery.k8s.io/v1/endpointslices'), c.slices, `${c.name}: endpointslices watched`);
          assert.ok(paths.has('/api/v1/services') && paths.has('/api/v1/namespaces'), `${c.name}: services and namespaces watched`);
        });
      } finally {
        await api.stop();
      }
    }
  });

  test('a large list is read in pages of 500 and every object arrives', async () => {
    const api = new StubKubeApi();
    baseCluster(api);
    for (let i = 0; i < 1203; i++) api.apply(service({ namespace: 'web', name: `s-${i}`, clusterIP: `10.1.${i >> 8}.${i & 255}` }));
    await api.start();
    try {
      await withHandler(api, '', async (h) => {
        assert.deepEqual(await answerIPs(h, 's-0.web.svc.cluster.local.'), ['10.1.0.0']);
        assert.deepEqual(await answerIPs(h, 's-1202.web.svc.cluster.local.'), ['10.1.4.178']);
        const pages = api.requests.filter((r) => r.path === '/api/v1/services' && !r.watch);
        assert.equal(pages.length, 3, '1204 services in pages of 500');
        const watch = () => api.requests.find((r) => r.path === '/api/v1/services' && r.watch);
        await waitFor(() => watch() !== undefined, { what: 'the watch follows the list' });
        assert.equal(watch()!.resourceVersion, String(1000 + 3 + 1203), 'the watch starts at the list snapshot (the last write)');
      });
    } finally {
      await api.stop();
    }
  });

  test('the informer is handed entries, never API objects; a 410 Status passes through as it came', async () => {
    const api = new StubKubeApi();
    baseCluster(api);
    await api.start();
    const events: Array<{ phase: string; obj: unknown }> = [];
    const controllers: AbortController[] = [];
    try {
      const access = await apiAccess({ kind: 'endpoint', url: api.url }, {});
      const watch = new ConvertingWatch(access.watchConfig() as never, toService);
      controllers.push(await watch.watch('/api/v1/services', {}, (phase, obj) => events.push({ phase, obj }), () => {}));
      await waitFor(() => events.length >= 1, { what: 'the existing service arrives' });
      api.apply(service({ namespace: 'web', name: 'app', clusterIP: '10.0.0.7' }));
      api.remove('services', 'web', 'app');
      await waitFor(() => events.length >= 3, { what: 'ADDED, MODIFIED, DELETED', show: () => JSON.stringify(events.map((e) => e.phase)) });
      assert.deepEqual(events.map((e) => e.phase), ['ADDED', 'MODIFIED', 'DELETED']);
      for (const { obj } of events) {
        assert.ok(obj instanceof ServiceEntry, 'converted before the informer sees it');
        assert.equal((obj as unknown as Record<string, unknown>).spec, undefined, 'no API object fields kept');
      }
      const modified = events[1]!.obj as ServiceEntry;
      assert.deepEqual([...modified.clusterIPs], ['10.0.0.7']);
      assert.match(modified.metadata.resourceVersion, /^\d+$/);

      const gone: Array<{ phase: string; obj: unknown }> = [];
      controllers.push(await watch.watch('/api/v1/services', { resourceVersion: '99999999' }, (phase, obj) => gone.push({ phase, obj }), () => {}));
      await waitFor(() => gone.length >= 1, { what: 'the stale watch is answered' });
      assert.equal(gone[0]!.phase, 'ERROR');
      assert.equal((gone[0]!.obj as { code?: number }).code, 410, 'the Status reaches ListWatch unchanged, so it relists');
    } finally {
      for (const c of controllers) c.abort();
      await api.stop();
    }
  });

  test('labels selects the services watched', async () => {
    const api = new StubKubeApi();
    api.applyAll([namespace('web'), service({ namespace: 'web', name: 'a', clusterIP: '10.0.0.1', labels: { dns: 'yes' } }), service({ namespace: 'web', name: 'b', clusterIP: '10.0.0.2' })]);
    await api.start();
    try {
      await withHandler(api, 'labels dns=yes', async (h) => {
        assert.deepEqual(await answerIPs(h, 'a.web.svc.cluster.local.'), ['10.0.0.1']);
        assert.equal(rcodeOf((await ask(h, 'b.web.svc.cluster.local.', 'A')).msg.flags), 3);
      });
    } finally {
      await api.stop();
    }
  });
});
