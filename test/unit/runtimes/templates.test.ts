// The chapter's manifests in lessons/templates: each parses, uses current API versions, and says
// what the chapter (and the lab's checks) rely on. Server-side validation with the real kubectl is
// in test/integration/runtimes/templates-dry-run.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { ConfigMap, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { ClusterRole, ClusterRoleBinding } from 'kubernetes-types/rbac/v1.js';
import { runtimeKind } from '../../../sandbox/cluster/runtimes/index.ts';

const dir = fileURLToPath(new URL('../../../lessons/templates/', import.meta.url));
type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [k: string]: unknown;
};
/** a manifest read as the kind the test expects it to be (the assertions check it is) */
const as = <T>(o: Obj | undefined) => o as unknown as T & Obj;

function load(file: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(dir + file, 'utf8'));
  for (const d of docs) assert.deepEqual(d.errors, [], `${file} parses`);
  return docs.map((d) => d.toJSON() as Obj).filter(Boolean);
}

const CURRENT: Record<string, string> = {
  Pod: 'v1', Service: 'v1', ServiceAccount: 'v1', ConfigMap: 'v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1', ClusterRoleBinding: 'rbac.authorization.k8s.io/v1', Deployment: 'apps/v1',
};

describe('lessons/templates', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

  test('the expected files are there', () => {
    assert.deepEqual(files, [
      'busybox.yaml', 'coredns-kind.yaml', 'coredns-kops.yaml', 'coredns-minikube.yaml',
      'coredns-service-kind.yaml', 'coredns-service-minikube.yaml', 'coredns-service.yaml', 'kubedns-kops.yaml', 'kubedns-service.yaml',
    ]);
  });

  for (const f of files) {
    test(`${f}: every object uses its current apiVersion and has a name`, () => {
      const objs = load(f);
      assert.ok(objs.length > 0);
      for (const o of objs) {
        assert.equal(o.apiVersion, CURRENT[o.kind], `${f}: ${o.kind} apiVersion`);
        assert.ok(o.metadata?.name, `${f}: ${o.kind} has a name`);
      }
    });
  }

  test('busybox.yaml: busybox 1.28 sleeping an hour, restartPolicy Always', () => {
    const pod = as<Pod>(load('busybox.yaml')[0]);
    assert.equal(pod.kind, 'Pod');
    assert.equal(pod.metadata.name, 'busybox');
    assert.equal(pod.spec!.containers[0].image, 'busybox:1.28');
    assert.deepEqual(pod.spec!.containers[0].command, ['sleep', '3600']);
    assert.equal(pod.spec!.restartPolicy, 'Always');
    assert.equal(runtimeKind(pod.spec!.containers[0].image!), 'busybox');
  });

  for (const [file, cidr, image] of [
    ['coredns-kops.yaml', '100.64.0.0/13', 'coredns-lab/dns-server:1.11.3'],
    ['coredns-minikube.yaml', '10.96.0.0/12', 'coredns/coredns:1.11.3'],
    ['coredns-kind.yaml', '10.96.0.0/16', 'coredns/coredns:1.11.3'],
  ] as const) {
    test(`${file}: the five objects, RBAC with endpointslices, a Corefile today's CoreDNS accepts`, () => {
      const objs = load(file);
      assert.deepEqual(objs.map((o) => `${o.kind}/${o.metadata.name}`), [
        'ServiceAccount/coredns', 'ClusterRole/system:coredns', 'ClusterRoleBinding/system:coredns', 'ConfigMap/coredns', 'Deployment/coredns',
      ]);
      const role = as<ClusterRole>(objs[1]);
      const granted = role.rules!.flatMap((r) => r.resources!.map((res) => `${r.apiGroups![0]}/${res}:${r.verbs.join(',')}`));
      for (const want of ['/endpoints:list,watch', '/services:list,watch', '/pods:list,watch', '/namespaces:list,watch', 'discovery.k8s.io/endpointslices:list,watch']) assert.ok(granted.includes(want), `ClusterRole grants ${want}`);
      assert.deepEqual(as<ClusterRoleBinding>(objs[2]).subjects, [{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }]);
      const corefile = as<ConfigMap>(objs[3]).data!.Corefile;
      assert.match(corefile, new RegExp(`kubernetes cluster\\.local ${cidr.replace(/[./]/g, '\\$&')}\\n`));
      assert.match(corefile, /^\s+log$/m, 'log without "stdout"');
      assert.match(corefile, /forward \. \/etc\/resolv\.conf/);
      assert.doesNotMatch(corefile, /proxy|log stdout/);
      const dep = as<Deployment>(objs[4]).spec!;
      assert.equal(dep.replicas, 1);
      assert.deepEqual(dep.selector.matchLabels, { 'k8s-app': 'coredns' });
      assert.equal(dep.template.metadata!.labels!['k8s-app'], 'coredns');
      const c = dep.template.spec!.containers[0];
      assert.equal(c.image, image);
      assert.equal(runtimeKind(c.image!), 'coredns');
      assert.deepEqual(c.args, ['-conf', '/etc/coredns/Corefile']);
      assert.deepEqual(c.ports!.map((p) => `${p.name} ${p.containerPort}/${p.protocol}`), ['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP']);
      assert.deepEqual([c.livenessProbe!.httpGet!.path, c.livenessProbe!.httpGet!.port], ['/health', 8080]);
      assert.deepEqual([c.readinessProbe!.httpGet!.path, c.readinessProbe!.httpGet!.port], ['/ready', 8181]);
      assert.deepEqual(c.volumeMounts![0], { name: 'config-volume', mountPath: '/etc/coredns', readOnly: true });
      assert.deepEqual(dep.template.spec!.volumes![0].configMap, { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] });
    });
  }

  for (const [file, ip] of [['coredns-service.yaml', '100.64.0.10'], ['coredns-service-minikube.yaml', '10.96.0.10'], ['coredns-service-kind.yaml', '10.96.0.10']] as const) {
    test(`${file}: kube-dns relabelled to select CoreDNS at ${ip}`, () => {
      const svc = as<Service>(load(file)[0]);
      assert.equal(svc.metadata.name, 'kube-dns');
      assert.equal(svc.metadata.namespace, 'kube-system');
      assert.deepEqual(svc.metadata.labels, { 'k8s-app': 'coredns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' });
      assert.deepEqual(svc.spec!.selector, { 'k8s-app': 'coredns' });
      assert.equal(svc.spec!.clusterIP, ip);
      assert.deepEqual(svc.spec!.ports!.map((p) => `${p.name} ${p.port}/${p.protocol}`), ['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP']);
    });
  }

  test('kubedns-service.yaml restores the kops Service', () => {
    const svc = as<Service>(load('kubedns-service.yaml')[0]);
    assert.deepEqual(svc.spec!.selector, { 'k8s-app': 'kube-dns' });
    assert.equal(svc.metadata.labels?.['k8s-addon'], 'kube-dns.addons.k8s.io');
    assert.equal(svc.spec!.clusterIP, '100.64.0.10');
  });
});
