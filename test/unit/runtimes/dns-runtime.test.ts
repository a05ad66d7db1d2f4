// DNS pods on the real dns-server: the Corefile from the pod's ConfigMap volume (the chapter's
// own template), CoreDNS's flags, readiness, the CrashLoop path of a bad Corefile with the error in
// the log, `previous` logs across a restart, and the kube-dns images' equivalent Corefile.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { labCluster, busyboxPod, type LabCluster } from './support/lab-cluster.ts';
import { waitFor } from '../../support/wait.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';

const templates = fileURLToPath(new URL('../../../lessons/templates/', import.meta.url));
const kops = parseAllDocuments(readFileSync(templates + 'coredns-kops.yaml', 'utf8')).map((d) => d.toJSON() as KubeObject);
const kopsConfigMap = kops.find((o) => o.kind === 'ConfigMap')!;
const kopsDeployment = kops.find((o) => o.kind === 'Deployment')! as KubeObject & { spec: { template: { spec: Record<string, unknown> } } };

function corednsPod(name: string, overrides: Record<string, unknown> = {}): KubeObject {
  const spec = structuredClone(kopsDeployment.spec.template.spec) as { containers: Array<Record<string, unknown>> };
  Object.assign(spec.containers[0], overrides);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'kube-system', labels: { 'k8s-app': 'coredns' } }, spec };
}

function get(host: string, port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host, port, path }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('DNS runtime', () => {
  let c: LabCluster;

  before(async () => {
    c = await labCluster({ api: true });
    c.store.create('configmaps', kopsConfigMap);
  });
  after(async () => { await c.close(); });

  test('the chapter template pod serves its ConfigMap Corefile, becomes ready, answers on the pod IP', async () => {
    const { pod, procs } = await c.startPod(corednsPod('coredns-ok'), '100.96.6.2');
    const proc = procs.get('coredns')!;
    await waitFor(() => proc.ready(), { what: 'readiness from the ready plugin' });
    const log = await c.logs(pod);
    assert.match(log, /(^|\n)\.:53\nCoreDNS-\d+\.\d+\.\d+\n/);
    const health = c.proxy.resolve('100.96.6.2', 8080, 'TCP')!;
    assert.deepEqual(await get(health.host, health.port, '/health'), { status: 200, body: 'OK' });
    const ready = c.proxy.resolve('100.96.6.2', 8181, 'TCP')!;
    assert.equal((await get(ready.host, ready.port, '/ready')).status, 200);
    const metrics = c.proxy.resolve('100.96.6.2', 9153, 'TCP')!;
    assert.match((await get(metrics.host, metrics.port, '/metrics')).body, /coredns_build_info/);
    assert.ok(c.proxy.resolve('100.96.6.2', 53, 'UDP') && c.proxy.resolve('100.96.6.2', 53, 'TCP'), 'DNS is registered on UDP and TCP');
    await proc.stop(1000);
    assert.deepEqual(await proc.exited, { exitCode: 0, reason: 'Completed', message: undefined });
    assert.equal(c.proxy.resolve('100.96.6.2', 53, 'UDP'), undefined, 'a stopped pod no longer answers');
  });

  test('a bad Corefile: the container starts, exits 1, and the log says why with the container path', async () => {
    c.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns-bad', namespace: 'kube-system' }, data: { Corefile: '.:53 {\n    errors\n    nosuchplugin\n}\n' } });
    const pod = corednsPod('coredns-bad');
    (pod.spec as { volumes: Array<{ configMap: { name: string } }> }).volumes[0].configMap.name = 'coredns-bad';
    const { pod: created, procs } = await c.startPod(pod, '100.96.6.3');
    const exit = await procs.get('coredns')!.exited;
    assert.equal(exit.exitCode, 1);
    assert.equal(exit.reason, 'Error');
    const log = await c.logs(created);
    assert.match(log, /\/etc\/coredns\/Corefile:3 - Error during parsing: Unknown directive 'nosuchplugin'/);
    assert.doesNotMatch(log, /coredns-lab-volume-/, 'no host paths leak into the container log');
    // while it waits to restart, "previous" is the run that just failed; after the restart too
    const read = async (previous: boolean) => { let t = ''; for await (const chunk of c.host.logs(created, { previous })) t += chunk; return t; };
    assert.match(await read(true), /Unknown directive 'nosuchplugin'/);
    const again = await c.host.startContainer(created, 'coredns');
    await again.exited;
    assert.match(await read(true), /Unknown directive 'nosuchplugin'/);
  });

  test('the chapter Corefile itself (log stdout, proxy) still loads, with a warning for proxy', async () => {
    c.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns-2017', namespace: 'kube-system' }, data: { Corefile: '.:53 {\n    errors\n    log stdout\n    health\n    kubernetes cluster.local 100.64.0.0/13\n    proxy . /etc/resolv.conf\n    cache 30\n}\n' } });
    const pod = corednsPod('coredns-2017', { readinessProbe: undefined });
    (pod.spec as { volumes: Array<{ configMap: { name: string } }> }).volumes[0].configMap.name = 'coredns-2017';
    const { pod: created, procs } = await c.startPod(pod, '100.96.6.4');
    await waitFor(() => procs.get('coredns')!.ready(), { what: 'ready' });
    assert.match(await c.logs(created), /plugin\/proxy: "proxy" is deprecated/);
    await procs.get('coredns')!.stop(1000);
  });

  test('editing the ConfigMap reaches the mounted Corefile, and the reload plugin picks it up', async () => {
    const v1 = '.:53 {\n    errors\n    reload 2s 1s\n    kubernetes cluster.local 100.64.0.0/13\n}\n';
    c.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns-reload', namespace: 'kube-system' }, data: { Corefile: v1 } });
    const pod = corednsPod('coredns-reload', { readinessProbe: undefined });
    (pod.spec as { volumes: Array<{ configMap: { name: string } }> }).volumes[0].configMap.name = 'coredns-reload';
    const { pod: created, procs } = await c.startPod(pod, '100.96.6.6');
    await waitFor(async () => /Running configuration SHA512/.test(await c.logs(created)), { what: 'the first configuration' });
    c.store.mutate('configmaps', 'kube-system', 'coredns-reload', (o) => ({ ...o, data: { Corefile: v1.replace('errors', 'errors\n    log') } }));
    await waitFor(async () => /\[INFO\] Reloading complete/.test(await c.logs(created)), { what: 'the reload', timeout: 15_000 });
    await procs.get('coredns')!.stop(1000);
  });

  test('reloads keep :8080 health, :8181 ready and :9153 metrics, once per change, logging the new SHA512', async () => {
    // CoreDNS's reload plugin logs "Running configuration SHA512 = <hash of the Corefile it now runs>"
    // from its OnStartup (coredns plugin/reload/setup.go), after "Reloading" and before "Reloading complete"
    const sha = (t: string) => createHash('sha512').update(t).digest('hex');
    const v1 = '.:53 {\n    errors\n    health\n    ready\n    prometheus :9153\n    reload 2s 1s\n    kubernetes cluster.local 100.64.0.0/13\n}\n';
    const v2 = v1.replace('errors', 'errors\n    log');
    const v3 = v2.replace('    log\n', '    log\n    cache 30\n');
    c.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns-reload2', namespace: 'kube-system' }, data: { Corefile: v1 } });
    const pod = corednsPod('coredns-reload2', { readinessProbe: undefined });
    (pod.spec as { volumes: Array<{ configMap: { name: string } }> }).volumes[0].configMap.name = 'coredns-reload2';
    const { pod: created, procs } = await c.startPod(pod, '100.96.6.7');
    const shas = async () => [...(await c.logs(created)).matchAll(/Running configuration SHA512 = ([0-9a-f]+)/g)].map((m) => m[1]);
    const listenersAnswer = async () => {
      const at = (port: number) => c.proxy.resolve('100.96.6.7', port, 'TCP')!;
      assert.equal((await get(at(8080).host, at(8080).port, '/health')).status, 200);
      assert.equal((await get(at(8181).host, at(8181).port, '/ready')).status, 200);
      assert.match((await get(at(9153).host, at(9153).port, '/metrics')).body, /coredns_build_info/);
    };
    await waitFor(async () => (await shas()).length === 1, { what: 'the first configuration' });
    assert.deepEqual(await shas(), [sha(v1)]);
    await waitFor(() => procs.get('coredns')!.ready(), { what: 'ready' });
    await listenersAnswer();
    for (const [i, next] of [v2, v3].entries()) {
      c.store.mutate('configmaps', 'kube-system', 'coredns-reload2', (o) => ({ ...o, data: { Corefile: next } }));
      await waitFor(async () => (await c.logs(created)).split('[INFO] Reloading complete').length === i + 2, { what: `reload ${i + 1}`, timeout: 15_000 });
      await listenersAnswer();
    }
    assert.deepEqual(await shas(), [sha(v1), sha(v2), sha(v3)]);
    assert.equal((await c.logs(created)).match(/\[INFO\] Reloading\n/g)?.length, 2);
    await procs.get('coredns')!.stop(1000);
  });

  test('CoreDNS flags: an unknown flag exits 2 with Go flag usage', async () => {
    const { pod, procs } = await c.startPod(corednsPod('coredns-flags', { args: ['-conf', '/etc/coredns/Corefile', '-nope'] }), '100.96.6.5');
    assert.equal((await procs.get('coredns')!.exited).exitCode, 2);
    assert.match(await c.logs(pod), /^flag provided but not defined: -nope\nUsage of coredns:/);
  });

  test('kube-dns pod: dnsmasq serves port 53 with reverse zones, kubedns and sidecar idle with their logs', async () => {
    const image = (n: string) => `gcr.io/google_containers/k8s-dns-${n}-amd64:1.14.5`;
    const { pod, procs } = await c.startPod({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kube-dns-1311260920-d8bkh', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      spec: {
        dnsPolicy: 'Default',
        containers: [
          { name: 'kubedns', image: image('kube-dns'), args: ['--domain=cluster.local.', '--dns-port=10053', '--config-dir=/kube-dns-config', '--v=2'] },
          { name: 'dnsmasq', image: image('dnsmasq-nanny'), args: ['-v=2', '-logtostderr', '-configDir=/etc/k8s/dns/dnsmasq-nanny', '-restartDnsmasq=true', '--', '-k', '--cache-size=1000', '--log-facility=-'] },
          { name: 'sidecar', image: image('sidecar'), args: ['--v=2', '--logtostderr'] },
        ],
      },
    }, '100.96.3.2');
    for (const p of procs.values()) await waitFor(() => p.ready(), { what: 'kube-dns containers ready' });
    c.setEndpoints('kube-system', 'kube-dns', ['100.96.3.2'], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
    const bb = (await c.startPod(busyboxPod('busybox-kd'), '100.96.5.3')).pod;
    const r = await c.exec(bb, ['nslookup', 'kubernetes.default']);
    assert.equal(r.stdout, 'Server:    100.64.0.10\nAddress 1: 100.64.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 100.64.0.1 kubernetes.default.svc.cluster.local\n');
    assert.match(await c.logs(pod, 'sidecar'), /^ERROR: logging before flag\.Parse: I\d{4} [\d:.]+ +1 main\.go:48\] Version v1\.14\.4-2-g5584e04/);
    assert.match(await c.logs(pod, 'kubedns'), /Starting SkyDNS server/);
    const dnsmasq = await c.logs(pod, 'dnsmasq');
    assert.doesNotMatch(dnsmasq, /"A IN/, 'kube-dns logged no queries');
    // the nanny's glog lines around dnsmasq's own start-up, never a CoreDNS banner
    assert.doesNotMatch(dnsmasq, /CoreDNS-|^\.:53$|plugin\//m);
    assert.match(dnsmasq, /^I\d{4} [\d:.]+ +1 main\.go:76\] opts: \{\{\/usr\/sbin\/dnsmasq \[-k --cache-size=1000 --log-facility=-\] true\}/);
    assert.match(dnsmasq, /\n\S+ [\d:.]+ +1 nanny\.go:108\] dnsmasq\[10\]: started, version 2\.78 cachesize 1000\n/);
    assert.doesNotMatch(await c.logs(pod, 'kubedns'), /CoreDNS-/);
  });
});
