// Every API error a learner can hit, as kubectl prints it: NotFound, AlreadyExists, Invalid
// with field causes, Conflict on a stale resourceVersion, unknown fields under Strict, and the
// client-side errors that depend on what the server advertises.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from './harness.ts';

let lab: Lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

async function fails(args: string[]): Promise<string> {
  const r = await lab.kubectl(args);
  assert.equal(r.code, 1, `kubectl ${args.join(' ')} should fail; stdout: ${r.stdout}`);
  assert.equal(r.stdout, '');
  return r.stderr;
}

const manifest = (name: string, text: string) => lab.file(name, text);

describe('NotFound', () => {
  test('a missing object', async () => {
    assert.equal(await fails(['get', 'svc', 'nope', '-n', 'kube-system']), 'Error from server (NotFound): services "nope" not found\n');
  });
  test('a missing object of a grouped resource names resource.group', async () => {
    assert.equal(await fails(['get', 'deploy', 'nope', '-n', 'kube-system']), 'Error from server (NotFound): deployments.apps "nope" not found\n');
  });
  test('a missing namespace is reported as the namespace', async () => {
    assert.equal(await fails(['get', 'svc', 'x', '-n', 'nons']), 'Error from server (NotFound): namespaces "nons" not found\n');
  });
  test('describe of a missing object', async () => {
    assert.equal(await fails(['describe', 'svc', 'nope', '-n', 'kube-system']), 'Error from server (NotFound): services "nope" not found\n');
  });
  test('creating into a missing namespace', async () => {
    const f = manifest('cm-nons.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: nons\n');
    assert.equal(await fails(['create', '-f', f]), `Error from server (NotFound): error when creating "${f}": namespaces "nons" not found\n`);
  });
});

describe('AlreadyExists', () => {
  test('create of an existing Service', async () => {
    const f = manifest('dup.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: kube-dns\n  namespace: kube-system\nspec:\n  ports:\n  - port: 53\n');
    assert.equal(await fails(['create', '-f', f]), `Error from server (AlreadyExists): error when creating "${f}": services "kube-dns" already exists\n`);
  });
});

describe('Invalid, with the field causes', () => {
  test('name syntax (DNS-1123 subdomain)', async () => {
    const f = manifest('bad-name.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
    assert.equal(
      await fails(['create', '-f', f]),
      `The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n`,
    );
  });

  test('a required field', async () => {
    const f = manifest('no-ports.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: noports\nspec:\n  selector:\n    app: x\n');
    assert.equal(await fails(['create', '-f', f]), 'The Service "noports" is invalid: spec.ports: Required value\n');
  });

  test('a clusterIP outside the service CIDR', async () => {
    const f = manifest('bad-ip.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: badip\nspec:\n  clusterIP: 10.0.0.5\n  ports:\n  - port: 53\n');
    const err = await fails(['create', '-f', f]);
    assert.match(err, /^The Service "badip" is invalid: spec\.clusterIPs: Invalid value: \[\]string\{"10\.0\.0\.5"\}: failed to allocate IP 10\.0\.0\.5: the provided IP \(10\.0\.0\.5\) is not in the valid range\. The range of valid IPs is 100\.64\.0\.0\/13\n$/);
  });

  test('a Deployment whose selector does not match its template labels', async () => {
    const f = manifest('mismatch.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: mismatch\nspec:\n  selector:\n    matchLabels:\n      app: a\n  template:\n    metadata:\n      labels:\n        app: b\n    spec:\n      containers:\n      - name: c\n        image: busybox:1.28\n');
    assert.equal(
      await fails(['create', '-f', f]),
      'The Deployment "mismatch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`\n',
    );
  });

  test('several causes are listed one per line', async () => {
    const f = manifest('two-bad.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: twobad\nspec:\n  replicas: -1\n  selector:\n    matchLabels:\n      app: a\n  template:\n    metadata:\n      labels:\n        app: a\n    spec:\n      containers:\n      - name: c\n');
    const err = await fails(['create', '-f', f]);
    assert.match(err, /^The Deployment "twobad" is invalid: \n\* /);
    assert.match(err, /\n\* spec\.replicas: Invalid value: -1: must be greater than or equal to 0\n/);
    assert.match(err, /\n\* spec\.template\.spec\.containers\[0\]\.image: Required value\n/);
  });

  test('an immutable field: a Service clusterIP may not change', async () => {
    const err = await fails(['patch', 'svc', 'kube-dns', '-n', 'kube-system', '--type=merge', '-p', '{"spec":{"clusterIP":"100.64.0.11"}}']);
    assert.match(err, /^The Service "kube-dns" is invalid: spec\.clusterIPs\[0\]: Invalid value: \[\]string\{"100\.64\.0\.11"\}: may not change once set\n$/);
  });

  test("an immutable field: a Deployment's selector", async () => {
    const err = await fails(['patch', 'deploy', 'kube-dns', '-n', 'kube-system', '--type=merge', '-p', '{"spec":{"selector":{"matchLabels":{"k8s-app":"other"}},"template":{"metadata":{"labels":{"k8s-app":"other"}}}}}']);
    assert.match(err, /^The Deployment "kube-dns" is invalid: spec\.selector: Invalid value: v1\.LabelSelector\{MatchLabels:map\[string\]string\{"k8s-app":"other"\}, MatchExpressions:\[\]v1\.LabelSelectorRequirement\(nil\)\}: field is immutable\n$/);
  });
});

describe('Conflict', () => {
  test('replace with a stale resourceVersion', async () => {
    const first = manifest('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "1"\n');
    await lab.kubectl(['create', '-f', first]);
    const rv = (await lab.kubectl(['get', 'cm', 'c', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout;
    await lab.kubectl(['patch', 'cm', 'c', '--type=merge', '-p', '{"data":{"a":"2"}}']);
    const stale = manifest('cm-stale.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  resourceVersion: "${rv}"\ndata:\n  a: "3"\n`);
    assert.equal(
      await fails(['replace', '-f', stale]),
      `Error from server (Conflict): error when replacing "${stale}": Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again\n`,
    );
    assert.equal((await lab.kubectl(['get', 'cm', 'c', '-o', 'jsonpath={.data.a}'])).stdout, '2');
  });
});

describe('field validation', () => {
  test('an unknown field is refused under Strict (what create -f asks for)', async () => {
    const f = manifest('typo.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: typo\nspec:\n  replicaz: 2\n  selector:\n    matchLabels:\n      app: t\n  template:\n    metadata:\n      labels:\n        app: t\n    spec:\n      containers:\n      - name: c\n        image: busybox:1.28\n');
    assert.equal(
      await fails(['create', '-f', f]),
      `Error from server (BadRequest): error when creating "${f}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"\n`,
    );
  });

  test('--validate=warn creates it and prints the warning', async () => {
    const f = manifest('typo2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo2\ndatta:\n  a: "1"\n');
    const r = await lab.kubectl(['create', '-f', f, '--validate=warn']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'configmap/typo2 created\n');
    assert.equal(r.stderr, 'Warning: unknown field "datta"\n');
  });

  test('--validate=false ignores it silently', async () => {
    const f = manifest('typo3.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo3\ndatta:\n  a: "1"\n');
    const r = await lab.kubectl(['create', '-f', f, '--validate=false']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'configmap/typo3 created\n', '']);
  });
});

describe('client-side errors that depend on discovery', () => {
  test('an unknown resource type', async () => {
    assert.equal(await fails(['get', 'foos']), 'error: the server doesn\'t have a resource type "foos"\n');
  });
  test('a kind the server does not serve, in a manifest', async () => {
    // a custom resource (the CronTab of the Kubernetes docs' CRD example): no built-in serves it
    const f = manifest('crontab.yaml', 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: c\n');
    assert.equal(
      await fails(['create', '-f', f]),
      `error: resource mapping not found for name: "c" namespace: "" from "${f}": no matches for kind "CronTab" in version "stable.example.com/v1"\nensure CRDs are installed first\n`,
    );
  });
});
