// describe (svc, deploy, pod, node) and the discovery-driven commands: api-resources, explain,
// auth can-i, version, cluster-info.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

const endpointSlice = (name: string, addresses: string[]) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${name}
  namespace: kube-system
  labels:
    kubernetes.io/service-name: kube-dns
addressType: IPv4
ports:
- name: dns
  port: 53
  protocol: UDP
- name: dns-tcp
  port: 53
  protocol: TCP
endpoints:
${addresses.map((a) => `- addresses: ["${a}"]\n  conditions: {ready: true}\n`).join('')}`;

describe('describe svc', () => {
  test('kube-dns with no endpoints yet', async () => {
    assert.equal(await lab.ok(['describe', 'svc', 'kube-dns', '-n', 'kube-system']), [
      'Name:                     kube-dns',
      'Namespace:                kube-system',
      'Labels:                   k8s-addon=kube-dns.addons.k8s.io',
      '                          k8s-app=kube-dns',
      '                          kubernetes.io/cluster-service=true',
      '                          kubernetes.io/name=KubeDNS',
      'Annotations:              <none>',
      'Selector:                 k8s-app=kube-dns',
      'Type:                     ClusterIP',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      'IP:                       100.64.0.10',
      'IPs:                      100.64.0.10',
      'Port:                     dns  53/UDP',
      'TargetPort:               53/UDP',
      'Endpoints:                <none>',
      'Port:                     dns-tcp  53/TCP',
      'TargetPort:               53/TCP',
      'Endpoints:                <none>',
      'Session Affinity:         None',
      'Internal Traffic Policy:  Cluster',
      'Events:                   <none>',
      '',
    ].join('\n'));
  });

  test('Endpoints: lines come from the EndpointSlices labelled with the service name', async () => {
    await lab.ok(['create', '-f', lab.file('eps-a.yaml', endpointSlice('kube-dns-a', ['100.96.3.2', '100.96.4.2']))]);
    await lab.ok(['create', '-f', lab.file('eps-b.yaml', endpointSlice('kube-dns-b', ['100.96.5.2', '100.96.6.2']))]);
    const out = await lab.ok(['describe', 'svc', 'kube-dns', '-n', 'kube-system']);
    const endpoints = out.split('\n').filter((l) => l.startsWith('Endpoints:'));
    assert.deepEqual(endpoints, [
      'Endpoints:                100.96.3.2:53,100.96.4.2:53,100.96.5.2:53 + 1 more...',
      'Endpoints:                100.96.3.2:53,100.96.4.2:53,100.96.5.2:53 + 1 more...',
    ]);
  });
});

describe('describe deploy, pod, node', () => {
  test('deploy kube-dns: replicas line, strategy, pod template', async () => {
    const out = await lab.ok(['describe', 'deploy', 'kube-dns', '-n', 'kube-system']);
    const lines = out.split('\n');
    assert.equal(lines[0], 'Name:                   kube-dns');
    assert.match(out, /\nCreationTimestamp: +\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000\n/);
    assert.match(out, /\nReplicas: +2 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable\n/);
    assert.match(out, /\nStrategyType: +RollingUpdate\n/);
    assert.match(out, /\nRollingUpdateStrategy: +0 max unavailable, 10% max surge\n/);
    assert.match(out, /\nPod Template:\n  Labels: +k8s-app=kube-dns\n/);
    assert.match(out, /\n  Containers:\n   kubedns:\n    Image: +gcr\.io\/google_containers\/k8s-dns-kube-dns-amd64:1\.14\.5\n/);
    // probes carry the API's defaults (period 10s, success 1, failure 3) when the manifest leaves them out
    assert.match(out, /\n    Readiness: +http-get http:\/\/:8081\/readiness delay=3s timeout=5s period=10s #success=1 #failure=3\n/);
  });

  test('pod: a pod nobody scheduled is Pending on <none>, with the default tolerations', async () => {
    await lab.ok(['run', 'bb', '--image=busybox:1.28', '--restart=Never', '--', 'sleep', '3600']);
    const out = await lab.ok(['describe', 'pod', 'bb']);
    assert.match(out, /^Name: +bb\nNamespace: +default\nPriority: +0\nService Account: +default\nNode: +<none>\nLabels: +run=bb\n/);
    assert.match(out, /\nStatus: +Pending\n/);
    assert.match(out, /\nContainers:\n  bb:\n    Image: +busybox:1\.28\n/);
    assert.match(out, /\nQoS Class: +BestEffort\n/);
    assert.match(out, /\nTolerations: +node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s\n +node\.kubernetes\.io\/unreachable:NoExecute op=Exists for 300s\n/);
    assert.match(out, /\nEvents: +<none>\n$/);
  });

  test('node: roles, taints, addresses, capacity', async () => {
    const out = await lab.ok(['describe', 'node', 'ip-172-20-44-17.eu-central-1.compute.internal']);
    assert.match(out, /^Name: +ip-172-20-44-17\.eu-central-1\.compute\.internal\nRoles: +master\n/);
    assert.match(out, /\nTaints: +node-role\.kubernetes\.io\/master:NoSchedule\n/);
    assert.match(out, /\nAddresses:\n  InternalIP: +172\.20\.44\.17\n/);
    assert.match(out, /\n  Ready +True +/);
  });
});

describe('discovery-driven commands', () => {
  test('api-resources lists every served resource with short names and kinds', async () => {
    const out = await lab.ok(['api-resources']);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/);
    const rows = new Map(lines.slice(1).map((l) => { const c = l.split(/\s+/); return [`${c[0]} ${c.at(-3)}`, c]; }));
    const expect: Array<[string, string, string, string]> = [
      ['pods', 'po', 'v1', 'Pod'],
      ['services', 'svc', 'v1', 'Service'],
      ['endpoints', 'ep', 'v1', 'Endpoints'],
      ['configmaps', 'cm', 'v1', 'ConfigMap'],
      ['namespaces', 'ns', 'v1', 'Namespace'],
      ['nodes', 'no', 'v1', 'Node'],
      ['deployments', 'deploy', 'apps/v1', 'Deployment'],
      ['replicasets', 'rs', 'apps/v1', 'ReplicaSet'],
      ['daemonsets', 'ds', 'apps/v1', 'DaemonSet'],
    ];
    for (const [name, short, gv, kind] of expect) {
      const row = rows.get(`${name} ${gv}`);
      assert.ok(row, `${name} listed`);
      assert.equal(row![1], short);
      assert.equal(row!.at(-1), kind);
    }
    for (const name of ['endpointslices', 'roles', 'clusterroles', 'rolebindings', 'clusterrolebindings', 'leases', 'secrets', 'serviceaccounts', 'events'])
      assert.ok(lines.some((l) => l.startsWith(`${name} `)), `${name} listed`);
  });

  test('api-resources -o name with --api-group', async () => {
    assert.equal(await lab.ok(['api-resources', '--api-group=apps', '-o', 'name']), 'controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\n');
  });

  test('explain reads the served OpenAPI schema', async () => {
    const out = await lab.ok(['explain', 'svc.spec.clusterIP']);
    assert.match(out, /^KIND: +Service\nVERSION: +v1\n\nFIELD: +clusterIP <string>\n/);
    assert.match(out, /\nDESCRIPTION:\n +clusterIP is the IP address of the service/);
  });

  test('explain of a grouped kind shows its GROUP', async () => {
    const out = await lab.ok(['explain', 'deployment.spec.replicas']);
    assert.match(out, /^GROUP: +apps\nKIND: +Deployment\nVERSION: +v1\n\nFIELD: +replicas <integer>\n/);
    assert.match(out, /\nDESCRIPTION:\n +Number of desired pods/);
  });

  test('explain of a field that does not exist', async () => {
    const r = await lab.kubectl(['explain', 'svc.spec.nope']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /field "nope" does not exist/);
  });

  test('auth can-i answers yes for the lab user', async () => {
    assert.equal(await lab.ok(['auth', 'can-i', 'create', 'deployments']), 'yes\n');
    assert.equal(await lab.ok(['auth', 'can-i', 'delete', 'pods', '-n', 'kube-system']), 'yes\n');
  });

  test('auth can-i --list', async () => {
    const out = await lab.ok(['auth', 'can-i', '--list']);
    assert.match(out, /^Resources +Non-Resource URLs +Resource Names +Verbs\n/);
  });

  test('version reports a v1.32 server', async () => {
    assert.match(await lab.ok(['version']), /\nServer Version: v1\.32\.\d+\n$/);
  });

  test('cluster-info names the control plane and KubeDNS', async () => {
    const out = await lab.ok(['cluster-info']);
    assert.equal(out, `Kubernetes control plane is running at ${lab.url}\nKubeDNS is running at ${lab.url}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
  });
});
