// `kubectl get` in every output form against the embedded API (no controllers: only what the
// API itself holds, the chapter's seeded Status Quo plus what the tests write).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { startLab, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

let lab: Lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

const AGE = String.raw`\d+s`;

describe('kubectl get: human tables', () => {
  test('get svc -n kube-system prints the real columns', async () => {
    const out = await lab.ok(['get', 'svc', '-n', 'kube-system']);
    assert.match(out, new RegExp(String.raw`^NAME       TYPE        CLUSTER-IP    EXTERNAL-IP   PORT\(S\)         AGE\nkube-dns   ClusterIP   100\.64\.0\.10   <none>        53/UDP,53/TCP   ${AGE}\n$`));
  });

  test('-o wide adds the priority-1 SELECTOR column', async () => {
    const out = await lab.ok(['get', 'svc', '-n', 'kube-system', '-o', 'wide']);
    assert.match(out, new RegExp(String.raw`^NAME       TYPE        CLUSTER-IP    EXTERNAL-IP   PORT\(S\)         AGE   SELECTOR\nkube-dns   ClusterIP   100\.64\.0\.10   <none>        53/UDP,53/TCP   ${AGE} +k8s-app=kube-dns\n$`));
  });

  test('get deployments: READY x/y, UP-TO-DATE, AVAILABLE', async () => {
    const out = await lab.ok(['get', 'deployments', '-n', 'kube-system']);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[0], 'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE');
    assert.match(lines[2]!, new RegExp(String.raw`^kube-dns              0/2     0            0           ${AGE}$`));
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), ['dns-controller', 'kube-dns', 'kube-dns-autoscaler']);
  });

  test('get nodes -o wide: 3 masters and 5 nodes, Ready, with addresses and runtime', async () => {
    const out = await lab.ok(['get', 'nodes', '-o', 'wide']);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME +STATUS +ROLES +AGE +VERSION +INTERNAL-IP +EXTERNAL-IP +OS-IMAGE +KERNEL-VERSION +CONTAINER-RUNTIME$/);
    assert.equal(lines.length, 9);
    const rows = lines.slice(1).map((l) => l.split(/\s{2,}/));
    assert.deepEqual(rows.map((r) => r[2]).sort(), ['master', 'master', 'master', 'node', 'node', 'node', 'node', 'node']);
    for (const r of rows) {
      assert.equal(r[1], 'Ready');
      assert.match(r[4]!, /^v1\.32\.\d+$/);
      assert.match(r[5]!, /^172\.20\.\d+\.\d+$/);
      assert.equal(r[6], '<none>');
    }
  });

  test('get ns lists the system namespaces as Active', async () => {
    const out = await lab.ok(['get', 'ns']);
    const rows = out.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) assert.ok(rows.includes(`${ns} Active`), `${ns} in ${out}`);
  });

  test('get endpoints and endpointslices show "ip:port" and addresses', async () => {
    const ep = await lab.ok(['get', 'endpoints', 'kubernetes']);
    assert.match(ep, /^NAME +ENDPOINTS +AGE\nkubernetes +172\.20\.44\.17:443,172\.20\.70\.201:443,172\.20\.113\.91:443 +\d+s\n$/);
    const eps = await lab.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=kubernetes']);
    assert.match(eps, /^NAME +ADDRESSTYPE +PORTS +ENDPOINTS +AGE\nkubernetes +IPv4 +443 +172\.20\.44\.17,172\.20\.70\.201,172\.20\.113\.91 +\d+s\n$/);
  });

  test('get clusterroles prints CREATED AT as a timestamp, not an age', async () => {
    const out = await lab.ok(['get', 'clusterroles']);
    assert.match(out, /^NAME +CREATED AT\n/);
    assert.match(out, /\nkube-dns-autoscaler +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/);
  });

  test('get clusterrolebindings -o wide shows USERS and SERVICEACCOUNTS', async () => {
    const out = await lab.ok(['get', 'clusterrolebindings', '-o', 'wide']);
    assert.match(out, /^NAME +ROLE +AGE +USERS +GROUPS +SERVICEACCOUNTS\n/);
    assert.match(out, /\nkops:dns-controller +ClusterRole\/kops:dns-controller +\d+s +system:serviceaccount:kube-system:dns-controller *\n/);
    assert.match(out, /\nkube-dns-autoscaler +ClusterRole\/kube-dns-autoscaler +\d+s +kube-system:kube-dns-autoscaler\n/);
  });

  test('get configmaps counts DATA, serviceaccounts count SECRETS', async () => {
    assert.match(await lab.ok(['get', 'cm', '-n', 'kube-system']), /\nkube-dns-autoscaler +1 +\d+s\n/);
    assert.match(await lab.ok(['get', 'sa', 'kube-dns', '-n', 'kube-system']), /^NAME +SECRETS +AGE\nkube-dns +0 +\d+s\n$/);
  });

  test('an empty list says so on stderr', async () => {
    const r = await lab.kubectl(['get', 'pods', '-n', 'kube-public']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'No resources found in kube-public namespace.\n');
  });

  test('get all -n kube-system lists every "all" category kind that has objects', async () => {
    const out = await lab.ok(['get', 'all', '-n', 'kube-system']);
    // the only pods of an API without kubelets are the seeded mirror pods of kops's static pods
    assert.match(out, /^NAME +READY +STATUS +RESTARTS +AGE\npod\/etcd-manager-events-ip-172-20-/);
    assert.match(out, /\n\nNAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nservice\/kube-dns +ClusterIP +100\.64\.0\.10 /);
    assert.match(out, /\n\nNAME +READY +UP-TO-DATE +AVAILABLE +AGE\ndeployment\.apps\/dns-controller +0\/1 /);
  });
});

describe('kubectl get: every kind prints its own columns through the API', () => {
  const objects = `apiVersion: v1
kind: Secret
metadata: {name: s1}
type: Opaque
data: {a: YQ==, b: Yg==}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: default, namespace: default}
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: leader}
spec: {holderIdentity: node-a}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      containers: [{name: agent, image: busybox:1.28}]
---
apiVersion: v1
kind: Event
metadata: {name: agent.1}
involvedObject: {kind: DaemonSet, name: agent, namespace: default}
reason: Testing
message: a hand-made event
type: Normal
count: 3
firstTimestamp: "2026-01-01T00:00:00Z"
lastTimestamp: "2026-01-01T00:00:00Z"
source: {component: lab}
`;
  before(async () => { await lab.ok(['create', '-f', lab.file('kinds.yaml', objects)]); });

  const rows: Array<[string, string[], RegExp]> = [
    ['secret', ['get', 'secret', 's1'], /^NAME +TYPE +DATA +AGE\ns1 +Opaque +2 +\d+s\n$/],
    ['role', ['get', 'role', 'reader'], /^NAME +CREATED AT\nreader +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/],
    ['rolebinding -o wide', ['get', 'rolebinding', 'read-pods', '-o', 'wide'], /^NAME +ROLE +AGE +USERS +GROUPS +SERVICEACCOUNTS\nread-pods +Role\/reader +\d+s +alice +default:default\n$/],
    ['lease', ['get', 'lease', 'leader'], /^NAME +HOLDER +AGE\nleader +node-a +\d+s\n$/],
    ['daemonset -o wide', ['get', 'ds', 'agent', '-o', 'wide'], /^NAME +DESIRED +CURRENT +READY +UP-TO-DATE +AVAILABLE +NODE SELECTOR +AGE +CONTAINERS +IMAGES +SELECTOR\nagent +0 +0 +0 +0 +0 +kubernetes\.io\/os=linux +\d+s +agent +busybox:1\.28 +app=agent\n$/],
    ['event', ['get', 'events', '--field-selector', 'reason=Testing'], /^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE\n\d+d +Normal +Testing +daemonset\/agent +a hand-made event\n$/],
    ['event -o wide', ['get', 'events', '--field-selector', 'reason=Testing', '-o', 'wide'], /^LAST SEEN +TYPE +REASON +OBJECT +SUBOBJECT +SOURCE +MESSAGE +FIRST SEEN +COUNT +NAME\n\d+d +Normal +Testing +daemonset\/agent +lab +a hand-made event +\d+d +3 +agent\.1\n$/],
  ];
  for (const [name, args, want] of rows) test(name, async () => assert.match(await lab.ok(args), want));
});

describe('kubectl get: selectors, all namespaces, labels', () => {
  test('-A adds the NAMESPACE column', async () => {
    const out = await lab.ok(['get', 'svc', '-A']);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAMESPACE +NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE$/);
    assert.match(lines[1]!, /^default +kubernetes +ClusterIP +100\.64\.0\.1 +<none> +443\/TCP +\d+s$/);
    assert.match(lines[2]!, /^kube-system +kube-dns +ClusterIP +100\.64\.0\.10 +<none> +53\/UDP,53\/TCP +\d+s$/);
  });

  test('-l filters by label on the server', async () => {
    const out = await lab.ok(['get', 'deploy', '-A', '-l', 'k8s-app=kube-dns', '-o', 'name']);
    assert.equal(out, 'deployment.apps/kube-dns\n');
    const none = await lab.kubectl(['get', 'deploy', '-n', 'kube-system', '-l', 'k8s-app=nothing']);
    assert.equal(none.stderr, 'No resources found in kube-system namespace.\n');
  });

  test('-l with set-based and negated requirements', async () => {
    const out = await lab.ok(['get', 'deploy', '-n', 'kube-system', '-l', 'k8s-app in (kube-dns,dns-controller),k8s-app!=dns-controller', '-o', 'name']);
    assert.equal(out, 'deployment.apps/kube-dns\n');
  });

  test('--field-selector metadata.name', async () => {
    assert.equal(await lab.ok(['get', 'sa', '-n', 'kube-system', '--field-selector', 'metadata.name=kube-proxy', '-o', 'name']), 'serviceaccount/kube-proxy\n');
  });

  test('--show-labels appends LABELS from the row metadata', async () => {
    const out = await lab.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '--show-labels']);
    assert.match(out, /^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE +LABELS\n/);
    assert.match(out, /\d+s +k8s-addon=kube-dns\.addons\.k8s\.io,k8s-app=kube-dns,kubernetes\.io\/cluster-service=true,kubernetes\.io\/name=KubeDNS\n$/);
  });

  test('-L adds one column per label key', async () => {
    const out = await lab.ok(['get', 'deploy', 'kube-dns', '-n', 'kube-system', '-L', 'k8s-app']);
    assert.match(out, /^NAME +READY +UP-TO-DATE +AVAILABLE +AGE +K8S-APP\nkube-dns +0\/2 +0 +0 +\d+s +kube-dns\n$/);
  });
});

describe('kubectl get: machine output forms', () => {
  test('-o yaml is the full object', async () => {
    const svc = parseYaml(await lab.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'yaml']));
    assert.equal(svc.apiVersion, 'v1');
    assert.equal(svc.kind, 'Service');
    assert.equal(svc.spec.clusterIP, '100.64.0.10');
    assert.deepEqual(svc.spec.selector, { 'k8s-app': 'kube-dns' });
    assert.match(svc.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(svc.metadata.resourceVersion, /^\d+$/);
    assert.ok(svc.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], 'seeded by apply');
  });

  test('-o json of a list is a v1 List with typed items', async () => {
    const list = JSON.parse(await lab.ok(['get', 'deploy', '-n', 'kube-system', '-o', 'json']));
    assert.equal(list.kind, 'List');
    assert.equal(list.items.length, 3);
    for (const d of list.items) {
      assert.equal(d.apiVersion, 'apps/v1');
      assert.equal(d.kind, 'Deployment');
      assert.equal(typeof d.metadata.generation, 'number');
    }
  });

  test('-o jsonpath prints the field with no newline', async () => {
    assert.equal(await lab.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.spec.clusterIP}']), '100.64.0.10');
    assert.equal(
      await lab.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={range .spec.ports[*]}{.name}/{.protocol} {end}']),
      'dns/UDP dns-tcp/TCP ',
    );
  });

  test('-o name', async () => {
    assert.equal(await lab.ok(['get', 'svc', '-A', '-o', 'name']), 'service/kubernetes\nservice/kube-dns\n');
  });

  test('-o custom-columns', async () => {
    const out = await lab.ok(['get', 'svc', '-A', '-o', 'custom-columns=NS:.metadata.namespace,NAME:.metadata.name,IP:.spec.clusterIP']);
    assert.equal(out, 'NS            NAME         IP\ndefault       kubernetes   100.64.0.1\nkube-system   kube-dns     100.64.0.10\n');
  });

  test('-o yaml hides managedFields unless --show-managed-fields', async () => {
    const plain = await lab.ok(['get', 'deploy', 'kube-dns', '-n', 'kube-system', '-o', 'yaml']);
    assert.ok(!plain.includes('managedFields'));
    const shown = parseYaml(await lab.ok(['get', 'deploy', 'kube-dns', '-n', 'kube-system', '-o', 'yaml', '--show-managed-fields']));
    assert.ok(shown.metadata.managedFields.some((m: { manager: string }) => m.manager === 'kubectl-client-side-apply'));
  });

  test('--chunk-size pages through limit/continue and still lists everything', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) await lab.ok(['create', '-f', lab.file(`${n}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n  namespace: kube-public\n`)]);
    assert.equal(await lab.ok(['get', 'cm', '-n', 'kube-public', '--chunk-size=1', '-o', 'name']), 'configmap/page-a\nconfigmap/page-b\nconfigmap/page-c\n');
    const table = await lab.ok(['get', 'cm', '-n', 'kube-public', '--chunk-size=2']);
    assert.match(table, /^NAME +DATA +AGE\npage-a +0 +\d+s\npage-b +0 +\d+s\npage-c +0 +\d+s\n$/);
  });

  test('--no-headers and --sort-by', async () => {
    const out = await lab.ok(['get', 'deploy', '-n', 'kube-system', '--no-headers', '--sort-by', '{.spec.replicas}', '-o', 'custom-columns=N:.metadata.name,R:.spec.replicas']);
    assert.match(out, /^(dns-controller|kube-dns-autoscaler) +1\n(dns-controller|kube-dns-autoscaler) +1\nkube-dns +2\n$/);
  });
});

describe('kubectl get -w', () => {
  test('a watch prints new rows as objects are created and changed', async () => {
    const watching = lab.nextRequest(/^GET \/api\/v1\/namespaces\/default\/configmaps\?.*watch=true/, 'the watch of kubectl get -w');
    const child = lab.spawnKubectl(['get', 'configmaps', '-n', 'default', '-w']);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const seen = (re: RegExp) => waitFor(() => re.test(out), { what: `${re} in the watch output`, show: () => out });
    try {
      // an empty namespace prints nothing until the first event: the watch request is the sign it is open
      await watching;
      const manifest = lab.file('watched.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\ndata:\n  a: "1"\n');
      const created = await lab.kubectl(['create', '-f', manifest]);
      assert.equal(created.stdout, 'configmap/watched created\n', created.stderr);
      await seen(/(^|\n)NAME +DATA +AGE\n(.*\n)*watched +1 +\d+s\n/);
      await lab.kubectl(['patch', 'configmap', 'watched', '--type=merge', '-p', '{"data":{"b":"2"}}']);
      await seen(/\nwatched +2 +\d+s\n/);
      await lab.kubectl(['delete', 'configmap', 'watched']);
      // a deletion is one more row with the object's last state
      await seen(/\nwatched +2 +\d+s\n(.*\n)*watched +2 +\d+s\n/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('kubectl get pods -w: STATUS as the kubelet moves a pod along', () => {
  test('Pending, ContainerCreating, Running, then Terminating', async () => {
    // bound to a node at creation, so its deletion is graceful and waits for a kubelet that is not there
    await lab.ok(['create', '-f', lab.file('walker.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: walker\nspec:\n  nodeName: ip-172-20-58-230.eu-central-1.compute.internal\n  containers:\n  - name: walker\n    image: busybox:1.28\n')]);
    const watching = lab.nextRequest(/^GET \/api\/v1\/namespaces\/default\/pods\?.*watch=true/, 'the watch of kubectl get pods walker -w');
    const child = lab.spawnKubectl(['get', 'pods', 'walker', '-w']);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const seen = (re: RegExp) => waitFor(() => re.test(out), { what: `${re} in the watch output`, show: () => out });
    // the kubelet's writes, made here through the store's status subresource
    const setStatus = (status: Record<string, unknown>) =>
      lab.store.mutate('pods', 'default', 'walker', (p) => ({ ...p, status: { ...(p.status as object), ...status } }), { status: true });
    try {
      await seen(/^NAME +READY +STATUS +RESTARTS +AGE\nwalker +0\/1 +Pending +0 +\d+s\n/);
      // the row comes from kubectl's GET; the kubelet's writes go to its watch, once it is open
      await watching;
      setStatus({ containerStatuses: [{ name: 'walker', ready: false, restartCount: 0, image: 'busybox:1.28', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] });
      await seen(/\nwalker +0\/1 +ContainerCreating +0 +\d+s\n/);
      setStatus({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'walker', ready: true, started: true, restartCount: 0, image: 'busybox:1.28', imageID: '', state: { running: { startedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } }],
      });
      await seen(/\nwalker +1\/1 +Running +0 +\d+s\n/);
      await lab.ok(['delete', 'pod', 'walker', '--wait=false']);
      await seen(/\nwalker +1\/1 +Terminating +0 +\d+s\n/);
      lab.store.finalizeDelete('pods', 'default', 'walker');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
