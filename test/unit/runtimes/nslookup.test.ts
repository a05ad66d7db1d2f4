// busybox 1.28's nslookup against the real dns-server running as a CoreDNS pod: the exact output
// of the chapter, the query pattern of its CoreDNS log (search-path expansions, the busybox pod's
// IP as the client), and the failure form.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { labCluster, busyboxPod, corednsObjects, svc, type LabCluster } from './support/lab-cluster.ts';
import { waitFor } from '../../support/wait.ts';
import type { ContainerProcess, KubeObject } from '../../../sandbox/cluster/contracts.ts';

describe('nslookup through a CoreDNS pod', () => {
  let c: LabCluster;
  let busybox: KubeObject;
  let dns: ContainerProcess;
  let dnsPod: KubeObject;

  before(async () => {
    c = await labCluster({ api: true });
    const { configMap, pod } = corednsObjects();
    c.store.create('configmaps', configMap);
    const started = await c.startPod(pod, '100.96.7.2');
    dnsPod = started.pod;
    dns = started.procs.get('coredns')!;
    await waitFor(() => dns.ready(), { what: 'the CoreDNS pod to be ready' });
    // the chapter's switch: kube-dns now selects the CoreDNS pod
    c.setEndpoints('kube-system', 'kube-dns', ['100.96.7.2'], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
    busybox = (await c.startPod(busyboxPod(), '100.96.5.3')).pod;
  });

  after(async () => { await c.close(); });

  test('nslookup kubernetes.default prints busybox 1.28 layout with reverse names', async () => {
    const r = await c.exec(busybox, ['nslookup', 'kubernetes.default']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, [
      'Server:    100.64.0.10',
      'Address 1: 100.64.0.10 kube-dns.kube-system.svc.cluster.local',
      '',
      'Name:      kubernetes.default',
      'Address 1: 100.64.0.1 kubernetes.default.svc.cluster.local',
      '',
    ].join('\n'));
  });

  test('the DNS log shows the search-path expansions from the busybox pod IP', async () => {
    const log = await c.logs(dnsPod);
    const queries = log.split('\n').filter((l) => l.includes('100.96.5.3:'));
    const asked = queries.map((l) => /"(\w+) IN (\S+) udp/.exec(l)?.slice(1, 3).join(' '));
    for (const q of [
      'PTR 10.0.64.100.in-addr.arpa.',
      'AAAA kubernetes.default.',
      'AAAA kubernetes.default.default.svc.cluster.local.',
      'AAAA kubernetes.default.svc.cluster.local.',
      'A kubernetes.default.',
      'A kubernetes.default.default.svc.cluster.local.',
      'A kubernetes.default.svc.cluster.local.',
      'PTR 1.0.64.100.in-addr.arpa.',
    ]) assert.ok(asked.includes(q), `expected a query "${q}" in the log:\n${queries.join('\n')}`);
    assert.match(log, /\[INFO\] 100\.96\.5\.3:\d+ - \d+ "A IN kubernetes\.default\.svc\.cluster\.local\. udp 54 false 512" NOERROR/);
    assert.match(log, /"AAAA IN kubernetes\.default\. udp 36 false 512" NXDOMAIN qr,rd,ra/);
  });

  test('a name that does not exist fails the busybox way', async () => {
    const r = await c.exec(busybox, ['nslookup', 'nothere.default']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^Server: {4}100\.64\.0\.10\nAddress 1: 100\.64\.0\.10 kube-dns\.kube-system\.svc\.cluster\.local\n\n$/);
    assert.equal(r.stderr, "nslookup: can't resolve 'nothere.default'\n");
  });

  test('an explicit server is asked directly', async () => {
    const r = await c.exec(busybox, ['nslookup', 'kube-dns.kube-system', '100.64.0.10']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Name: {6}kube-dns\.kube-system\nAddress 1: 100\.64\.0\.10 kube-dns\.kube-system\.svc\.cluster\.local\n$/);
  });

  test('wget -qO- to a Service by name reaches the DNS pod over real HTTP', async () => {
    c.store.create('services', svc('kube-system', 'dns-health', '100.64.1.1', [{ name: 'health', port: 8080, protocol: 'TCP' }], { 'k8s-app': 'coredns' }));
    c.setEndpoints('kube-system', 'dns-health', ['100.96.7.2'], [{ name: 'health', port: 8080, protocol: 'TCP' }]);
    const r = await c.exec(busybox, ['wget', '-qO-', 'http://dns-health.kube-system:8080/health']);
    assert.deepEqual(r, { code: 0, stdout: 'OK', stderr: '' });
    const ping = await c.exec(busybox, ['ping', '-c', '1', 'dns-health.kube-system']);
    assert.equal(ping.code, 1, 'a ClusterIP does not answer ICMP');
    assert.match(ping.stdout, /^PING dns-health\.kube-system \(100\.64\.1\.1\): 56 data bytes\n\n--- dns-health\.kube-system ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss\n$/);
    const podPing = await c.exec(busybox, ['ping', '-c', '1', '100.96.7.2']);
    assert.equal(podPing.code, 0);
    assert.match(podPing.stdout, /64 bytes from 100\.96\.7\.2: seq=0 ttl=64 time=\d+\.\d{3} ms/);
  });

  test('wget to a port that is not HTTP fails after connecting', async () => {
    const r = await c.exec(busybox, ['wget', '-qO-', 'http://kube-dns.kube-system:53/']);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'wget: error getting response: Connection reset by peer\n' });
  });

  test('the DNS pod has no shell to exec', async () => {
    await assert.rejects(c.host.exec(dnsPod, 'coredns', ['sh'], { stdout: process.stdout, stderr: process.stderr, tty: false }), /exec: "sh": executable file not found in \$PATH/);
  });

  test('with no ready endpoint behind the VIP the lookup fails at once', async () => {
    c.setEndpoints('kube-system', 'kube-dns', ['100.96.7.2'], [{ name: 'dns', port: 53, protocol: 'UDP' }], false);
    try {
      const r = await c.exec(busybox, ['nslookup', 'kubernetes.default']);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, 'Server:    100.64.0.10\nAddress 1: 100.64.0.10\n\n');
      assert.equal(r.stderr, "nslookup: can't resolve 'kubernetes.default'\n");
    } finally {
      c.setEndpoints('kube-system', 'kube-dns', ['100.96.7.2'], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
    }
  });
});
