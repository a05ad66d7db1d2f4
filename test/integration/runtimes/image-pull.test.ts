// An image outside the lab's catalogue fails to pull as a real kubelet reports it
// (pkg/kubelet/images/image_manager.go EnsureImageExists, and the `Error: ...` event of
// pkg/kubelet/kuberuntime/kuberuntime_container.go startContainer), through the real kubectl.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startClusterLab, type Lab } from '../kubectl/harness.ts';
import { waitFor } from '../../support/wait.ts';
import { IMAGE_CATALOGUE, catalogueEntry } from '../../../sandbox/cluster/runtimes/index.ts';
import { pullError } from '../../../sandbox/cluster/runtimes/image-kind.ts';

let lab: Lab;
before(async () => { lab = await startClusterLab(); });
after(async () => { await lab?.close(); });

const waitingReason = async (pod: string) =>
  (await lab.kubectl(['get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.reason}'])).stdout;

describe('image catalogue', () => {
  test('the chapter, kops and kube-dns images are in it; typos are not', () => {
    for (const image of ['busybox:1.28', 'busybox', 'coredns/coredns:1.11.3', 'coredns-lab/dns-server:1.11.3', 'registry.k8s.io/coredns/coredns:v1.11.3',
      'gcr.io/google_containers/k8s-dns-kube-dns-amd64:1.14.5', 'gcr.io/google_containers/k8s-dns-dnsmasq-nanny-amd64:1.14.5',
      'gcr.io/google_containers/k8s-dns-sidecar-amd64:1.14.5', 'gcr.io/google_containers/cluster-proportional-autoscaler-amd64:1.1.2-r2',
      'kope/dns-controller:1.7.1', 'nginx', 'docker.io/library/nginx:1.25', 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3',
      'curlimages/curl', 'alpine:3.20', 'registry.k8s.io/pause:3.9', 'registry.k8s.io/e2e-test-images/agnhost:2.40',
      'registry.k8s.io/goproxy:0.1']) assert.ok(catalogueEntry(image), image);
    for (const image of ['busybx:1.28', 'x', 'ngnix', 'example.com/team/app:1']) assert.equal(catalogueEntry(image), undefined, image);
    const readme = readFileSync(new URL('../../../sandbox/README.md', import.meta.url), 'utf8');
    for (const e of IMAGE_CATALOGUE) assert.ok(readme.includes(`\`${e.repository.replace(/-amd64$/, '')}\``), `sandbox/README.md lists ${e.repository}`);
  });

  test('an unknown image: ErrImagePull, then ImagePullBackOff, with the kubelet events', async () => {
    await lab.ok(['run', 'typo', '--image=busybx:1.28', '--restart=Never', '--', 'sleep', '3600']);
    await waitFor(async () => ['ErrImagePull', 'ImagePullBackOff'].includes(await waitingReason('typo')), { what: 'ErrImagePull', timeout: 20_000 });
    await waitFor(async () => (await waitingReason('typo')) === 'ImagePullBackOff', { what: 'ImagePullBackOff', timeout: 20_000 });
    const get = await lab.ok(['get', 'pod', 'typo']);
    assert.match(get, /typo\s+0\/1\s+ImagePullBackOff\s+0\s+/);
    const message = (await lab.ok(['get', 'pod', 'typo', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}']));
    const denied = "pull access denied for busybx, repository does not exist or may require 'docker login': denied: requested access to the resource is denied";
    assert.equal(message, `Back-off pulling image "busybx:1.28": ErrImagePull: rpc error: code = Unknown desc = Error response from daemon: ${denied}`);
    const describe = await lab.ok(['describe', 'pod', 'typo']);
    assert.match(describe, /Status:\s+Pending/);
    assert.match(describe, /State:\s+Waiting\n\s+Reason:\s+ImagePullBackOff/);
    assert.match(describe, /Normal\s+Pulling\s+.*kubelet\s+Pulling image "busybx:1.28"/);
    assert.ok(describe.includes(`Failed to pull image "busybx:1.28": rpc error: code = Unknown desc = Error response from daemon: ${denied}`), describe);
    assert.match(describe, /Warning\s+Failed\s+.*kubelet\s+Error: ErrImagePull/);
    assert.match(describe, /Normal\s+BackOff\s+.*kubelet\s+Back-off pulling image "busybx:1.28"/);
    assert.match(describe, /Warning\s+Failed\s+.*kubelet\s+Error: ImagePullBackOff/);
    assert.doesNotMatch(describe, /Successfully pulled/);
  });

  test('imagePullPolicy Never with an image the node lacks: ErrImageNeverPull', async () => {
    await lab.ok(['run', 'never', '--image=no/such:1', '--image-pull-policy=Never', '--restart=Never']);
    await waitFor(async () => (await waitingReason('never')) === 'ErrImageNeverPull', { what: 'ErrImageNeverPull', timeout: 20_000 });
    const describe = await lab.ok(['describe', 'pod', 'never']);
    assert.match(describe, /Warning\s+ErrImageNeverPull\s+.*kubelet\s+Container image "no\/such:1" is not present with pull policy of Never/);
  });

  test('a catalogue image runs', async () => {
    await lab.ok(['run', 'web', '--image=nginx:1.25']);
    await waitFor(async () => (await lab.kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', { what: 'nginx Running', timeout: 20_000 });
  });
});

describe('image pulls on kind (containerd)', () => {
  let kind: Lab;
  before(async () => { kind = await startClusterLab({ profile: 'kind' }); });
  after(async () => { await kind?.close(); });

  // containerd resolves the fully qualified reference; Docker Hub refuses the anonymous token for a
  // repository that does not exist (published kind transcripts: "failed to resolve reference ... insufficient_scope")
  const denied = (ref: string) => `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ` +
    'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed';

  test("the kubelet's event carries containerd's words, with the reference qualified", async () => {
    await kind.ok(['run', 'typo', '--image=nosuchimage', '--restart=Never']);
    await waitFor(async () => ['ErrImagePull', 'ImagePullBackOff'].includes((await kind.kubectl(['get', 'pod', 'typo', '-o',
      'jsonpath={.status.containerStatuses[0].state.waiting.reason}'])).stdout), { what: 'ErrImagePull', timeout: 20_000 });
    const describe = await kind.ok(['describe', 'pod', 'typo']);
    assert.ok(describe.includes(`Failed to pull image "nosuchimage": ${denied('docker.io/library/nosuchimage:latest')}`), describe);
    assert.doesNotMatch(describe, /Error response from daemon/);
  });

  test('references as containerd qualifies them; Docker keeps the name as given', () => {
    assert.equal(pullError('poroko/flask-app-demo', 'containerd'), denied('docker.io/poroko/flask-app-demo:latest'));
    assert.equal(pullError('busybx:1.28', 'containerd'), denied('docker.io/library/busybx:1.28'));
    assert.equal(pullError('example.com/team/app:1', 'containerd'), denied('example.com/team/app:1'));
    assert.equal(pullError('localhost:5000/app', 'containerd'), denied('localhost:5000/app:latest'));
    assert.match(pullError('busybx:1.28', 'docker') ?? '', /Error response from daemon: pull access denied for busybx, /);
    assert.equal(pullError('busybox:1.28', 'containerd'), undefined);
  });
});

describe('nginx', () => {
  test('serves the welcome page on the pod IP port 80 and logs the request in the image format', async () => {
    await waitFor(async () => (await lab.kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', { what: 'nginx Running', timeout: 20_000 });
    const ip = (await lab.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']));
    await lab.ok(['run', 'client', '--image=busybox:1.28', '--', 'sleep', '3600']);
    await waitFor(async () => (await lab.kubectl(['get', 'pod', 'client', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', { what: 'client Running', timeout: 20_000 });
    const page = await lab.ok(['exec', 'client', '--', 'wget', '-q', '-O', '-', `http://${ip}/`]);
    assert.match(page, /<title>Welcome to nginx!<\/title>/);
    const logs = await lab.ok(['logs', 'web']);
    assert.match(logs, /\[notice\] 1#1: nginx\/1\.25\.5/);
    // the client is the busybox pod, as nginx sees it on a real cluster
    const client = (await lab.ok(['get', 'pod', 'client', '-o', 'jsonpath={.status.podIP}'])).replace(/\./g, '\\.');
    assert.match(logs, new RegExp(`^${client} - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] "GET / HTTP/1\\.1" 200 615 "-" "Wget" "-"$`, 'm'));
  });
});

describe('probes', () => {
  test('a failing readiness probe keeps the pod unready with Unhealthy events; a failing liveness probe restarts it', async () => {
    const manifest = lab.file('probed.yaml', `apiVersion: v1
kind: Pod
metadata: {name: probed, labels: {app: probed}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: nginx:1.25
    readinessProbe: {httpGet: {path: /nope, port: 80}, periodSeconds: 1}
    livenessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1, failureThreshold: 2}
  - name: ok
    image: nginx:1.25
    readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1}
`);
    await lab.ok(['apply', '-f', manifest]);
    const restarts = async () => (await lab.kubectl(['get', 'pod', 'probed', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])).stdout;
    await waitFor(async () => (await restarts()) === '1', { what: 'a liveness restart', timeout: 30_000 });
    const describe = await lab.ok(['describe', 'pod', 'probed']);
    assert.match(describe, /Warning\s+Unhealthy\s+.*kubelet\s+Readiness probe failed: HTTP probe failed with statuscode: 404/);
    assert.match(describe, /Warning\s+Unhealthy\s+.*kubelet\s+Liveness probe failed: dial tcp 100\.\d+\.\d+\.\d+:8080: connect: connection refused/);
    assert.match(describe, /Normal\s+Killing\s+.*kubelet\s+Container web failed liveness probe, will be restarted/);
    // the restarted container's readiness starts over (unready until its probe passes), the other's stays
    const ready = async () => lab.ok(['get', 'pod', 'probed', '-o', 'jsonpath={.status.containerStatuses[*].ready}']);
    await waitFor(async () => (await ready()) === 'false true', { what: 'web unready, ok ready', timeout: 20_000 });
    // Running, or CrashLoopBackOff once a loaded machine has let the liveness probe fail again
    // (every 2 s) before this get: either way one of two containers is ready
    assert.match(await lab.ok(['get', 'pod', 'probed']), /probed\s+1\/2\s+(Running|CrashLoopBackOff)\s/);
  });

  test('readiness decides endpoint membership; an exec probe runs in the container', async () => {
    const manifest = lab.file('gated.yaml', `apiVersion: v1
kind: Pod
metadata: {name: gated, labels: {app: gated}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: bb
    image: busybox:1.28
    command: [sh, -c, 'sleep 3600']
    readinessProbe: {exec: {command: [cat, /tmp/ready]}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: gated}
spec:
  selector: {app: gated}
  ports: [{port: 80}]
`);
    await lab.ok(['apply', '-f', manifest]);
    const describe = await waitFor(async () => {
      const d = await lab.ok(['describe', 'pod', 'gated']);
      return /Readiness probe failed: cat: can't open '\/tmp\/ready': No such file or directory/.test(d) && d;
    }, { what: 'an exec readiness failure', timeout: 30_000 });
    assert.match(describe, /Ready:\s+False/);
    const endpoints = async () => (await lab.kubectl(['get', 'endpoints', 'gated', '-o', 'jsonpath={.subsets[*].addresses[*].ip}'])).stdout;
    assert.equal(await endpoints(), '');
    await lab.ok(['exec', 'gated', '--', 'sh', '-c', 'echo ok > /tmp/ready']);
    const ip = await lab.ok(['get', 'pod', 'gated', '-o', 'jsonpath={.status.podIP}']);
    await waitFor(async () => (await endpoints()) === ip, { what: 'the ready pod in the endpoints', timeout: 30_000 });
    assert.match(await lab.ok(['get', 'pod', 'gated']), /gated\s+1\/1\s+Running/);
  });
});
