// The Kubernetes docs' "DNS for Services and Pods" example (Pod's hostname and subdomain
// fields), applied with the real kubectl to the whole embedded cluster: the Endpoints and
// EndpointSlice controllers publish `hostname` for pods whose subdomain names the Service
// (kubernetes pkg/controller/endpoint and endpointslice/utils.go podToEndpoint) and label a
// headless Service's objects service.kubernetes.io/headless; kube-dns answers the pod names
// and SRV targets with them; /etc/hosts, `hostname -f` and setHostnameAsFQDN give the FQDN
// (docs: "Pod's setHostnameAsFQDN field"; kubelet GetNodenameForKernel).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startClusterLab, type Lab } from '../kubectl/harness.ts';
import { waitFor } from '../../support/wait.ts';

const DOCS_EXAMPLE = `apiVersion: v1
kind: Service
metadata:
  name: busybox-subdomain
spec:
  selector:
    name: busybox
  clusterIP: None
  ports:
  - name: foo
    port: 1234
---
apiVersion: v1
kind: Pod
metadata:
  name: busybox1
  labels:
    name: busybox
spec:
  hostname: busybox-1
  subdomain: busybox-subdomain
  containers:
  - image: busybox:1.28
    command: [sleep, "3600"]
    name: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: busybox2
  labels:
    name: busybox
spec:
  hostname: busybox-2
  subdomain: busybox-subdomain
  setHostnameAsFQDN: true
  containers:
  - image: busybox:1.28
    command: [sleep, "3600"]
    name: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: loner
  labels:
    name: busybox
spec:
  hostname: loner
  subdomain: other
  containers:
  - image: busybox:1.28
    command: [sleep, "3600"]
    name: busybox
`;

const dig = (port: number, ...args: string[]) => new Promise<string>((resolve, reject) => {
  execFile('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=3', ...args], (err, stdout) => (err ? reject(err) : resolve(stdout)));
});

describe('pod hostname and subdomain, as the docs have them', () => {
  let lab: Lab;
  const ips = new Map<string, string>();

  before(async () => {
    lab = await startClusterLab({ dnsPort: 0 });
    await lab.ok(['apply', '-f', lab.file('docs.yaml', DOCS_EXAMPLE)]);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/busybox1', 'pod/busybox2', 'pod/loner', '--timeout=30s']);
    for (const p of ['busybox1', 'busybox2', 'loner']) ips.set(p, await lab.ok(['get', 'pod', p, '-o', 'jsonpath={.status.podIP}']));
  });
  after(async () => { await lab?.close(); });

  test('Endpoints carry hostname only for pods whose subdomain is the Service, and the headless label', async () => {
    let ep: { metadata: { labels?: Record<string, string> }; subsets?: Array<{ addresses?: Array<{ ip: string; hostname?: string }> }> } = {
      metadata: {},
    };
    await waitFor(async () => {
      ep = JSON.parse(await lab.ok(['get', 'endpoints', 'busybox-subdomain', '-o', 'json']));
      return (ep.subsets?.[0]?.addresses?.length ?? 0) === 3;
    }, { what: 'three ready addresses', timeout: 20_000 });
    assert.equal(ep.metadata.labels?.['service.kubernetes.io/headless'], '');
    const byIp = new Map(ep.subsets![0]!.addresses!.map((a) => [a.ip, a.hostname]));
    assert.equal(byIp.get(ips.get('busybox1')!), 'busybox-1');
    assert.equal(byIp.get(ips.get('busybox2')!), 'busybox-2');
    assert.equal(byIp.get(ips.get('loner')!), undefined);
  });

  test('the EndpointSlice carries hostname and the headless label; a ClusterIP Service has no such label', async () => {
    const slices = JSON.parse(await lab.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=busybox-subdomain', '-o', 'json'])) as {
      items: Array<{ metadata: { labels: Record<string, string> }; endpoints: Array<{ addresses: string[]; hostname?: string }> }>;
    };
    assert.equal(slices.items.length, 1);
    assert.equal(slices.items[0]!.metadata.labels['service.kubernetes.io/headless'], '');
    const byIp = new Map(slices.items[0]!.endpoints.map((e) => [e.addresses[0], e.hostname]));
    assert.equal(byIp.get(ips.get('busybox1')!), 'busybox-1');
    assert.equal(byIp.get(ips.get('loner')!), undefined);
    const dns = await lab.ok(['get', 'endpointslices', '-n', 'kube-system', '-l', 'kubernetes.io/service-name=kube-dns', '-o', 'jsonpath={.items[*].metadata.labels}']);
    assert.doesNotMatch(dns, /headless/);
  });

  test('busybox-1.busybox-subdomain.default.svc.cluster.local resolves from a pod and with dig', async () => {
    const name = 'busybox-1.busybox-subdomain.default.svc.cluster.local';
    let r = await lab.kubectl(['exec', 'busybox2', '--', 'nslookup', name]);
    await waitFor(async () => (r = await lab.kubectl(['exec', 'busybox2', '--', 'nslookup', name])).code === 0, { what: 'kube-dns answers', timeout: 20_000 })
      .catch(() => undefined);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`Name:      ${name.replace(/\./g, '\\.')}\\nAddress 1: ${ips.get('busybox1')!.replace(/\./g, '\\.')} ${name.replace(/\./g, '\\.')}\\n`));
    assert.equal((await dig(lab.dnsPort!, '+short', name)).trim(), ips.get('busybox1'));
  });

  test('SRV targets are the pods\' hostnames, an address without one gets its dashed IP', async () => {
    const out = await dig(lab.dnsPort!, '+short', 'SRV', '_foo._tcp.busybox-subdomain.default.svc.cluster.local');
    const targets = out.trim().split('\n').map((l) => l.split(' ')[3]).sort();
    assert.deepEqual(targets, [
      'busybox-1.busybox-subdomain.default.svc.cluster.local.',
      'busybox-2.busybox-subdomain.default.svc.cluster.local.',
      `${ips.get('loner')!.replace(/\./g, '-')}.busybox-subdomain.default.svc.cluster.local.`,
    ].sort());
  });

  test('/etc/hosts lists the FQDN first, and hostname -f prints it', async () => {
    const hosts = await lab.ok(['exec', 'busybox1', '--', 'cat', '/etc/hosts']);
    assert.match(hosts, new RegExp(`\\n${ips.get('busybox1')!.replace(/\./g, '\\.')}\\tbusybox-1\\.busybox-subdomain\\.default\\.svc\\.cluster\\.local\\tbusybox-1\\n`));
    assert.equal(await lab.ok(['exec', 'busybox1', '--', 'hostname']), 'busybox-1\n');
    assert.equal(await lab.ok(['exec', 'busybox1', '--', 'hostname', '-f']), 'busybox-1.busybox-subdomain.default.svc.cluster.local\n');
  });

  test('setHostnameAsFQDN: hostname and hostname -f both print the FQDN', async () => {
    assert.equal(await lab.ok(['exec', 'busybox2', '--', 'hostname']), 'busybox-2.busybox-subdomain.default.svc.cluster.local\n');
    assert.equal(await lab.ok(['exec', 'busybox2', '--', 'hostname', '-f']), 'busybox-2.busybox-subdomain.default.svc.cluster.local\n');
    assert.equal(await lab.ok(['exec', 'busybox2', '--', 'cat', '/etc/hostname']), 'busybox-2.busybox-subdomain.default.svc.cluster.local\n');
  });

  test('a pod whose subdomain matches no Service: hostname -f still prints its FQDN from /etc/hosts', async () => {
    assert.equal(await lab.ok(['exec', 'loner', '--', 'hostname', '-f']), 'loner.other.default.svc.cluster.local\n');
  });
});
