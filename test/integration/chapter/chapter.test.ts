// The whole chapter, "Using CoreDNS for Service Discovery", played with the real kubectl from
// lessons/ (so `templates/...` resolves as in the chapter) against `sandbox up`, checking the facts
// its transcripts show (reference/seed-origin.md §1.4), with a restart of the sandbox midway.
// Values that differ per run (pod names and IPs) are read from the cluster, never from the chapter.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kubectl, ROOT, run, Sandbox, table, tempDir } from '../sandbox/sandbox-process.ts';
import { waitFor } from '../../support/wait.ts';

const LESSONS = join(ROOT, 'lessons');
const crlf = (s: string) => s.replaceAll('\r', '');

describe('the chapter, step by step, on the embedded sandbox', () => {
  const stateDir = tempDir('chapter');
  let sb: Sandbox & { kubeconfig: string };
  let k: Kubectl;
  let dnsPort = 0;
  let kubeDnsIps: string[] = [];
  let busyboxIp = '';
  let corednsPods: Array<{ name: string; ip: string }> = [];

  const podIps = async (ns: string, selector: string) =>
    (await k.ok(['get', 'pods', '-n', ns, '-l', selector, '-o', 'jsonpath={range .items[*]}{.status.podIP}{"\\n"}{end}'])).trim().split('\n').filter(Boolean).sort();

  before(async () => {
    sb = await Sandbox.up(stateDir, ['--dns-port', '0']);
    k = new Kubectl(sb.kubeconfig, LESSONS);
    dnsPort = sb.dnsPort ?? 0;
  });
  after(async () => {
    await sb?.stop('SIGKILL');
    k?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('kubectl get svc -n kube-system: kube-dns, ClusterIP 100.64.0.10, 53/UDP,53/TCP', async () => {
    const rows = table(await k.ok(['get', 'svc', '-n', 'kube-system']));
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[1]!.slice(0, 5), ['kube-dns', 'ClusterIP', '100.64.0.10', '<none>', '53/UDP,53/TCP']);
  });

  test('kube-dns runs as a 2-replica Deployment, pods 3/3 Running', async () => {
    const deploy = await waitFor(async () => {
      const rows = table(await k.ok(['get', 'deployments', '-n', 'kube-system', '-l', 'k8s-app=kube-dns']));
      return rows[1]?.[1] === '2/2' && rows;
    }, { what: 'kube-dns 2/2' });
    assert.deepEqual(deploy[1]!.slice(0, 4), ['kube-dns', '2/2', '2', '2']);
    const pods = table(await k.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns'])).slice(1);
    assert.equal(pods.length, 2);
    for (const p of pods) {
      assert.match(p[0]!, /^kube-dns-\d+-[a-z0-9]{5}$/);
      assert.deepEqual(p.slice(1, 3), ['3/3', 'Running']);
    }
    kubeDnsIps = await podIps('kube-system', 'k8s-app=kube-dns');
    const sidecar = await k.ok(['logs', '-n', 'kube-system', pods[0]![0]!, '-c', 'sidecar']);
    assert.match(sidecar, /main\.go:48\] Version v1\.14\.4-2-g5584e04/);
  });

  test('describe svc kube-dns: the kops labels, the selector, endpoints = the kube-dns pod IPs', async () => {
    const out = await k.ok(['describe', 'svc', 'kube-dns', '-n', 'kube-system']);
    assert.match(out, /Labels:\s+k8s-addon=kube-dns\.addons\.k8s\.io\n\s+k8s-app=kube-dns\n\s+kubernetes\.io\/cluster-service=true\n\s+kubernetes\.io\/name=KubeDNS\n/);
    assert.match(out, /Selector:\s+k8s-app=kube-dns\n/);
    assert.match(out, /\nIP:\s+100\.64\.0\.10\n/);
    const eps = [...out.matchAll(/Endpoints:\s+(\S+)/g)].map((m) => m[1]!.split(',').sort());
    assert.deepEqual(eps, [kubeDnsIps.map((ip) => `${ip}:53`), kubeDnsIps.map((ip) => `${ip}:53`)]);
  });

  test('kubectl create -f templates/busybox.yaml', async () => {
    assert.equal((await k.ok(['create', '-f', 'templates/busybox.yaml'])).trim(), 'pod/busybox created');
    busyboxIp = await waitFor(async () => {
      const rows = table(await k.ok(['get', 'pod', 'busybox', '-o', 'wide']));
      return rows[1]?.[2] === 'Running' && rows[1][5];
    }, { what: 'busybox running' });
  });

  test('kubectl exec -ti busybox -- nslookup kubernetes.default answers 100.64.0.1 (busybox 1.28 format)', async () => {
    const r = await k.tty(['exec', '-ti', 'busybox', '--', 'nslookup', 'kubernetes.default']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = crlf(r.stdout);
    assert.match(out, /^Server:    100\.64\.0\.10\nAddress 1: 100\.64\.0\.10 kube-dns\.kube-system\.svc\.cluster\.local\n\nName:      kubernetes\.default\nAddress 1: 100\.64\.0\.1 kubernetes\.default\.svc\.cluster\.local\n/);
  });

  test('kubectl exec busybox -- cat /etc/resolv.conf', async () => {
    const out = await k.ok(['exec', 'busybox', '--', 'cat', '/etc/resolv.conf']);
    assert.equal(out, 'nameserver 100.64.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local eu-central-1.compute.internal\noptions ndots:5\n');
  });

  test('kubectl create -f templates/coredns-kops.yaml creates the 5 objects', async () => {
    const out = (await k.ok(['create', '-f', 'templates/coredns-kops.yaml'])).trim().split('\n');
    assert.deepEqual(out, [
      'serviceaccount/coredns created',
      'clusterrole.rbac.authorization.k8s.io/system:coredns created',
      'clusterrolebinding.rbac.authorization.k8s.io/system:coredns created',
      'configmap/coredns created',
      'deployment.apps/coredns created',
    ]);
  });

  test('the sandbox restarts midway and resumes where the learner was', async () => {
    await waitFor(async () => table(await k.ok(['get', 'deploy', 'coredns', '-n', 'kube-system']))[1]?.[0] === 'coredns', { what: 'coredns created' });
    assert.equal(await sb.stop('SIGTERM'), 0);
    sb = await Sandbox.up(stateDir, ['--dns-port', String(dnsPort)]);
    k.kubeconfig = sb.kubeconfig;
    const rows = await waitFor(async () => {
      const r = table(await k.ok(['get', 'pod', 'busybox', '-o', 'wide']));
      return r[1]?.[2] === 'Running' && r;
    }, { what: 'busybox running again' });
    assert.equal(rows[1]![5], busyboxIp, 'busybox keeps its IP');
  });

  test('kubectl get deployment -n kube-system: coredns, dns-controller, kube-dns, kube-dns-autoscaler', async () => {
    const rows = await waitFor(async () => {
      const r = table(await k.ok(['get', 'deployment', '-n', 'kube-system']));
      return r.length === 5 && r.slice(1).every((x) => x[1]!.split('/')[0] === x[1]!.split('/')[1]) && r;
    }, { what: 'all deployments available', timeout: 30_000 });
    assert.deepEqual(rows.slice(1).map((r) => r[0]), ['coredns', 'dns-controller', 'kube-dns', 'kube-dns-autoscaler']);
    assert.deepEqual(rows.slice(1).map((r) => r.slice(1, 4)).slice(1), [['1/1', '1', '1'], ['2/2', '2', '2'], ['1/1', '1', '1']]);
    // the chapter (shared/seed) shows `coredns 1 1 1 1` and a single coredns pod behind the
    // switched Service, so the template runs one replica
    assert.deepEqual(rows[1]!.slice(1, 4), ['1/1', '1', '1'], 'the chapter shows 1 CoreDNS replica (templates/coredns-kops.yaml replicas)');
  });

  test('the coredns pods run, and their log shows the CoreDNS banner', async () => {
    const want = Number(await k.ok(['get', 'deployment', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.spec.replicas}']));
    const pods = await waitFor(async () => {
      const r = table(await k.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=coredns', '-o', 'wide'])).slice(1);
      return r.length === want && r.every((x) => x[1] === '1/1' && x[2] === 'Running') && r;
    }, { what: 'coredns pods 1/1 Running', timeout: 30_000 });
    corednsPods = pods.map((p) => ({ name: p[0]!, ip: p[5]! }));
    for (const p of corednsPods) assert.match(p.name, /^coredns-\d+-[a-z0-9]{5}$/);
    const log = await k.ok(['logs', '-n', 'kube-system', corednsPods[0]!.name]);
    assert.match(log, /^\.:53$/m);
    assert.match(log, /CoreDNS-\d+\.\d+\.\d+/);
  });

  test('kubectl apply -f templates/coredns-service.yaml says configured, with no warning', async () => {
    const r = await k.run(['apply', '-f', 'templates/coredns-service.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'service/kube-dns configured');
    assert.equal(r.stderr.trim(), '');
  });

  test('describe svc kube-dns now: CoreDNS labels, k8s-addon gone, metrics port, endpoints = the coredns pods', async () => {
    const ips = corednsPods.map((p) => p.ip).sort();
    const out = await waitFor(async () => {
      const o = await k.ok(['describe', 'svc', 'kube-dns', '-n', 'kube-system']);
      const eps = [...o.matchAll(/Endpoints:\s+(\S+)/g)].map((m) => m[1]!);
      return eps.length === 3 && eps[0]!.split(',').sort().join() === ips.map((ip) => `${ip}:53`).join() && o;
    }, { what: 'endpoints moved to coredns' });
    assert.match(out, /Labels:\s+k8s-app=coredns\n\s+kubernetes\.io\/cluster-service=true\n\s+kubernetes\.io\/name=CoreDNS\n/);
    assert.doesNotMatch(out, /k8s-addon/);
    assert.match(out, /Selector:\s+k8s-app=coredns\n/);
    assert.match(out, /Port:\s+metrics\s+9153\/TCP\n/);
    const eps = [...out.matchAll(/Endpoints:\s+(\S+)/g)].map((m) => m[1]!.split(',').sort());
    assert.deepEqual(eps, [ips.map((ip) => `${ip}:53`), ips.map((ip) => `${ip}:53`), ips.map((ip) => `${ip}:9153`)]);
  });

  test('nslookup through CoreDNS works, and the CoreDNS log shows the busybox pod\'s queries', async () => {
    const r = await k.tty(['exec', '-ti', 'busybox', '--', 'nslookup', 'kubernetes.default']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = crlf(r.stdout);
    assert.match(out, /^Server:    100\.64\.0\.10\n/);
    assert.match(out, /\nName:      kubernetes\.default\nAddress 1: 100\.64\.0\.1( kubernetes\.default\.svc\.cluster\.local)?\n/);
    const logs = await waitFor(async () => {
      const all = (await Promise.all(corednsPods.map((p) => k.ok(['logs', '-n', 'kube-system', p.name])))).join('\n');
      return all.includes(busyboxIp) && all;
    }, { what: 'query lines from busybox' });
    const lines = logs.split('\n').filter((l) => l.includes(busyboxIp));
    assert.ok(lines.some((l) => /"A IN kubernetes\.default\.svc\.cluster\.local\. udp \d+ false \d+" NOERROR/.test(l)), lines.join('\n'));
  });

  test('dig on the published --dns-port reaches the cluster DNS', async () => {
    assert.ok(dnsPort > 0, sb.stderr);
    const r = await run('dig', ['+short', '+time=2', '+tries=2', '@127.0.0.1', '-p', String(dnsPort), 'kubernetes.default.svc.cluster.local']);
    assert.equal(r.stdout.trim(), '100.64.0.1', r.stdout + r.stderr);
  });

  test('kubectl delete deployment kube-dns -n kube-system; DNS keeps working through CoreDNS', async () => {
    const r = await k.run(['delete', 'deployment', 'kube-dns', '-n', 'kube-system'], 60_000);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'deployment.apps "kube-dns" deleted');
    await waitFor(async () => (await k.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'name'])).trim() === '', { what: 'kube-dns pods gone', timeout: 40_000 });
    const rows = table(await k.ok(['get', 'deployment', '-n', 'kube-system'])).slice(1).map((x) => x[0]);
    assert.deepEqual(rows, ['coredns', 'dns-controller', 'kube-dns-autoscaler']);
    const again = await k.tty(['exec', '-ti', 'busybox', '--', 'nslookup', 'kubernetes.default']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(crlf(again.stdout), /Address 1: 100\.64\.0\.1/);
  });
});
