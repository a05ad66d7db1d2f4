// The real kubectl against the embedded API: the chapter's core flows, output and errors.
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import type { Obj } from '../../../sandbox/cluster/resources/define.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
before(async () => {
  lab = await startLab();
});
after(() => lab.close());

const file = (name: string, text: string) => {
  const p = join(lab.dir, name);
  writeFileSync(p, text);
  return p;
};

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: dns-test
  labels: {app: dns-test}
spec:
  replicas: 2
  selector:
    matchLabels: {app: dns-test}
  template:
    metadata:
      labels: {app: dns-test}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: coredns
  namespace: kube-system
  labels: {k8s-app: coredns}
spec:
  selector: {k8s-app: coredns}
  clusterIP: 100.64.0.11
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
`;

describe('kubectl against the embedded API', () => {
  test('version reports v1.32 and api-resources lists every group', async () => {
    const v = await lab.kubectl(['version']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /Server Version: v1\.32\.\d+/);
    const r = await lab.kubectl(['api-resources']);
    assert.equal(r.code, 0, r.stderr);
    for (const line of [/^pods\s+po\s+v1\s+true\s+Pod$/m, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m, /^endpointslices\s+discovery\.k8s\.io\/v1\s+true\s+EndpointSlice$/m, /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m])
      assert.match(r.stdout, line);
  });

  test('create -f, then AlreadyExists', async () => {
    const p = file('deploy.yaml', DEPLOY);
    const first = await lab.kubectl(['create', '-f', p]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), 'deployment.apps/dns-test created');
    const again = await lab.kubectl(['create', '-f', p]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Error from server \(AlreadyExists\): error when creating ".*deploy\.yaml": deployments\.apps "dns-test" already exists/);
  });

  test('apply -f twice: created, unchanged; a change is configured and keeps last-applied', async () => {
    const p = file('svc.yaml', SERVICE);
    assert.equal((await lab.kubectl(['apply', '-f', p])).stdout.trim(), 'service/coredns created');
    assert.equal((await lab.kubectl(['apply', '-f', p])).stdout.trim(), 'service/coredns unchanged');
    file('svc.yaml', SERVICE.replace('dns-tcp', 'dns-tcp2'));
    const changed = await lab.kubectl(['apply', '-f', p]);
    assert.equal(changed.stdout.trim(), 'service/coredns configured', changed.stderr);
    const ann = await lab.kubectl(['get', 'svc', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}']);
    assert.match(ann.stdout, /dns-tcp2/);
    const ip = await lab.kubectl(['get', 'svc', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.spec.clusterIP}']);
    assert.equal(ip.stdout, '100.64.0.11');
  });

  test('get -o yaml / json / name, -A, -l, --show-labels', async () => {
    const y = await lab.kubectl(['get', 'deploy', 'dns-test', '-o', 'yaml']);
    assert.match(y.stdout, /^kind: Deployment$/m);
    assert.match(y.stdout, /maxSurge: 25%/);
    const j = JSON.parse((await lab.kubectl(['get', 'deploy', 'dns-test', '-o', 'json'])).stdout);
    assert.equal(j.metadata.generation, 1);
    assert.equal((await lab.kubectl(['get', 'svc', '-A', '-o', 'name'])).stdout.trim(), 'service/coredns');
    const all = await lab.kubectl(['get', 'svc', '-A', '-l', 'k8s-app=coredns', '--show-labels']);
    assert.match(all.stdout, /^NAMESPACE\s+NAME\s+.*LABELS$/m);
    assert.match(all.stdout, /^kube-system\s+coredns\s+.*k8s-app=coredns$/m);
  });

  test('get of a missing object: NotFound with the plural', async () => {
    const r = await lab.kubectl(['get', 'svc', 'nope', '-n', 'kube-system']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): services "nope" not found');
  });

  test('patch: strategic (default), merge, json; scale; rollout restart', async () => {
    assert.equal((await lab.kubectl(['patch', 'deploy', 'dns-test', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}'])).code, 0);
    assert.equal((await lab.kubectl(['patch', 'deploy', 'dns-test', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"web"}}}'])).code, 0);
    assert.equal((await lab.kubectl(['patch', 'deploy', 'dns-test', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]'])).code, 0);
    const o = JSON.parse((await lab.kubectl(['get', 'deploy', 'dns-test', '-o', 'json'])).stdout);
    assert.equal(o.spec.template.spec.containers[0].image, 'nginx:1.26');
    assert.equal(o.spec.template.spec.containers[0].ports[0].containerPort, 80);
    assert.equal(o.metadata.labels.tier, 'web');
    assert.equal(o.spec.replicas, 3);
    assert.equal(o.metadata.generation, 3);
    const sc = await lab.kubectl(['scale', 'deploy', 'dns-test', '--replicas=1']);
    assert.equal(sc.stdout.trim(), 'deployment.apps/dns-test scaled', sc.stderr);
    const rr = await lab.kubectl(['rollout', 'restart', 'deploy', 'dns-test']);
    assert.equal(rr.stdout.trim(), 'deployment.apps/dns-test restarted', rr.stderr);
    const after = JSON.parse((await lab.kubectl(['get', 'deploy', 'dns-test', '-o', 'json'])).stdout);
    assert.equal(after.spec.replicas, 1);
    assert.ok(after.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
  });

  test('label and annotate', async () => {
    assert.equal((await lab.kubectl(['label', 'deploy', 'dns-test', 'team=dns'])).stdout.trim(), 'deployment.apps/dns-test labeled');
    assert.equal((await lab.kubectl(['annotate', 'deploy', 'dns-test', 'note=hi'])).stdout.trim(), 'deployment.apps/dns-test annotated');
    const l = await lab.kubectl(['get', 'deploy', '-l', 'team=dns', '-o', 'name']);
    assert.equal(l.stdout.trim(), 'deployment.apps/dns-test');
  });

  test('server-side apply: conflict, then --force-conflicts', async () => {
    const p = file('deploy.yaml', DEPLOY);
    const c = await lab.kubectl(['apply', '--server-side', '-f', p]);
    assert.equal(c.code, 1);
    assert.match(c.stderr, /Apply failed with \d+ conflicts?: conflicts? with "kubectl-/);
    const f = await lab.kubectl(['apply', '--server-side', '--force-conflicts', '-f', p]);
    assert.equal(f.stdout.trim(), 'deployment.apps/dns-test serverside-applied', f.stderr);
    assert.equal((await lab.kubectl(['get', 'deploy', 'dns-test', '-o', 'jsonpath={.spec.replicas}'])).stdout, '2');
  });

  test('client-side apply, then server-side apply takes the fields over (kubectl upgrades managedFields)', async () => {
    const p = file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: migrate}\ndata: {a: "1"}\n');
    assert.equal((await lab.kubectl(['apply', '-f', p])).stdout.trim(), 'configmap/migrate created');
    // the first server-side apply of the same manifest is where kubectl hands the fields over
    assert.equal((await lab.kubectl(['apply', '--server-side', '-f', p])).stdout.trim(), 'configmap/migrate serverside-applied');
    file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: migrate}\ndata: {a: "2"}\n');
    const r = await lab.kubectl(['apply', '--server-side', '-f', p]);
    assert.equal(r.stdout.trim(), 'configmap/migrate serverside-applied', r.stderr);
    const o = lab.store.get('configmaps', 'default', 'migrate') as Obj<ConfigMap>;
    assert.equal(o.data!.a, '2');
    assert.deepEqual((o.metadata.managedFields as ManagedFieldsEntry[]).map((m) => `${m.manager}/${m.operation}`).sort(), ['kubectl-last-applied/Apply', 'kubectl/Apply']);
  });

  test('validation errors as the real API words them', async () => {
    const bad = file('bad-svc.yaml', SERVICE.replace('name: coredns', 'name: other').replace('100.64.0.11', '10.96.0.10'));
    const r = await lab.kubectl(['create', '-f', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The Service "other" is invalid: spec\.clusterIPs: Invalid value: \[\]string\{"10\.96\.0\.10"\}: failed to allocate IP 10\.96\.0\.10: the provided IP \(10\.96\.0\.10\) is not in the valid range\. The range of valid IPs is 100\.64\.0\.0\/13/);
    const mism = file('mismatch.yaml', DEPLOY.replace('name: dns-test\n  labels', 'name: mism\n  labels').replace('    metadata:\n      labels: {app: dns-test}', '    metadata:\n      labels: {app: other}'));
    const m = await lab.kubectl(['create', '-f', mism]);
    assert.match(m.stderr, /The Deployment "mism" is invalid: spec\.template\.metadata\.labels: Invalid value: map\[string\]string\{"app":"other"\}: `selector` does not match template `labels`/);
    const unknown = file('unknown.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u}\nfoo: bar\n');
    const u = await lab.kubectl(['create', '-f', unknown]);
    assert.match(u.stderr, /Error from server \(BadRequest\): error when creating ".*unknown\.yaml": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"/);
    const w = await lab.kubectl(['create', '-f', unknown, '--validate=warn']);
    assert.equal(w.code, 0);
    assert.match(w.stderr, /Warning: unknown field "foo"/);
  });

  test('typed commands send protobuf: create namespace, create configmap, auth can-i', async () => {
    assert.equal((await lab.kubectl(['create', 'namespace', 'lab'])).stdout.trim(), 'namespace/lab created');
    assert.equal((await lab.kubectl(['create', 'configmap', 'c', '-n', 'lab', '--from-literal=a=b'])).stdout.trim(), 'configmap/c created');
    assert.equal((await lab.kubectl(['get', 'cm', 'c', '-n', 'lab', '-o', 'jsonpath={.data.a}'])).stdout, 'b');
    const can = await lab.kubectl(['auth', 'can-i', 'create', 'pods']);
    assert.equal(can.stdout.trim(), 'yes', can.stderr);
    const ns = await lab.kubectl(['create', 'namespace', 'Bad_NS']);
    assert.match(ns.stderr, /The Namespace "Bad_NS" is invalid: metadata\.name: Invalid value: "Bad_NS": a lowercase RFC 1123 label/);
  });

  test('a manifest of a kind the lab does not serve: no matches for kind', async () => {
    // a custom resource (the CronTab of the Kubernetes docs' CRD example): no built-in serves it
    const f = file('crontab.yaml', 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: c\n');
    const r = await lab.kubectl(['apply', '-f', f]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no matches for kind "CronTab" in version "stable\.example\.com\/v1"/);
  });

  test('explain reads the schemas', async () => {
    const r = await lab.kubectl(['explain', 'pods.spec.containers.ports']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /FIELD: ports <\[\]ContainerPort>/);
    assert.match(r.stdout, /containerPort\s+<integer> -required-/);
  });

  test('explain serves Kubernetes 1.32 schemas: fields newer than 1.30 are there', async () => {
    // image volumes arrived in 1.31, pod-level resources in 1.32 (api/openapi-spec of release-1.32)
    const image = await lab.kubectl(['explain', 'pods.spec.volumes.image']);
    assert.equal(image.code, 0, image.stderr);
    assert.match(image.stdout, /FIELD: image <ImageVolumeSource>/);
    assert.match(image.stdout, /pullPolicy\s+<string>/);
    const res = await lab.kubectl(['explain', 'pod.spec.resources']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /FIELD: resources <ResourceRequirements>/);
    assert.match(res.stdout, /Resources is the total amount of CPU and Memory resources required by all\s+containers in the pod/);
  });

  test('/openapi/v2 is upstream swagger.json: explain --output=plaintext-openapiv2 reads it as protobuf', async () => {
    const r = await lab.kubectl(['explain', 'deployments.spec.strategy', '--output=plaintext-openapiv2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^KIND:\s+Deployment\nVERSION:\s+apps\/v1\n/);
    assert.match(r.stdout, /RESOURCE: strategy <Object>/);
    assert.match(r.stdout, /rollingUpdate\s+<Object>/);
    const json = await lab.fetch('/openapi/v2');
    assert.equal(json.headers.get('content-type'), 'application/json');
    const doc = (await json.json()) as { info: { version: string }; definitions: Record<string, { properties?: Record<string, unknown> }> };
    assert.equal(doc.info.version, 'v1.32.4');
    assert.ok(doc.definitions['io.k8s.api.core.v1.PodSpec'].properties!.resources, 'PodSpec.resources (1.32)');
  });

  test('apply --validate=strict: unknown and mistyped fields, worded as the apiserver words them', async () => {
    const p = file('strict.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: strict}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.28\n    imagePullPolcy: Always\n');
    const u = await lab.kubectl(['apply', '--validate=strict', '-f', p]);
    assert.equal(u.code, 1);
    assert.match(u.stderr, /Error from server \(BadRequest\): error when creating ".*strict\.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec\.containers\[0\]\.imagePullPolcy"/);
    const t = file('typed.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: typed}\nspec:\n  terminationGracePeriodSeconds: soon\n  containers:\n  - name: c\n    image: busybox:1.28\n');
    const e = await lab.kubectl(['apply', '--validate=strict', '-f', t]);
    assert.equal(e.code, 1);
    assert.match(e.stderr, /Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec\.spec\.terminationGracePeriodSeconds of type int64/);
  });

  test('create --dry-run=server stores nothing', async () => {
    const r = await lab.kubectl(['create', 'configmap', 'dry', '--from-literal=a=b', '--dry-run=server']);
    assert.match(r.stdout, /configmap\/dry created \(server dry run\)/);
    assert.equal((await lab.kubectl(['get', 'cm', 'dry'])).code, 1);
  });

  test('delete waits for the object to go; a pod waits for its kubelet', async () => {
    const d = await lab.kubectl(['delete', 'deploy', 'dns-test']);
    assert.equal(d.stdout.trim(), 'deployment.apps "dns-test" deleted', d.stderr);
    lab.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bb', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'bb', image: 'busybox:1.28' }] } });
    // a stand-in kubelet: finishes graceful deletions a moment later
    const stop = lab.store.watch('pods', {}, (e) => {
      if (e.type === 'MODIFIED' && e.object.metadata.deletionTimestamp) setTimeout(() => lab.store.finalizeDelete('pods', 'default', e.object.metadata.name!), 300);
    });
    const p = await lab.kubectl(['delete', 'pod', 'bb']);
    stop();
    assert.equal(p.stdout.trim(), 'pod "bb" deleted', p.stderr);
    assert.equal(lab.store.get('pods', 'default', 'bb'), undefined);
  });

  test('delete namespace removes its contents', async () => {
    const r = await lab.kubectl(['delete', 'namespace', 'lab']);
    assert.equal(r.stdout.trim(), 'namespace "lab" deleted', r.stderr);
    assert.equal(lab.store.list('configmaps', { namespace: 'lab' }).items.length, 0);
  });
});
