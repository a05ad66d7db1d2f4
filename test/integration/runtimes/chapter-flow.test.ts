// The chapter played with the real kubectl against the whole embedded cluster (startCluster:
// store, API, controllers, these runtimes and the proxy), from the lessons folder so the
// chapter's commands run verbatim: busybox and nslookup through kube-dns, CoreDNS deployed from
// the template, the Service switched, nslookup through CoreDNS with its log, dig from the host.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from '@lydell/node-pty';
import { startCluster, type RunningCluster } from '../../../sandbox/cluster/cluster.ts';
import { waitFor } from '../../support/wait.ts';

const lessons = fileURLToPath(new URL('../../../lessons/', import.meta.url));
interface Result { code: number | null; stdout: string; stderr: string }

describe('the chapter on the embedded cluster', () => {
  let dir: string;
  let cluster: RunningCluster;

  const run = (cmd: string, args: string[]): Promise<Result> => new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: lessons, env: { ...process.env, KUBECONFIG: cluster.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  const kubectl = (...args: string[]) => run('kubectl', ['--cache-dir', join(dir, 'cache'), ...args]);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coredns-lab-chapter-'));
    cluster = await startCluster({ stateDir: join(dir, 'state'), dnsPort: 0 });
  });
  after(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('Status Quo: busybox resolves kubernetes.default through kube-dns, with reverse names', async () => {
    const created = await kubectl('create', '-f', 'templates/busybox.yaml');
    assert.equal(created.stdout, 'pod/busybox created\n', created.stderr);
    assert.equal((await kubectl('wait', '--for=condition=Ready', 'pod/busybox', '--timeout=30s')).code, 0);
    let r: Result = { code: null, stdout: '', stderr: '' };
    // kube-dns answers once its kubernetes plugin has synced
    // the kube-dns pods answer once their kubernetes plugin has synced (a few seconds after start)
    const expected = 'Server:    100.64.0.10\nAddress 1: 100.64.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 100.64.0.1 kubernetes.default.svc.cluster.local\n';
    await waitFor(async () => (r = await kubectl('exec', 'busybox', '--', 'nslookup', 'kubernetes.default')).stdout === expected, { what: 'nslookup through kube-dns', timeout: 20_000 }).catch(() => undefined);
    assert.equal(r.stdout, expected, r.stderr);
    assert.equal(r.code, 0);
    const resolv = await kubectl('exec', 'busybox', '--', 'cat', '/etc/resolv.conf');
    assert.match(resolv.stdout, /^nameserver 100\.64\.0\.10\nsearch default\.svc\.cluster\.local svc\.cluster\.local cluster\.local [\w.-]+\.compute\.internal\noptions ndots:5\n$/);
  });

  test('kubectl run -it --rm busybox:1.28 -- nslookup kubernetes.default, in a terminal', async () => {
    const term = pty.spawn('kubectl', ['--cache-dir', join(dir, 'cache'), 'run', '-it', '--rm', '--restart=Never', 'lookup', '--image=busybox:1.28', '--', 'nslookup', 'kubernetes.default'],
      { cols: 100, rows: 30, cwd: lessons, env: { ...process.env, KUBECONFIG: cluster.kubeconfig } as Record<string, string> });
    let screen = '';
    term.onData((d) => { screen += d; });
    const code = await new Promise<number>((r) => term.onExit(({ exitCode }) => r(exitCode)));
    const dnsLogs = (await kubectl('logs', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-c', 'dnsmasq', '--tail=12')).stdout;
    assert.equal(code, 0, screen + dnsLogs);
    assert.ok(screen.includes('Name:      kubernetes.default\r\nAddress 1: 100.64.0.1 kubernetes.default.svc.cluster.local\r\n'), screen);
    assert.match(screen, /pod "lookup" deleted/);
    assert.doesNotMatch(screen, /couldn't attach/);
  });

  test('Deploy CoreDNS from the template and switch the Service to it', async () => {
    const created = await kubectl('create', '-f', 'templates/coredns-kops.yaml');
    assert.equal(created.stdout, [
      'serviceaccount/coredns created',
      'clusterrole.rbac.authorization.k8s.io/system:coredns created',
      'clusterrolebinding.rbac.authorization.k8s.io/system:coredns created',
      'configmap/coredns created',
      'deployment.apps/coredns created',
      '',
    ].join('\n'), created.stderr);
    const rollout = await kubectl('rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=30s');
    assert.equal(rollout.code, 0, rollout.stderr);
    const pods = await kubectl('get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=coredns', '-o', 'jsonpath={.items[0].metadata.name} {.items[0].status.podIP}');
    const [podName, podIP] = pods.stdout.split(' ');
    assert.match(podIP, /^100\.(9[6-9]|1[01]\d|12[0-7])\.\d+\.\d+$/);
    assert.match((await kubectl('logs', '-n', 'kube-system', podName)).stdout, /(^|\n)\.:53\nCoreDNS-/);

    const applied = await kubectl('apply', '-f', 'templates/coredns-service.yaml');
    assert.equal(applied.stdout, 'service/kube-dns configured\n', applied.stderr);
    const busyboxIP = (await kubectl('get', 'pod', 'busybox', '-o', 'jsonpath={.status.podIP}')).stdout;
    await waitFor(async () => {
      const r = await kubectl('exec', 'busybox', '--', 'nslookup', 'kubernetes.default');
      if (r.code !== 0) return false;
      const log = (await kubectl('logs', '-n', 'kube-system', podName)).stdout;
      return log.includes(`[INFO] ${busyboxIP}:`);
    }, { what: 'nslookup answered by CoreDNS', timeout: 20_000 });
    const log = (await kubectl('logs', '-n', 'kube-system', podName)).stdout;
    for (const q of ['"PTR IN 10.0.64.100.in-addr.arpa.', '"AAAA IN kubernetes.default.default.svc.cluster.local.', '"A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd']) {
      assert.ok(log.includes(q), `CoreDNS log has ${q}:\n${log}`);
    }
    const dig = await run('dig', ['@127.0.0.1', '-p', String(cluster.dnsPort), '+short', '+tries=1', '+time=2', 'kubernetes.default.svc.cluster.local']);
    assert.equal(dig.stdout.trim(), '100.64.0.1');
  });

  test('Delete kube-dns: CoreDNS keeps serving', async () => {
    const del = await kubectl('delete', 'deployment', 'kube-dns', '-n', 'kube-system');
    assert.equal(del.stdout, 'deployment.apps "kube-dns" deleted\n', del.stderr);
    const r = await kubectl('exec', 'busybox', '--', 'nslookup', 'kubernetes.default');
    const dnsLog = async () => (await kubectl('logs', '-n', 'kube-system', '-l', 'k8s-app=coredns', '--tail=12')).stdout;
    assert.equal(r.code, 0, r.stderr + await dnsLog());
    assert.match(r.stdout, /Address 1: 100\.64\.0\.1/);
  });

  test('A broken Corefile: the new CoreDNS pod crash-loops and kubectl logs says why', async () => {
    const patch = JSON.stringify({ data: { Corefile: '.:53 {\n    errors\n    proxy2 . /etc/resolv.conf\n}\n' } });
    assert.equal((await kubectl('patch', 'configmap', 'coredns', '-n', 'kube-system', '-p', patch)).code, 0);
    assert.equal((await kubectl('delete', 'pod', '-n', 'kube-system', '-l', 'k8s-app=coredns', '--wait=false')).code, 0);
    let name = '';
    await waitFor(async () => {
      const r = await kubectl('get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=coredns', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.containerStatuses[0].restartCount} {.metadata.deletionTimestamp}{"\\n"}{end}');
      const row = r.stdout.split('\n').map((l) => l.split(' ')).find((f) => f.length >= 2 && Number(f[1]) >= 1 && !f[2]);
      if (row) name = row[0];
      return row !== undefined;
    }, { what: 'a restarted CoreDNS pod', timeout: 40_000 });
    const logs = await kubectl('logs', '-n', 'kube-system', name);
    assert.match(logs.stdout, /\/etc\/coredns\/Corefile:3 - Error during parsing: Unknown directive 'proxy2'/, logs.stderr);
    const previous = await kubectl('logs', '-n', 'kube-system', name, '--previous');
    assert.match(previous.stdout, /Unknown directive 'proxy2'/, previous.stderr);
  });
});
