// kubectl against the whole embedded cluster (API + controllers + kubelet + pod runtimes):
// the commands whose output depends on the cluster acting on what the API stores, such as
// rollout status, the wait after delete, exec, logs, and run --rm.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterLab, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

let lab: Lab;
before(async () => { lab = await startClusterLab(); });
after(async () => { await lab?.close(); });

const deployment = (name: string, replicas: number, command: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: bb
        image: busybox:1.28
        command: ["sh", "-c", ${JSON.stringify(command)}]
`;

describe('the Status Quo comes up', () => {
  test('wait --for=condition=Available on kube-dns', async () => {
    assert.equal(await lab.ok(['wait', '--for=condition=Available', 'deploy/kube-dns', '-n', 'kube-system', '--timeout=30s'], { timeoutMs: 40000 }), 'deployment.apps/kube-dns condition met\n');
  });

  test('rollout status of kube-dns', async () => {
    assert.equal(await lab.ok(['rollout', 'status', 'deploy/kube-dns', '-n', 'kube-system', '--timeout=30s']), 'deployment "kube-dns" successfully rolled out\n');
  });

  test('get pods: kube-dns pods 3/3 Running with pod IPs from the node CIDRs', async () => {
    const out = await lab.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'wide']);
    const rows = out.trimEnd().split('\n').slice(1).map((l) => l.split(/\s{2,}/));
    assert.equal(rows.length, 2);
    for (const r of rows) {
      assert.match(r[0]!, /^kube-dns-[a-z0-9]+-[a-z0-9]{5}$/);
      assert.deepEqual(r.slice(1, 4), ['3/3', 'Running', '0']);
      assert.match(r[5]!, /^100\.(9[6-9]|1[01]\d|12[0-7])\.\d+\.\d+$/);
      assert.match(r[6]!, /^ip-172-20-\d+-\d+\.eu-central-1\.compute\.internal$/);
    }
  });

  test('the kube-dns Endpoints list the pod IPs on 53', async () => {
    const out = await lab.ok(['get', 'endpoints', 'kube-dns', '-n', 'kube-system']);
    assert.match(out, /^NAME +ENDPOINTS +AGE\nkube-dns +100\.\d+\.\d+\.\d+:53,100\.\d+\.\d+\.\d+:53,100\.\d+\.\d+\.\d+:53 \+ 1 more\.\.\. +\d+s\n$/);
  });

  test('describe svc kube-dns: Endpoints from the controller-made EndpointSlices', async () => {
    const out = await lab.ok(['describe', 'svc', 'kube-dns', '-n', 'kube-system']);
    const lines = out.split('\n').filter((l) => l.startsWith('Endpoints:'));
    assert.equal(lines.length, 2);
    for (const l of lines) assert.match(l, /^Endpoints: +100\.\d+\.\d+\.\d+:53,100\.\d+\.\d+\.\d+:53$/);
  });
});

describe('a deployment of our own', () => {
  test('create, then rollout status waits until the pods are available', async () => {
    assert.equal(await lab.ok(['create', '-f', lab.file('web.yaml', deployment('web', 2, 'echo started; sleep 3600'))]), 'deployment.apps/web created\n');
    const out = await lab.ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], { timeoutMs: 40000 });
    assert.match(out, /deployment "web" successfully rolled out\n$/);
    const pods = await lab.ok(['get', 'pods', '-l', 'app=web', '--no-headers']);
    assert.equal(pods.trimEnd().split('\n').length, 2);
    for (const l of pods.trimEnd().split('\n')) assert.match(l, /^web-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running +0 +\d+s$/);
  });

  test('logs of a pod, of a deployment, by label', async () => {
    const pod = (await lab.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']));
    assert.equal(await lab.ok(['logs', pod]), 'started\n');
    assert.equal(await lab.ok(['logs', 'deploy/web']), 'started\n');
    assert.equal(await lab.ok(['logs', '-l', 'app=web']), 'started\nstarted\n');
  });

  test('logs -f follows until the container exits', async () => {
    await lab.ok(['run', 'counter', '--image=busybox:1.28', '--restart=Never', '--', 'sh', '-c', 'echo one; sleep 4; echo two']);
    // polled rather than `kubectl wait` for Running: on a loaded machine the pod can finish
    // before a wait's watch starts, and then the wait never ends
    const phase = () => lab.ok(['get', 'pod', 'counter', '-o', 'jsonpath={.status.phase}']);
    await waitFor(async () => ['Running', 'Succeeded'].includes(await phase()), { what: 'counter running', timeout: 30_000 });
    assert.equal(await lab.ok(['logs', '-f', 'counter']), 'one\ntwo\n');
  });

  test('rollout restart, status, history: a second ReplicaSet takes over', async () => {
    assert.equal(await lab.ok(['rollout', 'restart', 'deployment/web']), 'deployment.apps/web restarted\n');
    assert.match(await lab.ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], { timeoutMs: 40000 }), /deployment "web" successfully rolled out\n$/);
    assert.equal(await lab.ok(['rollout', 'history', 'deployment/web']), 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    const rs = (await lab.ok(['get', 'rs', '-l', 'app=web', '--no-headers'])).trimEnd().split('\n').map((l) => l.split(/\s+/).slice(1, 4).join(' ')).sort();
    assert.deepEqual(rs, ['0 0 0', '2 2 2']);
  });

  test('describe deploy names the old and new ReplicaSets and the conditions', async () => {
    const out = await lab.ok(['describe', 'deployment', 'web']);
    assert.match(out, /\nReplicas: +2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable\n/);
    assert.match(out, /\nConditions:\n  Type +Status +Reason\n  ---- +------ +------\n  Available +True +MinimumReplicasAvailable\n  Progressing +True +NewReplicaSetAvailable\n/);
    assert.match(out, /\nOldReplicaSets: +web-[a-z0-9]+ \(0\/0 replicas created\)\nNewReplicaSet: +web-[a-z0-9]+ \(2\/2 replicas created\)\n/);
  });

  test('scale up: the new pod shows up in get pods -w as it starts', async () => {
    const child = lab.spawnKubectl(['get', 'pods', '-l', 'app=web', '-w']);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => /\n.*Running/.test(out), { what: 'the watch to list the running pods', show: () => out });
      const before = new Set(out.split('\n').map((l) => l.split(/\s+/)[0]));
      assert.equal(await lab.ok(['scale', 'deployment/web', '--replicas=3']), 'deployment.apps/web scaled\n');
      const fresh = () => out.split('\n').filter((l) => l && !before.has(l.split(/\s+/)[0]));
      await waitFor(() => fresh().some((l) => /^web-\S+ +1\/1 +Running /.test(l)), { what: 'the new pod Running in the watch', timeout: 20_000, show: () => out });
      assert.match(fresh()[0]!, /^web-\S+ +0\/1 +(Pending|ContainerCreating) /, 'first seen before it runs');
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('delete pod waits for the graceful stop, then the ReplicaSet replaces it', async () => {
    // settle first, so the pod picked is not one a scale or rollout is already removing
    await lab.ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], { timeoutMs: 40000 });
    const listed = JSON.parse(await lab.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as { items: Array<{ metadata: { name: string; deletionTimestamp?: string } }> };
    // a pod of an earlier ReplicaSet may still be terminating (phase Running): pick a live one
    const pod = listed.items.find((p) => !p.metadata.deletionTimestamp)!.metadata.name;
    assert.equal(await lab.ok(['delete', 'pod', pod]), `pod "${pod}" deleted\n`);
    const r = await lab.kubectl(['get', 'pod', pod]);
    assert.equal(r.stderr, `Error from server (NotFound): pods "${pod}" not found\n`);
    assert.match(await lab.ok(['rollout', 'status', 'deployment/web', '--timeout=30s'], { timeoutMs: 40000 }), /successfully rolled out\n$/);
    assert.equal((await lab.ok(['get', 'pods', '-l', 'app=web', '-o', 'name'])).trimEnd().split('\n').length, 3);
  });

  test('delete deployment: its ReplicaSets and pods are garbage-collected', async () => {
    assert.equal(await lab.ok(['delete', 'deployment', 'web']), 'deployment.apps "web" deleted\n');
    await waitFor(async () => {
      const r = await lab.kubectl(['get', 'rs,pods', '-l', 'app=web']);
      if (r.stderr !== 'No resources found in default namespace.\n') throw new Error(`still there:\n${r.stdout}`);
      return true;
    }, { what: 'the ReplicaSets and pods of web to be gone', timeout: 20_000 });
  });
});

describe('deletion propagation', () => {
  test('--cascade=orphan leaves the ReplicaSet and its pods behind', async () => {
    await lab.ok(['create', '-f', lab.file('orphan.yaml', deployment('orphan', 1, 'sleep 3600'))]);
    await lab.ok(['rollout', 'status', 'deployment/orphan', '--timeout=30s'], { timeoutMs: 40000 });
    assert.equal(await lab.ok(['delete', 'deployment', 'orphan', '--cascade=orphan']), 'deployment.apps "orphan" deleted\n');
    const rs = await lab.ok(['get', 'rs', '-l', 'app=orphan', '-o', 'jsonpath={.items[*].metadata.ownerReferences}']);
    assert.equal(rs, '', 'the orphaned ReplicaSet lost its owner reference');
    assert.match(await lab.ok(['get', 'rs', '-l', 'app=orphan', '--no-headers']), /^orphan-[a-z0-9]+ +1 +1 +1 +\d+s\n$/);
    assert.match(await lab.ok(['get', 'pods', '-l', 'app=orphan', '--no-headers']), /^orphan-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running /);
  });

  test('--cascade=foreground deletes the dependents first', async () => {
    const name = await lab.ok(['get', 'rs', '-l', 'app=orphan', '-o', 'jsonpath={.items[0].metadata.name}']);
    assert.equal(await lab.ok(['delete', 'rs', name, '--cascade=foreground']), `replicaset.apps "${name}" deleted\n`);
    const r = await lab.kubectl(['get', 'rs,pods', '-l', 'app=orphan']);
    assert.equal(r.stderr, 'No resources found in default namespace.\n');
  });
});

describe('exec and run against pods', () => {
  test('exec -- cat /etc/resolv.conf shows the cluster DNS', async () => {
    await lab.ok(['run', 'busybox', '--image=busybox:1.28', '--restart=Never', '--overrides={"spec":{"terminationGracePeriodSeconds":1}}', '--', 'sleep', '3600']);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/busybox', '--timeout=20s'], { timeoutMs: 30000 });
    assert.equal(
      await lab.ok(['exec', 'busybox', '--', 'cat', '/etc/resolv.conf']),
      'nameserver 100.64.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local eu-central-1.compute.internal\noptions ndots:5\n',
    );
  });

  test('exec without -- is refused by kubectl 1.32 before any request', async () => {
    const r = await lab.kubectl(['exec', 'busybox', 'cat', '/etc/resolv.conf']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n");
  });

  test('exec passes the exit code through', async () => {
    const r = await lab.kubectl(['exec', 'busybox', '--', 'sh', '-c', 'exit 3']);
    assert.equal(r.code, 3);
    assert.equal(r.stderr, 'command terminated with exit code 3\n');
  });

  test("the chapter's nslookup from a pod resolves kubernetes.default", async () => {
    assert.equal(
      await lab.ok(['exec', 'busybox', '--', 'nslookup', 'kubernetes.default']),
      'Server:    100.64.0.10\nAddress 1: 100.64.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 100.64.0.1 kubernetes.default.svc.cluster.local\n',
    );
  });

  test('exec -ti in a terminal: an interactive shell, its prompt, its exit', async () => {
    const term = lab.terminal(['exec', '-ti', 'busybox', '--', 'sh']);
    try {
      await term.shows(/# $/);
      term.write('echo hello from $HOSTNAME\r');
      await term.shows(/\r\nhello from busybox\r\n/);
      term.write('exit 0\r');
      assert.equal(await term.exited, 0);
    } finally {
      term.kill();
    }
  });

  test('get pods -A -o name lists pods of every namespace', async () => {
    const names = (await lab.ok(['get', 'pods', '-A', '-o', 'name'])).trimEnd().split('\n');
    assert.ok(names.includes('pod/busybox'));
    assert.equal(names.filter((n) => n.startsWith('pod/kube-dns-') && !n.startsWith('pod/kube-dns-autoscaler-')).length, 2);
  });

  test('run -i --rm: attach, print, delete the pod', async () => {
    const r = await lab.kubectl(['run', '-i', '--rm', 'dnstest', '--image=busybox:1.28', '--restart=Never', '--', 'nslookup', 'kubernetes.default'], { timeoutMs: 40000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Server:    100.64.0.10\nAddress 1: 100.64.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 100.64.0.1 kubernetes.default.svc.cluster.local\npod "dnstest" deleted\n');
  });
});
