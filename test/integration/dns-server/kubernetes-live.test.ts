// The kubernetes plugin inside the real server, over UDP with dig: answers follow API changes
// within a second even though the server caches answers, SERVFAIL before the first sync, the
// API going away and coming back, and the CLI entry point (`dns-server/main.ts -conf`).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StubKubeApi } from '../../../dns-server/test-support/kube/stub-api.ts';
import { endpointSlice, namespace, service } from '../../../dns-server/test-support/kube/objects.ts';
import { waitFor } from '../../support/wait.ts';
import { onFreePort } from '../../support/free-port.ts';
import { startUpstream } from '../../../dns-server/test-support/kube/upstream.ts';
import { startTestServer } from '../../../dns-server/test-support/server.ts';
import { dig, query } from '../../../dns-server/test-support/client.ts';

const short = async (port: number, name: string, type = 'A'): Promise<string> => (await dig(port, ['+short', name, type])).stdout.trim().split('\n').sort().join(',');
const status = async (port: number, name: string, type = 'A'): Promise<string> => (await query(port, name, type)).rcode;

function seed(api: StubKubeApi): void {
  api.applyAll([namespace('default'), namespace('shop'), service({ namespace: 'shop', name: 'cart', clusterIP: '10.0.0.1', ports: [{ name: 'http', port: 80 }] })]);
}

describe('kubernetes plugin in the running server', () => {
  test('changes in the API show in dig answers within a second (answer cache invalidated)', async () => {
    const api = new StubKubeApi();
    seed(api);
    await api.start();
    const s = await startTestServer(`.:0 {\n  kubernetes cluster.local {\n    endpoint ${api.url}\n  }\n}\n`);
    try {
      for (let i = 0; i < 3; i++) assert.equal(await short(s.port, 'cart.shop.svc.cluster.local'), '10.0.0.1'); // now cached
      assert.equal(await status(s.port, 'pay.shop.svc.cluster.local'), 'NXDOMAIN');

      api.apply(service({ namespace: 'shop', name: 'cart', clusterIP: '10.0.0.2', ports: [{ name: 'http', port: 80 }] }));
      api.apply(service({ namespace: 'shop', name: 'pay', clusterIP: 'None' }));
      api.apply(endpointSlice({ namespace: 'shop', service: 'pay', endpoints: [{ addresses: ['10.244.1.1'] }, { addresses: ['10.244.1.2'] }] }));
      await waitFor(async () => (await short(s.port, 'cart.shop.svc.cluster.local')) === '10.0.0.2', { what: 'modified ClusterIP' });
      await waitFor(async () => (await short(s.port, 'pay.shop.svc.cluster.local')) === '10.244.1.1,10.244.1.2', { what: 'new headless service' });

      api.apply(endpointSlice({ namespace: 'shop', service: 'pay', endpoints: [{ addresses: ['10.244.1.1'], ready: false }, { addresses: ['10.244.1.2'] }] }));
      await waitFor(async () => (await short(s.port, 'pay.shop.svc.cluster.local')) === '10.244.1.2', { what: 'unready endpoint dropped' });
      api.remove('services', 'shop', 'cart');
      await waitFor(async () => (await status(s.port, 'cart.shop.svc.cluster.local')) === 'NXDOMAIN', { what: 'deleted service NXDOMAIN' });
    } finally {
      await s.stop();
      await api.stop();
    }
  });

  test('SERVFAIL before the first sync, answers once the API appears; API down and up again', async () => {
    const api = new StubKubeApi();
    seed(api);
    await api.start();
    await api.stop();
    const s = await startTestServer(`.:0 {\n  kubernetes cluster.local {\n    endpoint ${api.url}\n    startup_timeout 200ms\n  }\n}\n`);
    try {
      assert.equal(s.handle.ready(), false);
      const r = await query(s.port, 'cart.shop.svc.cluster.local', 'A');
      assert.equal(r.rcode, 'SERVFAIL', 'K35');
      assert.equal(r.authorities?.[0]?.type, 'SOA');
      await s.waitForLog(/starting server with unsynced Kubernetes API/);

      await api.start();
      await waitFor(() => s.handle.ready(), { what: 'ready after the API appears' });
      await waitFor(async () => (await short(s.port, 'cart.shop.svc.cluster.local')) === '10.0.0.1', { what: 'answers after sync (no stale SERVFAIL from the answer cache)' });

      await api.stop();
      assert.equal(await short(s.port, 'cart.shop.svc.cluster.local'), '10.0.0.1', 'last data served while the API is away');
      api.apply(service({ namespace: 'shop', name: 'late', clusterIP: '10.0.0.9' }));
      await api.start();
      await waitFor(async () => (await short(s.port, 'late.shop.svc.cluster.local')) === '10.0.0.9', { what: 'reconnected and caught up' });
      await s.waitForLog(/Failed to watch/);
    } finally {
      await s.stop();
      await api.stop();
    }
  });

  test('dns-server -conf (the CLI) serves the kubernetes plugin from a kubeconfig', async () => {
    const api = new StubKubeApi();
    seed(api);
    await api.start();
    const dir = mkdtempSync(join(tmpdir(), 'k8s-cli-'));
    const kubeconfig = api.writeKubeconfig(dir);
    writeFileSync(join(dir, 'Corefile'), `cluster.local {\n  kubernetes {\n    kubeconfig ${kubeconfig}\n  }\n}\n`);
    // -dns.port on a free port, another if a test file takes it first
    let out = '';
    let child: ChildProcess | undefined;
    try {
      const port = await onFreePort(async (port) => {
        out = '';
        const c = spawn(process.execPath, ['--import', 'tsx', 'dns-server/main.ts', '-conf', join(dir, 'Corefile'), '-dns.port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
        child = c;
        c.stdout.on('data', (d) => (out += d));
        c.stderr.on('data', (d) => (out += d));
        await waitFor(async () => (await short(port, 'cart.shop.svc.cluster.local')) === '10.0.0.1', {
          what: 'the CLI to answer cart.shop', show: () => out, timeout: 20_000, interval: 100,
          failIf: () => (c.exitCode !== null ? `it exited ${c.exitCode}: ${out}` : false),
        });
        return port;
      });
      const soa = await query(port, 'nosuch.shop.svc.cluster.local', 'A');
      assert.equal(soa.rcode, 'NXDOMAIN');
      assert.equal(soa.flag_aa, true);
      const outside = await query(port, 'example.org', 'A');
      assert.notEqual(outside.flag_aa, true, 'a name outside the zones is never answered authoritatively (K36)');
    } finally {
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        c.kill('SIGTERM');
        await new Promise((r) => c.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
      await api.stop();
    }
  });

  test('ExternalName answers resolved upstream are asked upstream every time, never replayed from the answer cache', async () => {
    const api = new StubKubeApi();
    seed(api);
    api.apply(service({ namespace: 'shop', name: 'ext', type: 'ExternalName', externalName: 'www.example.org' }));
    await api.start();
    const upstream = await startUpstream();
    const s = await startTestServer(`.:0 {\n  kubernetes cluster.local {\n    endpoint ${api.url}\n  }\n  forward . ${upstream.address}:${upstream.port}\n}\n`);
    try {
      for (let i = 1; i <= 3; i++) {
        const r = await query(s.port, 'ext.shop.svc.cluster.local', 'A');
        assert.deepEqual(r.answers?.map((a) => a.type), ['CNAME', 'A']);
        assert.equal(upstream.queries, i, 'one upstream query per client query');
      }
      // in-cluster answers, on the other hand, come from the cache without touching upstream
      await short(s.port, 'cart.shop.svc.cluster.local');
      await short(s.port, 'cart.shop.svc.cluster.local');
      assert.equal(upstream.queries, 3);
    } finally {
      await s.stop();
      await upstream.close();
      await api.stop();
    }
  });

  test('a Corefile naming a missing kubeconfig fails with the line and the fix', async () => {
    await assert.rejects(
      startTestServer('.:0 {\n  kubernetes cluster.local {\n    kubeconfig /nonexistent/kubeconfig\n  }\n}\n'),
      (err: Error & { code?: string }) => {
        assert.match(err.message, /plugin\/kubernetes: .*Corefile:2 - kubeconfig file \/nonexistent\/kubeconfig does not exist; fix the path/);
        return true;
      },
    );
  });
});
