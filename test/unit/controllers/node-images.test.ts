// The nodes' image stores: what the starting state seeds on each node, and the kubelet's image
// events against them (the first start of an image on a node pulls, later ones find it present,
// Always pulls every time, a restart repeats the image event).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import { createStore } from '../../../sandbox/cluster/persistence/open-store.ts';
import type { ClusterStore, KubeObject, PulledImage } from '../../../sandbox/cluster/contracts.ts';
import { startControllers, type ControllerManager } from '../../../sandbox/cluster/controllers/index.ts';
import { goDuration } from '../../../sandbox/cluster/controllers/pod-worker.ts';
import { nodeHasImage, normalizeImage } from '../../../sandbox/cluster/controllers/node-images.ts';
import { seedStatusQuo } from '../../../sandbox/cluster/status-quo/index.ts';
import { pullTiming } from '../../../sandbox/cluster/runtimes/image-kind.ts';
import type { Obj } from '../../../sandbox/cluster/resources/define.ts';
import { FakeRuntime } from './fake-runtime.ts';
import { pod } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

describe('Go duration strings, as the Pulled event prints them', () => {
  test('milliseconds under a second, seconds with trimmed fractions above', () => {
    assert.equal(goDuration(0), '0s');
    assert.equal(goDuration(734), '734ms');
    assert.equal(goDuration(1000), '1s');
    assert.equal(goDuration(1200), '1.2s');
    assert.equal(goDuration(1234), '1.234s');
    assert.equal(goDuration(62_500), '1m2.5s');
  });

  test('pull timings: never 0, a few hundred ms for a manifest check, more for layers, waiting included', () => {
    for (let i = 0; i < 50; i++) {
      const cached = pullTiming('busybox:1.28', true);
      assert.ok(cached.pullMs >= 150 && cached.pullMs < 600, String(cached.pullMs));
      const nginx = pullTiming('nginx:1.27', false);
      assert.ok(nginx.pullMs > 1000 && nginx.pullMs < 2500, String(nginx.pullMs));
      assert.ok(nginx.waitMs >= nginx.pullMs);
    }
  });
});

describe('image references as the runtime stores them', () => {
  test('Docker Hub short names and :latest are filled in; other registries stay distinct', () => {
    assert.equal(normalizeImage('busybox:1.28'), 'docker.io/library/busybox:1.28');
    assert.equal(normalizeImage('curlimages/curl:8.5.0'), 'docker.io/curlimages/curl:8.5.0');
    assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
    assert.equal(normalizeImage('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
    assert.equal(normalizeImage('localhost:5000/x'), 'localhost:5000/x:latest');
  });
});

const nodesOf = (store: ClusterStore) => store.list('nodes').items;
const isMaster = (n: KubeObject) => n.metadata.labels?.['kubernetes.io/role'] === 'master';

describe('the starting state: images already on their nodes', () => {
  test('kops: pause everywhere, kube-dns on the workers, dns-controller and the static pods on the masters', async () => {
    const store = await createStore({});
    try {
      seedStatusQuo(store);
      for (const n of nodesOf(store)) {
        assert.ok(nodeHasImage(n, 'registry.k8s.io/pause:3.10'), n.metadata.name);
        assert.equal(nodeHasImage(n, 'gcr.io/google_containers/k8s-dns-kube-dns-amd64:1.14.5'), !isMaster(n), n.metadata.name);
        assert.equal(nodeHasImage(n, 'kope/dns-controller:1.7.1'), isMaster(n), n.metadata.name);
        assert.ok(nodeHasImage(n, 'registry.k8s.io/kube-proxy:v1.32.4'), n.metadata.name);
        assert.ok(!nodeHasImage(n, 'busybox:1.28'));
        const images = (n.status as { images: Array<{ names: string[]; sizeBytes: number }> }).images;
        // the kubelet's order, biggest first; Docker's short names on the chapter's Docker nodes
        assert.deepEqual(images.map((i) => i.sizeBytes), images.map((i) => i.sizeBytes).sort((a, b) => b - a));
        assert.ok(images.every((i) => /@sha256:[0-9a-f]{64}$/.test(i.names[0]!) && i.sizeBytes > 0));
      }
      const master = nodesOf(store).find(isMaster)!;
      assert.ok(nodeHasImage(master, 'registry.k8s.io/kube-apiserver:v1.32.4'));
    } finally {
      await store.close();
    }
  });

  test('kind: CoreDNS, kube-proxy and pause on the one node, named as containerd names them', async () => {
    const store = await createStore({ serviceCIDR: '10.96.0.0/16' });
    try {
      seedStatusQuo(store, 'kind');
      const [n] = nodesOf(store);
      assert.ok(nodeHasImage(n, 'registry.k8s.io/coredns/coredns:v1.11.3'));
      assert.ok(nodeHasImage(n, 'registry.k8s.io/kube-proxy:v1.32.4'));
      assert.ok(nodeHasImage(n, 'registry.k8s.io/pause:3.10'));
      const names = (n!.status as { images: Array<{ names: string[] }> }).images.flatMap((i) => i.names);
      assert.ok(names.includes('registry.k8s.io/pause:3.10'));
    } finally {
      await store.close();
    }
  });
});

/** a runtime with a registry: every image pulls, in no time */
class PullingRuntime extends FakeRuntime {
  readonly pulls: string[] = [];
  async pullImage(image: string): Promise<PulledImage> {
    this.pulls.push(image);
    return { sizeBytes: 727_869, pullMs: 412, waitMs: 419 };
  }
}

describe('kubelet image events against the node\'s image store', () => {
  let store: Awaited<ReturnType<typeof createStore>>;
  let runtime: PullingRuntime;
  let controllers: ControllerManager;
  before(async () => {
    store = await createStore({});
    seedStatusQuo(store);
    // only the nodes matter here: no kube-dns Deployment to run
    for (const d of store.list('deployments.apps').items) store.delete('deployments.apps', d.metadata.namespace, d.metadata.name!);
    runtime = new PullingRuntime();
    controllers = startControllers(store, runtime, { kubelet: { readinessPollMs: 20, mountRetryMs: 50, shutdownGraceMs: 0 } });
  });
  after(async () => {
    await controllers.stop();
    await store.close();
  });

  const events = (name: string) => store.list('events').items.map((e) => e as Obj<CoreEvent>).filter((e) => e.involvedObject.name === name);
  const onNode = (name: string, node: string) => ({ ...pod(name, { nodeName: node }) });

  test('IfNotPresent: the first start on a node pulls, the next pod there finds it present', async () => {
    const worker = nodesOf(store).find((n) => !isMaster(n))!.metadata.name!;
    store.create('pods', onNode('first', worker));
    await waitFor(() => events('first').some((e) => e.reason === 'Started'), { what: 'first started' });
    assert.deepEqual(events('first').filter((e) => e.reason !== 'Scheduled').map((e) => `${e.reason}: ${e.message}`), [
      'Pulling: Pulling image "busybox:1.28"',
      'Pulled: Successfully pulled image "busybox:1.28" in 412ms (419ms including waiting). Image size: 727869 bytes.',
      'Created: Created container: main',
      'Started: Started container main',
    ]);
    assert.ok(nodeHasImage(store.get('nodes', undefined, worker), 'docker.io/library/busybox:1.28'));
    store.create('pods', onNode('second', worker));
    await waitFor(() => events('second').some((e) => e.reason === 'Started'), { what: 'second started' });
    assert.deepEqual(events('second').map((e) => e.message).slice(0, 1), ['Container image "busybox:1.28" already present on machine']);
    assert.equal(runtime.pulls.length, 1);
  });

  test('a restart repeats Pulled, Created and Started: one event each, count 2', async () => {
    const worker = nodesOf(store).find((n) => !isMaster(n))!.metadata.name!;
    store.create('pods', onNode('again', worker));
    await waitFor(() => runtime.running('again').length === 1, { what: 'running' });
    runtime.running('again')[0]!.exit(1);
    await waitFor(() => events('again').find((e) => e.reason === 'Started')?.count === 2, { what: 'Started x2' });
    for (const reason of ['Pulled', 'Created', 'Started']) {
      const e = events('again').filter((x) => x.reason === reason);
      assert.equal(e.length, 1, reason);
      assert.equal(e[0]!.count, 2, reason);
    }
  });

  test('Always pulls on every start, also when the node has the image', async () => {
    const worker = nodesOf(store).find((n) => !isMaster(n))!.metadata.name!;
    const p = onNode('always', worker);
    (p.spec as { containers: Array<{ imagePullPolicy?: string }> }).containers[0]!.imagePullPolicy = 'Always';
    const before = runtime.pulls.length;
    store.create('pods', p);
    await waitFor(() => runtime.running('always').length === 1, { what: 'running' });
    runtime.running('always')[0]!.exit(1);
    await waitFor(() => events('always').find((e) => e.reason === 'Started')?.count === 2, { what: 'Started x2' });
    assert.equal(runtime.pulls.length - before, 2);
    assert.equal(events('always').find((e) => e.reason === 'Pulling')?.count, 2);
  });
});
