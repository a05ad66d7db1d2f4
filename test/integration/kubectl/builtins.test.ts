// The built-ins beyond core workloads, through the real kubectl against the whole embedded
// cluster, as a kind (and a minikube, and the chapter's kops) cluster on 1.32 answers: the seeded
// StorageClasses and PriorityClasses, PVC binding with WaitForFirstConsumer (kind's local-path)
// and Immediate (minikube's hostpath), an HPA without metrics-server, a PDB's status, CRUD and
// tables of every new kind, `get all`, `api-resources`, `explain`, ComponentStatus's warning,
// `top` without the Metrics API, priorityClassName admission, and one validation error per group
// worded as the apiserver words it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterLab, startLab, tableRows, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

/** the built-in resources of a 1.32 cluster as `kubectl api-resources` names them (short names after), GA group-versions only */
const API_RESOURCES_132 = [
  'bindings', 'componentstatuses', 'configmaps', 'endpoints', 'events', 'limitranges', 'namespaces', 'nodes', 'persistentvolumeclaims',
  'persistentvolumes', 'pods', 'podtemplates', 'replicationcontrollers', 'resourcequotas', 'secrets', 'serviceaccounts', 'services',
  'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'validatingwebhookconfigurations',
  'customresourcedefinitions', 'apiservices', 'controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets',
  'selfsubjectreviews', 'tokenreviews', 'localsubjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews',
  'subjectaccessreviews', 'horizontalpodautoscalers', 'cronjobs', 'jobs', 'certificatesigningrequests', 'leases', 'endpointslices',
  'events', 'flowschemas', 'prioritylevelconfigurations', 'ingressclasses', 'ingresses', 'networkpolicies', 'runtimeclasses',
  'poddisruptionbudgets', 'clusterrolebindings', 'clusterroles', 'rolebindings', 'roles', 'priorityclasses', 'csidrivers', 'csinodes',
  'csistoragecapacities', 'storageclasses', 'volumeattachments',
];
/** built-ins the lab does not serve yet (none) */
const NOT_YET: string[] = [];

const PVC = (name: string, cls?: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
spec:
  accessModes: [ReadWriteOnce]
${cls === undefined ? '' : `  storageClassName: ${cls}\n`}  resources:
    requests:
      storage: 1Gi
`;

const POD_WITH_CLAIM = (name: string, claim: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: c
    image: busybox:1.28
    command: ["sleep", "3600"]
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: ${claim}
`;

const MANIFESTS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
spec:
  podSelector: {}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high
value: 1000000
description: for the important ones
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  replicas: 0
  template:
    metadata:
      labels:
        app: legacy
    spec:
      containers:
      - name: c
        image: busybox:1.28
---
apiVersion: v1
kind: PodTemplate
metadata:
  name: tmpl
template:
  metadata:
    labels:
      app: tmpl
  spec:
    containers:
    - name: c
      image: busybox:1.28
---
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: example.csi.k8s.io
spec: {}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: policy
webhooks:
- name: policy.example.com
  sideEffects: None
  admissionReviewVersions: [v1]
  clientConfig:
    url: https://example.com/validate
`;

describe('the other built-ins on a kind cluster, through the real kubectl', () => {
  let lab: Lab;

  before(async () => { lab = await startClusterLab({ profile: 'kind' }); });
  after(async () => { await lab?.close(); });

  test('api-resources lists what a 1.32 cluster serves', async () => {
    const names = new Set((await lab.ok(['api-resources', '--no-headers', '-o', 'name'])).trim().split('\n').map((l) => l.split('.')[0]!));
    const missing = API_RESOURCES_132.filter((r) => !names.has(r) && !NOT_YET.includes(r));
    assert.deepEqual(missing, []);
    const rows = tableRows(await lab.ok(['api-resources']));
    const row = (name: string) => rows.find((r) => r[0] === name);
    assert.deepEqual(row('persistentvolumeclaims'), ['persistentvolumeclaims', 'pvc', 'v1', 'true', 'PersistentVolumeClaim']);
    assert.deepEqual(row('horizontalpodautoscalers'), ['horizontalpodautoscalers', 'hpa', 'autoscaling/v2', 'true', 'HorizontalPodAutoscaler']);
    assert.deepEqual(row('storageclasses'), ['storageclasses', 'sc', 'storage.k8s.io/v1', 'false', 'StorageClass']);
    assert.deepEqual(row('priorityclasses'), ['priorityclasses', 'pc', 'scheduling.k8s.io/v1', 'false', 'PriorityClass']);
    assert.deepEqual(row('poddisruptionbudgets'), ['poddisruptionbudgets', 'pdb', 'policy/v1', 'true', 'PodDisruptionBudget']);
  });

  test('the seeded StorageClass and PriorityClasses', async () => {
    const sc = tableRows(await lab.ok(['get', 'sc']));
    assert.deepEqual(sc[0], ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']);
    assert.deepEqual(sc[1]!.slice(0, 5), ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', 'false']);
    const pc = tableRows(await lab.ok(['get', 'priorityclasses']));
    assert.deepEqual(pc[0], ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    assert.deepEqual(pc.slice(1).map((r) => [r[0], r[1], r[2], r[4]]), [
      ['system-cluster-critical', '2000000000', 'false', 'PreemptLowerPriority'],
      ['system-node-critical', '2000001000', 'false', 'PreemptLowerPriority'],
    ]);
  });

  test('a WaitForFirstConsumer claim waits, then a pod makes local-path provision pvc-<uid> and both are Bound', async () => {
    await lab.ok(['apply', '-f', lab.file('pvc.yaml', PVC('data'))]);
    const pending = await waitFor(async () => {
      const out = await lab.ok(['describe', 'pvc', 'data']);
      return /WaitForFirstConsumer\s+.*waiting for first consumer to be created before binding/.test(out) && out;
    }, { what: 'the WaitForFirstConsumer event on pvc data' });
    assert.match(pending, /Status:\s+Pending/);
    assert.match(pending, /StorageClass:\s+standard/);
    assert.deepEqual(tableRows(await lab.ok(['get', 'pvc']))[1]!.slice(0, 3), ['data', 'Pending', 'standard']);
    await lab.ok(['apply', '-f', lab.file('consumer.yaml', POD_WITH_CLAIM('consumer', 'data'))]);
    const uid = await lab.ok(['get', 'pvc', 'data', '-o', 'jsonpath={.metadata.uid}']);
    const bound = await waitFor(async () => {
      const rows = tableRows(await lab.ok(['get', 'pvc', 'data']));
      return rows[1]![1] === 'Bound' && rows;
    }, { what: 'pvc data Bound' });
    assert.deepEqual(bound[0], ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    assert.deepEqual(bound[1]!.slice(0, 7), ['data', 'Bound', `pvc-${uid}`, '1Gi', 'RWO', 'standard', '<unset>']);
    const pv = tableRows(await lab.ok(['get', 'pv']));
    assert.deepEqual(pv[0], ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
    assert.deepEqual(pv[1]!.slice(0, 8), [`pvc-${uid}`, '1Gi', 'RWO', 'Delete', 'Bound', 'default/data', 'standard', '<unset>']);
    const spec = JSON.parse(await lab.ok(['get', 'pv', `pvc-${uid}`, '-o', 'jsonpath={.spec}'])) as { hostPath?: { path: string } };
    assert.equal(spec.hostPath?.path, `/var/local-path-provisioner/pvc-${uid}_default_data`);
    assert.match(await lab.ok(['describe', 'pvc', 'data']), /ProvisioningSucceeded\s+.*Successfully provisioned volume pvc-/);
    const node = await lab.ok(['get', 'pod', 'consumer', '-o', 'jsonpath={.spec.nodeName}']);
    assert.equal(await lab.ok(['get', 'pvc', 'data', '-o', 'jsonpath={.metadata.annotations.volume\\.kubernetes\\.io/selected-node}']), node);
    assert.match(await lab.ok(['get', 'pv', `pvc-${uid}`, '-o', 'jsonpath={.status.lastPhaseTransitionTime}']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(await lab.ok(['get', 'pvc', 'data', '-o', 'jsonpath={.metadata.finalizers}']), '["kubernetes.io/pvc-protection"]');
    // pvc-protection: a claim in use stays, Terminating, until its pod is gone
    await lab.ok(['delete', 'pvc', 'data', '--wait=false']);
    assert.deepEqual(tableRows(await lab.ok(['get', 'pvc', 'data']))[1]!.slice(0, 2), ['data', 'Terminating']);
    await lab.ok(['delete', 'pod', 'consumer', '--grace-period=0', '--force']);
    await waitFor(async () => (await lab.ok(['get', 'pvc', '-o', 'name'])).trim() === '', { what: 'pvc data gone with its pod' });
    // reclaim policy Delete: the claim's PV goes with it
    await waitFor(async () => (await lab.ok(['get', 'pv', '-o', 'name'])).trim() === '', { what: 'the provisioned PV deleted' });
  });

  test('a claim nobody provisions stays Pending, and so does its pod; a missing claim keeps a pod off every node', async () => {
    await lab.ok(['apply', '-f', lab.file('slow.yaml', 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: slow\nprovisioner: example.com/nobody\n')]);
    await lab.ok(['apply', '-f', lab.file('pvc-slow.yaml', PVC('slow-data', 'slow'))]);
    await waitFor(async () => /ExternalProvisioning\s+.*Waiting for a volume to be created either by the external provisioner 'example\.com\/nobody'/.test(await lab.ok(['describe', 'pvc', 'slow-data'])),
      { what: 'the ExternalProvisioning event' });
    await lab.ok(['apply', '-f', lab.file('slow-pod.yaml', POD_WITH_CLAIM('slow-pod', 'slow-data'))]);
    await lab.ok(['apply', '-f', lab.file('orphan-pod.yaml', POD_WITH_CLAIM('orphan-pod', 'nope'))]);
    const described = await waitFor(async () => {
      const out = await lab.ok(['describe', 'pod', 'slow-pod', 'orphan-pod']);
      return /unbound immediate/.test(out) && /"nope" not found/.test(out) && out;
    }, { what: 'FailedScheduling for both pods' });
    assert.match(described, /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/1 nodes are available: pod has unbound immediate PersistentVolumeClaims\. preemption: 0\/1 nodes are available: 1 Preemption is not helpful for scheduling\./);
    assert.match(described, /0\/1 nodes are available: persistentvolumeclaim "nope" not found\./);
    assert.deepEqual(tableRows(await lab.ok(['get', 'pod', 'slow-pod']))[1]!.slice(0, 3), ['slow-pod', '0/1', 'Pending']);
    await lab.ok(['delete', 'pod', 'slow-pod', 'orphan-pod', '--wait=false']);
    await lab.ok(['delete', 'pvc', 'slow-data']);
  });

  test('a ReplicationController keeps its pods', async () => {
    await lab.ok(['apply', '-f', lab.file('rc.yaml', `apiVersion: v1
kind: ReplicationController
metadata:
  name: nginx
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: c
        image: busybox:1.28
        command: ["sleep", "3600"]
`)]);
    const rows = await waitFor(async () => {
      const r = tableRows(await lab.ok(['get', 'rc', 'nginx']));
      return r[1]![3] === '2' && r;
    }, { what: 'rc nginx 2 ready', timeout: 30_000 });
    assert.deepEqual(rows[1]!.slice(0, 4), ['nginx', '2', '2', '2']);
    const pods = (await lab.ok(['get', 'pods', '-l', 'app=nginx', '-o', 'name'])).trim().split('\n');
    assert.equal(pods.length, 2);
    for (const p of pods) assert.match(p, /^pod\/nginx-[a-z0-9]{5}$/);
    await lab.ok(['scale', 'rc', 'nginx', '--replicas=1']);
    await waitFor(async () => tableRows(await lab.ok(['get', 'rc', 'nginx']))[1]!.slice(1, 3).join() === '1,1', { what: 'rc nginx down to 1 replica' });
    await lab.ok(['delete', 'rc', 'nginx']);
  });

  test('an HPA without metrics-server: <unknown> targets, the conditions and events a real one shows', async () => {
    await lab.ok(['create', 'deployment', 'web', '--image=busybox:1.28', '--', 'sleep', '3600']);
    await lab.ok(['apply', '-f', lab.file('hpa.yaml', `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 1
  maxReplicas: 5
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 50
`)]);
    const rows = tableRows(await lab.ok(['get', 'hpa']));
    assert.deepEqual(rows[0], ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    assert.deepEqual(rows[1]!.slice(0, 5), ['web', 'Deployment/web', 'cpu: <unknown>/50%', '1', '5']);
    const described = await waitFor(async () => {
      const out = await lab.ok(['describe', 'hpa', 'web']);
      return /FailedComputeMetricsReplicas/.test(out) && out;
    }, { what: 'the HPA controller failing to get metrics' });
    assert.match(described, /AbleToScale\s+True\s+SucceededGetScale\s+the HPA controller was able to get the target's current scale/);
    assert.match(described, /ScalingActive\s+False\s+FailedGetResourceMetric\s+the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource \(get pods\.metrics\.k8s\.io\)/);
    assert.match(described, /Warning\s+FailedGetResourceMetric\s+.*horizontal-pod-autoscaler\s+failed to get cpu utilization/);
    assert.match(described, /invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu resource metric value/);
    assert.match(described, /Deployment pods:\s+1 current \/ 0 desired/);
    assert.deepEqual(tableRows(await lab.ok(['get', 'hpa']))[1]!.slice(2, 6), ['cpu: <unknown>/50%', '1', '5', '1']);
  });

  test('kubectl autoscale (autoscaling/v1 in kubectl 1.32) on the v2 objects', async () => {
    await lab.ok(['create', 'deployment', 'api', '--image=busybox:1.28', '--', 'sleep', '3600']);
    assert.equal((await lab.ok(['autoscale', 'deployment', 'api', '--cpu-percent=50', '--min=1', '--max=3'])).trim(), 'horizontalpodautoscaler.autoscaling/api autoscaled');
    assert.deepEqual(tableRows(await lab.ok(['get', 'hpa', 'api']))[1]!.slice(0, 5), ['api', 'Deployment/api', 'cpu: <unknown>/50%', '1', '3']);
    const v1 = JSON.parse(await lab.ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'api', '-o', 'json'])) as { apiVersion: string; spec: Record<string, unknown> };
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.deepEqual(v1.spec, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 });
    // without --cpu-percent the v2 default applies: 80%
    await lab.ok(['autoscale', 'deployment', 'web', '--max=2', '--name=web-default']);
    assert.equal(tableRows(await lab.ok(['get', 'hpa', 'web-default']))[1]![2], 'cpu: <unknown>/80%');
    await lab.ok(['delete', 'hpa', 'api', 'web-default']);
  });

  test('kubectl top without metrics-server', async () => {
    const r = await lab.kubectl(['top', 'pods']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: Metrics API not available\n');
  });

  test('a PDB counts the ready pods its selector matches', async () => {
    await lab.ok(['create', 'pdb', 'web', '--selector=app=web', '--min-available=1']);
    await waitFor(async () => {
      const rows = tableRows(await lab.ok(['get', 'pdb', 'web']));
      return rows[1]![3] === '0' && rows;
    }, { what: 'pdb web computed' });
    const status = JSON.parse(await lab.ok(['get', 'pdb', 'web', '-o', 'jsonpath={.status}'])) as Record<string, unknown>;
    assert.equal(status.desiredHealthy, 1);
    assert.equal(status.expectedPods, 1);
    // the one web pod becoming Ready allows no disruption yet (1 healthy, 1 wanted); a second one allows one
    await lab.ok(['scale', 'deployment', 'web', '--replicas=2']);
    const rows = await waitFor(async () => {
      const r = tableRows(await lab.ok(['get', 'pdb']));
      return r[1]![3] === '1' && r;
    }, { what: 'pdb web allowing 1 disruption', timeout: 30_000 });
    assert.deepEqual(rows[0], ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    assert.deepEqual(rows[1]!.slice(0, 4), ['web', '1', 'N/A', '1']);
  });

  test('create, get, describe and delete the other kinds', async () => {
    const created = await lab.ok(['apply', '-f', lab.file('builtins.yaml', MANIFESTS)]);
    assert.equal(created, [
      'networkpolicy.networking.k8s.io/deny-all created', 'ingress.networking.k8s.io/web created', 'ingressclass.networking.k8s.io/nginx created',
      'priorityclass.scheduling.k8s.io/high created', 'runtimeclass.node.k8s.io/gvisor created', 'replicationcontroller/legacy created',
      'podtemplate/tmpl created', 'csidriver.storage.k8s.io/example.csi.k8s.io created',
      'validatingwebhookconfiguration.admissionregistration.k8s.io/policy created', '',
    ].join('\n'));
    assert.deepEqual(tableRows(await lab.ok(['get', 'netpol']))[1]!.slice(0, 2), ['deny-all', '<none>']);
    assert.deepEqual(tableRows(await lab.ok(['get', 'ing']))[1]!.slice(0, 3), ['web', '<none>', 'web.example.com']);
    assert.deepEqual(tableRows(await lab.ok(['get', 'ingressclass']))[1]!.slice(0, 3), ['nginx', 'k8s.io/ingress-nginx', '<none>']);
    assert.deepEqual(tableRows(await lab.ok(['get', 'pc', 'high']))[1]!.slice(0, 3), ['high', '1000000', 'false']);
    assert.deepEqual(tableRows(await lab.ok(['get', 'runtimeclass']))[1]!.slice(0, 2), ['gvisor', 'runsc']);
    assert.deepEqual(tableRows(await lab.ok(['get', 'rc']))[0], ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    assert.deepEqual(tableRows(await lab.ok(['get', 'podtemplates']))[1], ['tmpl', 'c', 'busybox:1.28', 'app=tmpl']);
    assert.deepEqual(tableRows(await lab.ok(['get', 'validatingwebhookconfigurations']))[1]!.slice(0, 2), ['policy', '1']);
    // the apiserver's defaults
    assert.equal(await lab.ok(['get', 'netpol', 'deny-all', '-o', 'jsonpath={.spec.policyTypes}']), '["Ingress"]');
    assert.equal(await lab.ok(['get', 'rc', 'legacy', '-o', 'jsonpath={.spec.selector}']), '{"app":"legacy"}');
    assert.equal(await lab.ok(['get', 'csidriver', 'example.csi.k8s.io', '-o', 'jsonpath={.spec.attachRequired}']), 'true');
    assert.equal(await lab.ok(['get', 'validatingwebhookconfiguration', 'policy', '-o', 'jsonpath={.webhooks[0].failurePolicy}/{.webhooks[0].timeoutSeconds}']), 'Fail/10');
    assert.match(await lab.ok(['describe', 'ingress', 'web']), /web\.example\.com\s+\n?\s*\/\s+web:80/);
    assert.match(await lab.ok(['describe', 'networkpolicy', 'deny-all']), /PodSelector:\s+<none> \(Allowing the specific traffic to all pods in this namespace\)/);
    assert.match(await lab.ok(['describe', 'priorityclass', 'high']), /Value:\s+1000000/);
    // scale of a ReplicationController
    assert.equal((await lab.ok(['scale', 'rc', 'legacy', '--replicas=0'])).trim(), 'replicationcontroller/legacy scaled');
    const deleted = await lab.ok(['delete', '-f', lab.file('builtins.yaml', MANIFESTS)]);
    assert.match(deleted, /networkpolicy.networking.k8s.io "deny-all" deleted/);
    assert.match(deleted, /validatingwebhookconfiguration.admissionregistration.k8s.io "policy" deleted/);
  });

  test('kubectl create ingress, priorityclass, quota (typed clients, protobuf bodies)', async () => {
    assert.equal((await lab.ok(['create', 'ingress', 'simple', '--rule=foo.com/bar=svc1:8080'])).trim(), 'ingress.networking.k8s.io/simple created');
    assert.equal(await lab.ok(['get', 'ing', 'simple', '-o', 'jsonpath={.spec.rules[0].http.paths[0].pathType}/{.spec.rules[0].http.paths[0].backend.service.port.number}']), 'Exact/8080');
    assert.equal((await lab.ok(['create', 'priorityclass', 'batch', '--value=1000', '--description=batch jobs'])).trim(), 'priorityclass.scheduling.k8s.io/batch created');
    assert.equal(await lab.ok(['get', 'pc', 'batch', '-o', 'jsonpath={.value}/{.preemptionPolicy}']), '1000/PreemptLowerPriority');
    const twice = await lab.kubectl(['create', 'priorityclass', 'batch2', '--value=1', '--global-default']);
    assert.equal(twice.code, 0, twice.stderr);
    const third = await lab.kubectl(['create', 'priorityclass', 'batch3', '--value=2', '--global-default']);
    assert.equal(third.code, 1);
    assert.equal(third.stderr, 'error: failed to create priorityclass: priorityclasses.scheduling.k8s.io "batch3" is forbidden: PriorityClass batch2 is already marked as default. Only one default can exist\n');
    assert.equal((await lab.ok(['create', 'quota', 'q', '--hard=pods=10'])).trim(), 'resourcequota/q created');
    await lab.ok(['delete', 'ingress', 'simple']);
    await lab.ok(['delete', 'pc', 'batch', 'batch2']);
    await lab.ok(['delete', 'quota', 'q']);
  });

  test('a ResourceQuota counts what its namespace holds and refuses what would exceed it', async () => {
    await lab.ok(['create', 'namespace', 'quota-test']);
    await lab.ok(['create', 'quota', 'q', '-n', 'quota-test', '--hard=pods=2,requests.cpu=1,limits.memory=1Gi']);
    const empty = await waitFor(async () => {
      const r = tableRows(await lab.ok(['get', 'quota', '-n', 'quota-test']));
      return r[1]?.[2]?.startsWith('pods: 0/2') && r;
    }, { what: 'quota q status' });
    assert.deepEqual(empty[0], ['NAME', 'AGE', 'REQUEST', 'LIMIT']);
    assert.deepEqual([empty[1]![2], empty[1]![3]], ['pods: 0/2, requests.cpu: 0/1', 'limits.memory: 0/1Gi']);
    const bare = await lab.kubectl(['run', 'bare', '-n', 'quota-test', '--image=busybox:1.28']);
    assert.equal(bare.code, 1);
    assert.equal(bare.stderr, 'Error from server (Forbidden): pods "bare" is forbidden: failed quota: q: must specify limits.memory for: bare; requests.cpu for: bare\n');
    const sized = (name: string) => ['run', name, '-n', 'quota-test', '--image=busybox:1.28', '--overrides',
      JSON.stringify({ spec: { containers: [{ name, image: 'busybox:1.28', command: ['sleep', '3600'], resources: { requests: { cpu: '400m' }, limits: { memory: '256Mi' } } }] } })];
    await lab.ok(sized('one'));
    await lab.ok(sized('two'));
    const third = await lab.kubectl(sized('three'));
    assert.equal(third.code, 1);
    assert.equal(third.stderr, 'Error from server (Forbidden): pods "three" is forbidden: exceeded quota: q, requested: pods=1,requests.cpu=400m, used: pods=2,requests.cpu=800m, limited: pods=2,requests.cpu=1\n');
    const full = await waitFor(async () => {
      const r = tableRows(await lab.ok(['get', 'quota', 'q', '-n', 'quota-test']));
      return r[1]?.[2]?.startsWith('pods: 2/2') && r;
    }, { what: 'quota q counting two pods' });
    assert.deepEqual([full[1]![2], full[1]![3]], ['pods: 2/2, requests.cpu: 800m/1', 'limits.memory: 512Mi/1Gi']);
    await lab.ok(['delete', 'namespace', 'quota-test', '--wait=false']);
  });

  test('a LimitRange gives containers its defaults and refuses what exceeds its max', async () => {
    await lab.ok(['create', 'namespace', 'lr-test']);
    await lab.ok(['apply', '-n', 'lr-test', '-f', lab.file('lr.yaml', `apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
spec:
  limits:
  - type: Container
    default:
      cpu: 500m
      memory: 256Mi
    defaultRequest:
      cpu: 100m
    max:
      cpu: "1"
`)]);
    assert.equal(await lab.ok(['get', 'limits', 'defaults', '-n', 'lr-test', '-o', 'jsonpath={.spec.limits[0].defaultRequest}']), '{"cpu":"100m","memory":"256Mi"}');
    assert.deepEqual(tableRows(await lab.ok(['get', 'limits', '-n', 'lr-test']))[0], ['NAME', 'CREATED AT']);
    await lab.ok(['run', 'p', '-n', 'lr-test', '--image=busybox:1.28', '--', 'sleep', '3600']);
    const pod = JSON.parse(await lab.ok(['get', 'pod', 'p', '-n', 'lr-test', '-o', 'json'])) as {
      metadata: { annotations: Record<string, string> };
      spec: { containers: Array<{ resources: unknown }> };
    };
    assert.deepEqual(pod.spec.containers[0]!.resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
    assert.equal(pod.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container p; cpu, memory limit for container p');
    const big = await lab.kubectl(['run', 'big', '-n', 'lr-test', '--image=busybox:1.28', '--overrides',
      JSON.stringify({ spec: { containers: [{ name: 'big', image: 'busybox:1.28', resources: { limits: { cpu: '2' } } }] } })]);
    assert.equal(big.code, 1);
    assert.equal(big.stderr, 'Error from server (Forbidden): pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2\n');
    await lab.ok(['delete', 'namespace', 'lr-test', '--wait=false']);
  });

  test('a pod naming a PriorityClass gets its value; an unknown class is refused', async () => {
    await lab.ok(['apply', '-f', lab.file('crit.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: crit
spec:
  priorityClassName: system-cluster-critical
  containers:
  - name: c
    image: busybox:1.28
    command: ["sleep", "3600"]
`)]);
    assert.equal(await lab.ok(['get', 'pod', 'crit', '-o', 'jsonpath={.spec.priority}/{.spec.preemptionPolicy}']), '2000000000/PreemptLowerPriority');
    const r = await lab.kubectl(['run', 'nope', '--image=busybox:1.28', '--overrides={"spec":{"priorityClassName":"nope"}}']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (Forbidden): pods "nope" is forbidden: no PriorityClass with name nope was found\n');
  });

  test('a TokenReview says whose token it is; a Binding places a pod no scheduler takes', async () => {
    const token = await lab.ok(['config', 'view', '--raw', '-o', 'jsonpath={.users[0].user.token}']);
    const review = lab.file('tr.yaml', `apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  token: ${token}\n`);
    assert.equal(await lab.ok(['create', '-f', review, '-o', 'jsonpath={.status.authenticated}/{.status.user.username}']), 'true/admin');
    const bad = lab.file('tr-bad.yaml', 'apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  token: nope\n');
    assert.equal(await lab.ok(['create', '-f', bad, '-o', 'jsonpath={.status.authenticated}|{.status.error}']), '|[invalid bearer token, token lookup failed]');
    await lab.ok(['apply', '-f', lab.file('manual.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: manual
spec:
  schedulerName: my-scheduler
  containers:
  - name: c
    image: busybox:1.28
    command: ["sleep", "3600"]
`)]);
    assert.equal(await lab.ok(['get', 'pod', 'manual', '-o', 'jsonpath={.spec.nodeName}']), '');
    const node = (await lab.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    await lab.ok(['create', '-f', lab.file('binding.yaml', `apiVersion: v1\nkind: Binding\nmetadata:\n  name: manual\ntarget:\n  apiVersion: v1\n  kind: Node\n  name: ${node}\n`)]);
    assert.equal(await lab.ok(['get', 'pod', 'manual', '-o', 'jsonpath={.spec.nodeName}']), node);
    const again = await lab.kubectl(['create', '-f', lab.file('binding.yaml', `apiVersion: v1\nkind: Binding\nmetadata:\n  name: manual\ntarget:\n  apiVersion: v1\n  kind: Node\n  name: ${node}\n`)]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`Operation cannot be fulfilled on pods/binding "manual": pod manual is already assigned to node "${node}"`));
    await lab.ok(['delete', 'pod', 'manual', '--wait=false']);
  });

  test('componentstatuses: read-only, with the deprecation warning', async () => {
    const r = await lab.kubectl(['get', 'cs']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Warning: v1 ComponentStatus is deprecated in v1.19+\n');
    const rows = tableRows(r.stdout);
    assert.deepEqual(rows[0], ['NAME', 'STATUS', 'MESSAGE', 'ERROR']);
    assert.deepEqual(rows.slice(1).sort(), [['controller-manager', 'Healthy', 'ok'], ['etcd-0', 'Healthy', 'ok'], ['scheduler', 'Healthy', 'ok']]);
    const create = await lab.kubectl(['create', '-f', lab.file('cs.yaml', 'apiVersion: v1\nkind: ComponentStatus\nmetadata:\n  name: mine\n')]);
    assert.equal(create.code, 1);
    assert.match(create.stderr, /the server does not allow this method on the requested resource/);
  });

  test('get all includes HPAs', async () => {
    const out = await lab.ok(['get', 'all']);
    assert.match(out, /horizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web/);
    assert.match(out, /NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/);
  });

  test('explain reads the 1.32 schemas of the new kinds', async () => {
    const out = await lab.ok(['explain', 'pvc.spec.accessModes']);
    assert.match(out, /KIND:\s+PersistentVolumeClaim/);
    assert.match(out, /FIELD: accessModes <\[\]string>/);
    const hpa = await lab.ok(['explain', 'hpa.spec.behavior']);
    assert.match(hpa, /GROUP:\s+autoscaling\n\s*KIND:\s+HorizontalPodAutoscaler\n\s*VERSION:\s+v2/);
  });

  test('one validation error per group, worded as the apiserver words it', async () => {
    const fails = async (yaml: string) => {
      const r = await lab.kubectl(['create', '-f', lab.file('invalid.yaml', yaml)]);
      assert.equal(r.code, 1);
      return r.stderr;
    };
    assert.equal(await fails('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: x\nspec:\n  resources:\n    requests:\n      storage: 1Gi\n'),
      'The PersistentVolumeClaim "x" is invalid: spec.accessModes: Required value: at least 1 access mode is required\n');
    assert.equal(await fails('apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: x\nprovisioner: ""\n'),
      'The StorageClass "x" is invalid: provisioner: Required value\n');
    assert.equal(await fails('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n'),
      'The Ingress "x" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified\n');
    assert.equal(await fails('apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: x\nspec:\n  minAvailable: 1\n  maxUnavailable: 1\n'),
      'The PodDisruptionBudget "x" is invalid: spec: Invalid value: policy.PodDisruptionBudgetSpec{...}: minAvailable and maxUnavailable cannot be both set\n');
    assert.equal(await fails('apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: x\nvalue: 2000000000\n'),
      'The PriorityClass "x" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000\n');
    assert.equal(await fails('apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: x\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: web\n  minReplicas: 3\n  maxReplicas: 2\n'),
      'The HorizontalPodAutoscaler "x" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`\n');
    assert.equal(await fails('apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: x\nhandler: Run_C\n'),
      'The RuntimeClass "x" is invalid: handler: Invalid value: "Run_C": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')\n');
    assert.equal(await fails('apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: x\nspec:\n  request: LS0t\n  signerName: kubernetes.io/kube-apiserver-client\n  expirationSeconds: 60\n'),
      'The CertificateSigningRequest "x" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)\n');
    // server-side field validation reads the shipped schemas for the new kinds too
    const unknown = await lab.kubectl(['apply', '-f', lab.file('unknown.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: x\nspec:\n  podSelector: {}\n  bogus: 1\n')]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown field "spec\.bogus"/);
  });

  // last: it empties the one node
  test('kubectl drain evicts through pods/eviction and stops at the disruption budget', async () => {
    const node = (await lab.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    await waitFor(async () => (await lab.ok(['get', 'pdb', 'web', '-o', 'jsonpath={.status.disruptionsAllowed}'])) === '1', { what: 'pdb web allowing one disruption' });
    const r = await lab.kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=12s'], { timeoutMs: 30_000 });
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, new RegExp(`node/${node} cordoned`));
    assert.match(r.stderr, /error when evicting pods\/"web-[a-z0-9]+-[a-z0-9]{5}" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./);
    // the budget let one of the two web pods go (drain prints "evicted" only once its pod is gone) and held the other
    assert.match(r.stdout, /evicting pod default\/web-/);
    assert.match(r.stdout, /pod\/coredns-[a-z0-9]+-[a-z0-9]{5} evicted/);
    await lab.ok(['uncordon', node]);
  });
});

describe('an Immediate StorageClass on a minikube cluster', () => {
  let lab: Lab;
  before(async () => { lab = await startClusterLab({ profile: 'minikube' }); });
  after(async () => { await lab?.close(); });

  test('minikube\'s standard class binds a claim at once (hostpath)', async () => {
    const sc = tableRows(await lab.ok(['get', 'sc']));
    assert.deepEqual(sc[1]!.slice(0, 5), ['standard (default)', 'k8s.io/minikube-hostpath', 'Delete', 'Immediate', 'false']);
    await lab.ok(['apply', '-f', lab.file('pvc.yaml', PVC('data'))]);
    const rows = await waitFor(async () => {
      const r = tableRows(await lab.ok(['get', 'pvc', 'data']));
      return r[1]![1] === 'Bound' && r;
    }, { what: 'pvc data Bound without a consumer' });
    assert.match(rows[1]![2]!, /^pvc-[0-9a-f-]{36}$/);
    assert.equal(await lab.ok(['get', 'pv', rows[1]![2]!, '-o', 'jsonpath={.spec.hostPath.path}']), '/tmp/hostpath-provisioner/default/data');
  });
});

describe('the chapter\'s kops cluster: its 2017 storage add-on', () => {
  let lab: Lab;
  before(async () => { lab = await startLab(); });
  after(async () => { await lab?.close(); });

  test('gp2 (default) and default, aws-ebs; the system PriorityClasses', async () => {
    const sc = tableRows(await lab.ok(['get', 'sc']));
    assert.deepEqual(sc.slice(1).map((r) => r.slice(0, 4)), [
      ['default', 'kubernetes.io/aws-ebs', 'Delete', 'Immediate'],
      ['gp2 (default)', 'kubernetes.io/aws-ebs', 'Delete', 'Immediate'],
    ]);
    assert.equal((await lab.ok(['get', 'pc', '-o', 'name'])).trim(), 'priorityclass.scheduling.k8s.io/system-cluster-critical\npriorityclass.scheduling.k8s.io/system-node-critical');
  });
});
