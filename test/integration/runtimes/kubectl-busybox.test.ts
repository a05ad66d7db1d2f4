// The chapter's commands with the real kubectl against the embedded API server and these pod
// runtimes: exec (with and without -i), nslookup through a CoreDNS pod, logs.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { labCluster, busyboxPod, corednsObjects, type LabCluster, kubectl } from '../../unit/runtimes/support/lab-cluster.ts';
import { waitFor } from '../../support/wait.ts';

describe('kubectl against busybox and CoreDNS pods', () => {
  let c: LabCluster;

  before(async () => {
    c = await labCluster({ api: true });
    const { configMap, pod } = corednsObjects(undefined, 'coredns-3986650266-2rt2s');
    c.store.create('configmaps', configMap);
    const dns = (await c.startPod(pod, '100.96.7.2')).procs.get('coredns')!;
    await waitFor(() => dns.ready(), { what: 'CoreDNS ready' });
    c.setEndpoints('kube-system', 'kube-dns', ['100.96.7.2'], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
    await c.startPod(busyboxPod(), '100.96.5.3');
  });
  after(async () => { await c.close(); });

  test('kubectl exec busybox -- nslookup kubernetes.default', async () => {
    const r = await kubectl(c, ['exec', 'busybox', '--', 'nslookup', 'kubernetes.default']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'Server:    100.64.0.10\nAddress 1: 100.64.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 100.64.0.1 kubernetes.default.svc.cluster.local\n');
  });

  test('kubectl exec busybox -- cat /etc/resolv.conf', async () => {
    const r = await kubectl(c, ['exec', 'busybox', '--', 'cat', '/etc/resolv.conf']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^nameserver 100\.64\.0\.10\nsearch default\.svc\.cluster\.local svc\.cluster\.local cluster\.local( \S+)*\noptions ndots:5\n$/);
  });

  test('a failing command: kubectl reports the exit code and exits with it', async () => {
    const r = await kubectl(c, ['exec', 'busybox', '--', 'nslookup', 'nothere']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nslookup: can't resolve 'nothere'/);
    assert.match(r.stderr, /command terminated with exit code 1/);
  });

  test('a binary the image lacks is an error from the runtime', async () => {
    const r = await kubectl(c, ['exec', 'busybox', '--', 'bash']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /exec: "bash": executable file not found in \$PATH/);
  });

  test('kubectl exec -i busybox -- sh reads a script from stdin', async () => {
    const r = await kubectl(c, ['exec', '-i', 'busybox', '--', 'sh'], 'hostname\nnslookup kubernetes.default | grep Name\nexit 5\n');
    assert.equal(r.stdout, 'busybox\nName:      kubernetes.default\n');
    assert.equal(r.code, 5);
  });

  test('kubectl logs shows the CoreDNS banner and the queries from the busybox pod', async () => {
    const r = await kubectl(c, ['logs', '-n', 'kube-system', 'coredns-3986650266-2rt2s']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /(^|\n)\.:53\nCoreDNS-/);
    assert.match(r.stdout, /\[INFO\] 100\.96\.5\.3:\d+ - \d+ "A IN kubernetes\.default\.svc\.cluster\.local\. udp 54 false 512" NOERROR qr,aa,rd/);
    const tail = await kubectl(c, ['logs', '-n', 'kube-system', 'coredns-3986650266-2rt2s', '--tail=1']);
    assert.equal(tail.stdout.split('\n').filter(Boolean).length, 1);
  });
});
