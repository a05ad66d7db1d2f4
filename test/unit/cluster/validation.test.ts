// The validation and defaulting a learner meets, each row with the real API server's wording.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../sandbox/cluster/store.ts';
import { StatusError } from '../../../sandbox/cluster/errors.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Obj } from '../../../sandbox/cluster/resources/define.ts';

function store(): MemoryStore {
  const s = new MemoryStore({ serviceCIDR: '100.64.0.0/13' });
  s.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return s;
}

const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
const deploy = (name: string, selector: Record<string, string>, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
  spec: { selector: { matchLabels: selector }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

function statusOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e.status;
    throw e;
  }
  assert.fail('expected the API to refuse this');
}

describe('create is refused with the real messages', () => {
  const rows: Array<{ name: string; resource: string; obj: () => KubeObject; message: string; field?: string }> = [
    {
      name: 'clusterIP outside the service CIDR', resource: 'services', obj: () => svc('s', { clusterIP: '10.96.0.10', ports: [{ port: 53 }] }),
      message: 'Service "s" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: the provided IP (10.96.0.10) is not in the valid range. The range of valid IPs is 100.64.0.0/13',
      field: 'spec.clusterIPs',
    },
    {
      name: 'Deployment selector not matching template labels', resource: 'deployments.apps', obj: () => deploy('d', { app: 'a' }, { app: 'b' }),
      message: 'Deployment.apps "d" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
      field: 'spec.template.metadata.labels',
    },
    {
      name: 'a name that is not DNS-1123', resource: 'configmaps', obj: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'My_Config', namespace: 'default' } }),
      message: `ConfigMap "My_Config" is invalid: metadata.name: Invalid value: "My_Config": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      field: 'metadata.name',
    },
    {
      name: 'a pod without containers', resource: 'pods', obj: () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: {} }),
      message: 'Pod "p" is invalid: spec.containers: Required value', field: 'spec.containers',
    },
    {
      name: 'a container without an image', resource: 'pods', obj: () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } }),
      message: 'Pod "p" is invalid: spec.containers[0].image: Required value', field: 'spec.containers[0].image',
    },
    {
      name: 'two unnamed service ports', resource: 'services', obj: () => svc('s', { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }),
      message: 'Service "s" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]', field: 'spec.ports[0].name',
    },
    {
      name: 'a missing name', resource: 'configmaps', obj: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'default' } }),
      message: 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required', field: 'metadata.name',
    },
  ];
  for (const r of rows)
    test(r.name, () => {
      const st = statusOf(() => store().create(r.resource, r.obj()));
      assert.equal(st.reason, 'Invalid');
      assert.equal(st.code, 422);
      assert.equal(st.message, r.message);
      if (r.field) assert.equal(st.details?.causes?.[0].field, r.field);
    });

  test('Recreate with rollingUpdate settings', () => {
    const d = deploy('d', { app: 'a' }, { app: 'a' }) as Obj<Deployment>;
    d.spec!.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } };
    const st = statusOf(() => store().create('deployments.apps', d));
    assert.equal(st.message, "Deployment.apps \"d\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
  });

  test('a clusterIP already in use', () => {
    const s = store();
    s.create('services', svc('a', { clusterIP: '100.64.0.10', ports: [{ port: 53 }] }));
    const st = statusOf(() => s.create('services', svc('b', { clusterIP: '100.64.0.10', ports: [{ port: 53 }] })));
    assert.match(st.message ?? '', /failed to allocate IP 100\.64\.0\.10: provided IP is already allocated/);
  });
});

describe('immutable fields', () => {
  test('spec.clusterIP', () => {
    const s = store();
    const created = s.create('services', svc('s', { clusterIP: '100.64.0.20', ports: [{ port: 53 }] })) as Obj<Service>;
    created.spec!.clusterIP = '100.64.0.21';
    created.spec!.clusterIPs = ['100.64.0.21'];
    const st = statusOf(() => s.update('services', created));
    assert.equal(st.reason, 'Invalid');
    assert.match(st.message ?? '', /spec\.clusterIPs\[0\]: Invalid value: .*may not change once set/);
  });
  test('a replace without clusterIP keeps the allocated one', () => {
    const s = store();
    const created = s.create('services', svc('s', { ports: [{ port: 53 }] })) as Obj<Service>;
    const ip = created.spec!.clusterIP;
    delete created.spec!.clusterIP;
    delete created.spec!.clusterIPs;
    assert.equal((s.update('services', created) as Obj<Service>).spec!.clusterIP, ip);
  });
  test('Deployment spec.selector', () => {
    const s = store();
    const d = s.create('deployments.apps', deploy('d', { app: 'a' }, { app: 'a', v: '1' })) as Obj<Deployment>;
    d.spec!.selector = { matchLabels: { app: 'a', v: '1' } };
    const st = statusOf(() => s.update('deployments.apps', d));
    assert.equal(
      st.details?.causes?.find((c) => c.field === 'spec.selector')?.message,
      'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"a", "v":"1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });
  test('pod spec beyond the image', () => {
    const s = store();
    const p = s.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'a' }] } }) as Obj<Pod>;
    p.spec!.containers[0].image = 'b';
    assert.equal((s.update('pods', p) as Obj<Pod>).spec!.containers[0].image, 'b');
    const p2 = s.get('pods', 'default', 'p') as Obj<Pod>;
    p2.spec!.restartPolicy = 'Never';
    const st = statusOf(() => s.update('pods', p2));
    assert.match(st.message ?? '', /spec: Forbidden: pod updates may not change fields other than/);
  });
});

describe('defaulting', () => {
  test('Service', () => {
    const o = store().create('services', svc('s', { selector: { a: 'b' }, ports: [{ port: 53 }] })) as Obj<Service>;
    assert.equal(o.spec!.type, 'ClusterIP');
    assert.equal(o.spec!.sessionAffinity, 'None');
    assert.deepEqual(o.spec!.ipFamilies, ['IPv4']);
    assert.deepEqual(o.spec!.ports, [{ port: 53, protocol: 'TCP', targetPort: 53 }]);
    assert.match(o.spec!.clusterIP!, /^100\.(6[4-9]|7[01])\./);
    assert.deepEqual(o.spec!.clusterIPs, [o.spec!.clusterIP]);
  });
  test('Pod', () => {
    const o = store().create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }, { name: 'd', image: 'busybox:1.28' }] } }) as Obj<Pod>;
    assert.equal(o.spec!.restartPolicy, 'Always');
    assert.equal(o.spec!.dnsPolicy, 'ClusterFirst');
    assert.equal(o.spec!.terminationGracePeriodSeconds, 30);
    assert.equal(o.spec!.schedulerName, 'default-scheduler');
    assert.equal(o.spec!.serviceAccountName, 'default');
    assert.equal(o.spec!.containers[0].imagePullPolicy, 'Always');
    assert.equal(o.spec!.containers[1].imagePullPolicy, 'IfNotPresent');
    assert.equal(o.status!.phase, 'Pending');
  });
  test('probes', () => {
    const o = store().create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x', readinessProbe: { httpGet: { path: '/ready', port: 8081 }, timeoutSeconds: 5 } }] } }) as Obj<Pod>;
    assert.deepEqual(o.spec!.containers[0].readinessProbe, { httpGet: { path: '/ready', port: 8081, scheme: 'HTTP' }, timeoutSeconds: 5, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  });
  test('Deployment, and generation bumps only on spec changes', () => {
    const s = store();
    const o = s.create('deployments.apps', deploy('d', { app: 'a' }, { app: 'a' })) as Obj<Deployment>;
    assert.equal(o.spec!.replicas, 1);
    assert.deepEqual(o.spec!.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(o.spec!.revisionHistoryLimit, 10);
    assert.equal(o.spec!.progressDeadlineSeconds, 600);
    o.metadata.labels = { x: 'y' };
    const labelled = s.update('deployments.apps', o) as Obj<Deployment>;
    assert.equal(labelled.metadata.generation, 1);
    labelled.spec!.replicas = 3;
    assert.equal((s.update('deployments.apps', labelled) as Obj<Deployment>).metadata.generation, 2);
  });
});

describe('decoding: values of the wrong JSON type', async () => {
  const { decodeError, unknownFields } = await import('../../../sandbox/cluster/schemas/index.ts');
  const dep = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { a: 'b' } }, spec });
  const rows: Array<[string, unknown, string | undefined]> = [
    ['replicas as a string', dep({ replicas: 'two' }), 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['a port as a string', dep({ template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 'http' }] }] } } }), 'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32'],
    ['a label value as a number', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { v: 1 } } }, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    ['containers as an object', dep({ template: { spec: { containers: { name: 'c' } } } }), 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []Container'],
    ['maxSurge as a percentage is fine', dep({ strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } }), undefined],
    ['a quantity as a number is fine', dep({ template: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: 1, memory: '64Mi' } } }] } } }), undefined],
    ['creationTimestamp: null is fine', dep({ template: { metadata: { creationTimestamp: null } } }), undefined],
  ];
  for (const [name, obj, want] of rows)
    test(name, () => assert.equal(decodeError((obj as KubeObject).apiVersion, (obj as KubeObject).kind, obj), want));

  test('unknown fields are reported with their path', () => {
    assert.deepEqual(unknownFields('apps/v1', 'Deployment', dep({ replicas: 1, foo: 1, template: { spec: { containers: [{ name: 'c', imagee: 'x' }] } } })), ['spec.foo', 'spec.template.spec.containers[0].imagee']);
  });
});
