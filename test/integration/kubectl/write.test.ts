// Writes through kubectl: create, apply (client- and server-side), replace, patch in its three
// types, edit through KUBE_EDITOR, label/annotate, scale, rollout restart, delete.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function deployment(name: string, opts: { replicas?: number; image?: string; extra?: string } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${opts.replicas ?? 1}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: app
        image: ${opts.image ?? 'busybox:1.28'}
        command: ["sleep", "3600"]
      - name: helper
        image: busybox:1.28
        command: ["sleep", "3600"]
${opts.extra ?? ''}`;
}

const jsonpath = (kind: string, name: string, path: string, ns = 'default') => lab.ok(['get', kind, name, '-n', ns, '-o', `jsonpath=${path}`]);

describe('create', () => {
  test('create -f prints "<kind>.<group>/<name> created" and stores the object', async () => {
    const f = lab.file('dns-test.yaml', deployment('dns-test'));
    assert.equal(await lab.ok(['create', '-f', f]), 'deployment.apps/dns-test created\n');
    assert.equal(await jsonpath('deploy', 'dns-test', '{.spec.template.spec.containers[*].name}'), 'app helper');
    assert.equal(await jsonpath('deploy', 'dns-test', '{.metadata.generation}'), '1');
  });

  test('create -f of an existing object is AlreadyExists naming the file', async () => {
    const f = lab.file('dns-test.yaml', deployment('dns-test'));
    const r = await lab.kubectl(['create', '-f', f]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error from server (AlreadyExists): error when creating "${f}": deployments.apps "dns-test" already exists\n`);
  });

  test('create --dry-run=server validates without storing', async () => {
    const f = lab.file('dry.yaml', deployment('dry-one'));
    assert.equal(await lab.ok(['create', '-f', f, '--dry-run=server']), 'deployment.apps/dry-one created (server dry run)\n');
    const r = await lab.kubectl(['get', 'deploy', 'dry-one']);
    assert.equal(r.stderr, 'Error from server (NotFound): deployments.apps "dry-one" not found\n');
  });

  test('create configmap (a typed client: protobuf request body)', async () => {
    assert.equal(await lab.ok(['create', 'configmap', 'typed', '--from-literal=k=v']), 'configmap/typed created\n');
    assert.equal(await jsonpath('cm', 'typed', '{.data.k}'), 'v');
  });

  test('create namespace (typed client)', async () => {
    assert.equal(await lab.ok(['create', 'namespace', 'lab-extra']), 'namespace/lab-extra created\n');
  });

  test('run creates a pod with run=<name>', async () => {
    assert.equal(await lab.ok(['run', 'busybox2', '--image=busybox:1.28', '--restart=Never', '--', 'sleep', '3600']), 'pod/busybox2 created\n');
    assert.equal(await jsonpath('pod', 'busybox2', '{.metadata.labels.run} {.spec.containers[0].args}'), 'busybox2 ["sleep","3600"]');
  });
});

describe('apply', () => {
  test('apply of a new object creates it with the last-applied annotation', async () => {
    const f = lab.file('web.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n');
    assert.equal(await lab.ok(['apply', '-f', f]), 'service/web created\n');
    const last = JSON.parse(await jsonpath('svc', 'web', `{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}`));
    assert.equal(last.kind, 'Service');
    assert.deepEqual(last.spec.selector, { app: 'web' });
    // the server filled in what the manifest left out, as a real one does
    assert.match(await jsonpath('svc', 'web', '{.spec.clusterIP}'), /^100\.(6[4-9]|7[01])\.\d+\.\d+$/);
    assert.equal(await jsonpath('svc', 'web', '{.spec.type} {.spec.ports[0].protocol} {.spec.sessionAffinity}'), 'ClusterIP TCP None');
  });

  test('apply again unchanged sends no patch: "unchanged"', async () => {
    const f = lab.file('web.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n');
    assert.equal(await lab.ok(['apply', '-f', f]), 'service/web unchanged\n');
  });

  test('apply with a change: "configured", merged by the strategic merge patch', async () => {
    const f = lab.file('web.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    tier: front\nspec:\n  selector:\n    app: web2\n  ports:\n  - port: 80\n    targetPort: 8080\n  - name: metrics\n    port: 9153\n');
    // two ports need names; the server answers Invalid for the unnamed one
    const r = await lab.kubectl(['apply', '-f', f]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The Service "web" is invalid: spec\.ports\[0\]\.name: Required value/);
    const good = lab.file('web2.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    tier: front\nspec:\n  selector:\n    app: web2\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n  - name: metrics\n    port: 9153\n');
    assert.equal(await lab.ok(['apply', '-f', good]), 'service/web configured\n');
    assert.equal(await jsonpath('svc', 'web', '{.spec.selector.app} {.metadata.labels.tier} {.spec.ports[*].port}'), 'web2 front 80 9153');
  });

  test("the chapter's `kubectl apply -f coredns-service.yaml` reconfigures kube-dns in place", async () => {
    const before = await jsonpath('svc', 'kube-dns', '{.spec.clusterIP} {.metadata.uid}', 'kube-system');
    const f = lab.file('coredns-service.yaml', `apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels:
    k8s-app: coredns
    kubernetes.io/cluster-service: "true"
    kubernetes.io/name: "CoreDNS"
spec:
  selector:
    k8s-app: coredns
  clusterIP: 100.64.0.10
  ports:
  - name: dns
    port: 53
    protocol: UDP
  - name: dns-tcp
    port: 53
    protocol: TCP
  - name: metrics
    port: 9153
    protocol: TCP
`);
    assert.equal(await lab.ok(['apply', '-f', f]), 'service/kube-dns configured\n');
    assert.equal(await jsonpath('svc', 'kube-dns', '{.spec.clusterIP} {.metadata.uid}', 'kube-system'), before, 'same object, same VIP');
    assert.equal(await jsonpath('svc', 'kube-dns', '{.spec.selector} {.spec.ports[*].name}', 'kube-system'), '{"k8s-app":"coredns"} dns dns-tcp metrics');
    // labels the manifest dropped are removed, as the last-applied three-way merge says
    assert.equal(await jsonpath('svc', 'kube-dns', '{.metadata.labels.k8s-addon}', 'kube-system'), '');
  });

  test('apply on an object made by create warns and patches the annotation in', async () => {
    const f = lab.file('dns-test-2.yaml', deployment('dns-test', { replicas: 2 }));
    const r = await lab.kubectl(['apply', '-f', f]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'deployment.apps/dns-test configured\n');
    assert.match(r.stderr, /^Warning: resource deployments\/dns-test is missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation which is required by kubectl apply\./);
    assert.ok((await jsonpath('deploy', 'dns-test', '{.metadata.annotations}')).includes(LAST_APPLIED));
    assert.equal(await jsonpath('deploy', 'dns-test', '{.spec.replicas} {.metadata.generation}'), '2 2');
  });

  test('apply --server-side: "serverside-applied" and a managedFields entry for the manager', async () => {
    const f = lab.file('ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n');
    assert.equal(await lab.ok(['apply', '--server-side', '-f', f]), 'configmap/ssa serverside-applied\n');
    const managers = JSON.parse(await jsonpath('cm', 'ssa', '{.metadata.managedFields}')) as Array<{ manager: string; operation: string }>;
    assert.ok(managers.some((m) => m.manager === 'kubectl' && m.operation === 'Apply'), JSON.stringify(managers));
  });

  test('apply --server-side from a second manager conflicts, and --force-conflicts takes over', async () => {
    const f = lab.file('ssa2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "2"\n');
    const r = await lab.kubectl(['apply', '--server-side', '--field-manager=other', '-f', f]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.data\.a/);
    assert.equal(await lab.ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', f]), 'configmap/ssa serverside-applied\n');
    assert.equal(await jsonpath('cm', 'ssa', '{.data.a}'), '2');
  });
});

describe('replace, patch, edit', () => {
  test('replace -f swaps the whole object: "replaced"', async () => {
    const f = lab.file('dns-test-3.yaml', deployment('dns-test', { replicas: 3, image: 'busybox:1.29' }));
    assert.equal(await lab.ok(['replace', '-f', f]), 'deployment.apps/dns-test replaced\n');
    assert.equal(await jsonpath('deploy', 'dns-test', '{.spec.replicas} {.spec.template.spec.containers[0].image}'), '3 busybox:1.29');
  });

  test('patch (strategic): containers merge by name, the other container stays', async () => {
    const out = await lab.ok(['patch', 'deployment', 'dns-test', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"busybox:1.30"}]}}}}']);
    assert.equal(out, 'deployment.apps/dns-test patched\n');
    assert.equal(await jsonpath('deploy', 'dns-test', '{.spec.template.spec.containers[*].name} {.spec.template.spec.containers[*].image}'), 'app helper busybox:1.30 busybox:1.28');
  });

  test('patch (strategic) $patch: delete removes one list element by its key', async () => {
    await lab.ok(['patch', 'deployment', 'dns-test', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"helper","$patch":"delete"}]}}}}']);
    assert.equal(await jsonpath('deploy', 'dns-test', '{.spec.template.spec.containers[*].name}'), 'app');
  });

  test('patch --type=merge replaces lists whole and sets maps', async () => {
    assert.equal(await lab.ok(['patch', 'deployment', 'dns-test', '--type=merge', '-p', '{"metadata":{"labels":{"team":"dns"}}}']), 'deployment.apps/dns-test patched\n');
    assert.equal(await jsonpath('deploy', 'dns-test', '{.metadata.labels.team} {.metadata.labels.app}'), 'dns dns-test');
  });

  test('patch --type=json applies RFC 6902 operations', async () => {
    assert.equal(await lab.ok(['patch', 'deployment', 'dns-test', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4},{"op":"remove","path":"/metadata/labels/team"}]']), 'deployment.apps/dns-test patched\n');
    assert.equal(await jsonpath('deploy', 'dns-test', '{.spec.replicas}|{.metadata.labels.team}'), '4|');
  });

  test('a patch that changes nothing: "patched (no change)"', async () => {
    assert.equal(await lab.ok(['patch', 'deployment', 'dns-test', '--type=merge', '-p', '{"spec":{"replicas":4}}']), 'deployment.apps/dns-test patched (no change)\n');
  });

  test('a JSON patch whose test op fails is refused and changes nothing', async () => {
    const r = await lab.kubectl(['patch', 'deployment', 'dns-test', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":99},{"op":"replace","path":"/spec/replicas","value":7}]']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /spec\/replicas/);
    assert.equal(await jsonpath('deploy', 'dns-test', '{.spec.replicas}'), '4');
  });

  test('edit through KUBE_EDITOR: a script rewrites the file, kubectl sends the change', async () => {
    const editor = lab.file('editor.sh', '#!/bin/sh\nsed -i "s/replicas: 4/replicas: 5/" "$1"\n');
    chmodSync(editor, 0o755);
    assert.equal(await lab.ok(['edit', 'deployment', 'dns-test'], { env: { KUBE_EDITOR: editor } }), 'deployment.apps/dns-test edited\n');
    assert.equal(await jsonpath('deploy', 'dns-test', '{.spec.replicas}'), '5');
  });

  test('edit with no change: "Edit cancelled, no changes made."', async () => {
    const editor = lab.file('noop.sh', '#!/bin/sh\ntrue\n');
    chmodSync(editor, 0o755);
    const r = await lab.kubectl(['edit', 'deployment', 'dns-test'], { env: { KUBE_EDITOR: editor } });
    assert.equal(r.code, 0);
    assert.equal(r.stdout + r.stderr, 'Edit cancelled, no changes made.\n');
  });
});

describe('label, annotate, scale, rollout restart', () => {
  test('label adds, refuses to overwrite, overwrites, removes', async () => {
    assert.equal(await lab.ok(['label', 'deployment', 'dns-test', 'tier=dns']), 'deployment.apps/dns-test labeled\n');
    const r = await lab.kubectl(['label', 'deployment', 'dns-test', 'tier=other']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "error: 'tier' already has a value (dns), and --overwrite is false\n");
    assert.equal(await lab.ok(['label', 'deployment', 'dns-test', 'tier=other', '--overwrite']), 'deployment.apps/dns-test labeled\n');
    assert.equal(await lab.ok(['label', 'deployment', 'dns-test', 'tier-']), 'deployment.apps/dns-test unlabeled\n');
    assert.equal(await jsonpath('deploy', 'dns-test', '{.metadata.labels}'), '{"app":"dns-test"}');
  });

  test('annotate', async () => {
    assert.equal(await lab.ok(['annotate', 'deployment', 'dns-test', 'owner=lab']), 'deployment.apps/dns-test annotated\n');
    assert.equal(await jsonpath('deploy', 'dns-test', '{.metadata.annotations.owner}'), 'lab');
  });

  test('scale goes through the scale subresource', async () => {
    assert.equal(await lab.ok(['scale', 'deployment', 'dns-test', '--replicas=2']), 'deployment.apps/dns-test scaled\n');
    assert.equal(await jsonpath('deploy', 'dns-test', '{.spec.replicas}'), '2');
  });

  test('scale --current-replicas guards against a stale count', async () => {
    const r = await lab.kubectl(['scale', 'deployment', 'dns-test', '--current-replicas=7', '--replicas=3']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: Expected replicas to be 7, was 2\n');
  });

  test('rollout restart stamps restartedAt into the pod template', async () => {
    const gen = Number(await jsonpath('deploy', 'dns-test', '{.metadata.generation}'));
    assert.equal(await lab.ok(['rollout', 'restart', 'deployment', 'dns-test']), 'deployment.apps/dns-test restarted\n');
    assert.match(await jsonpath('deploy', 'dns-test', '{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(Number(await jsonpath('deploy', 'dns-test', '{.metadata.generation}')), gen + 1, 'a template change bumps generation');
  });
});

describe('delete', () => {
  test('delete a deployment: "deleted" after the wait, then NotFound', async () => {
    assert.equal(await lab.ok(['delete', 'deployment', 'dns-test']), 'deployment.apps "dns-test" deleted\n');
    const r = await lab.kubectl(['get', 'deployment', 'dns-test']);
    assert.equal(r.stderr, 'Error from server (NotFound): deployments.apps "dns-test" not found\n');
  });

  test('delete -f deletes what the file names', async () => {
    const f = lab.file('web2.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n');
    assert.equal(await lab.ok(['delete', '-f', f]), 'service "web" deleted\n');
  });

  test('delete an unscheduled pod: no kubelet to wait for', async () => {
    assert.equal(await lab.ok(['delete', 'pod', 'busybox2']), 'pod "busybox2" deleted\n');
  });

  test('delete -l removes every match', async () => {
    for (const n of ['l1', 'l2']) await lab.ok(['create', '-f', lab.file(`${n}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n  labels:\n    batch: x\n`)]);
    const out = await lab.ok(['delete', 'configmap', '-l', 'batch=x']);
    assert.equal(out, 'configmap "l1" deleted\nconfigmap "l2" deleted\n');
  });

  test('delete of a missing object is NotFound; --ignore-not-found is quiet', async () => {
    const r = await lab.kubectl(['delete', 'configmap', 'nope']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): configmaps "nope" not found\n');
    const q = await lab.kubectl(['delete', 'configmap', 'nope', '--ignore-not-found']);
    assert.deepEqual([q.code, q.stdout, q.stderr], [0, '', '']);
  });
});
