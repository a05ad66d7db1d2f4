// A node's image store, kept where a real kubelet reports it: node.status.images (names and
// sizeBytes, biggest first). The kubelet's image manager asks it whether an IfNotPresent image is
// already on the machine, so only the first start of an image on a node pulls; it survives a
// sandbox restart with the rest of the store. The starting state seeds it with the images the
// cluster already ran on each node (the pause image, static pods, kube-dns and the other addons).
import { createHash } from 'node:crypto';
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { nodeFits } from './scheduler.ts';

/** the sandbox (pause) image of kubelet 1.32 and of kind's containerd config */
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';

/** the kubelet caps node.status.images at --node-status-max-images, 50 by default */
const MAX_IMAGES = 50;

interface NodeImage {
  names: string[];
  sizeBytes: number;
}

/**
 * An image reference as the runtime stores it: `busybox:1.28` and `docker.io/library/busybox:1.28`
 * are one image, a reference without a tag means `:latest`; `registry.k8s.io/x` and
 * `k8s.gcr.io/x` stay two images, as they are two references to containerd.
 */
export function normalizeImage(image: string): string {
  let ref = image;
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  if (slash < 0) ref = `docker.io/library/${ref}`;
  else if (!/[.:]/.test(first) && first !== 'localhost') ref = `docker.io/${ref}`;
  const lastSlash = ref.lastIndexOf('/');
  if (!ref.includes('@') && ref.lastIndexOf(':') < lastSlash) ref += ':latest';
  return ref;
}

/** Docker (cri-dockerd) lists Docker Hub images by their short names, containerd fully qualified */
function displayName(ref: string, docker: boolean): string {
  return docker ? ref.replace(/^docker\.io\/(library\/)?/, '') : ref;
}

function imagesOf(node: KubeObject | undefined): NodeImage[] {
  return ((node?.status as { images?: NodeImage[] } | undefined)?.images) ?? [];
}

function isDocker(node: KubeObject): boolean {
  const info = (node.status as { nodeInfo?: { containerRuntimeVersion?: string } } | undefined)?.nodeInfo;
  return (info?.containerRuntimeVersion ?? '').startsWith('docker');
}

/** the node's container runtime, from what its kubelet reports (containerd://1.7.24, docker://24.0.7); Docker when unknown, as the
 * pull errors were worded before nodes said which runtime they run */
export function nodeRuntime(node: KubeObject | undefined): 'containerd' | 'docker' {
  const info = (node?.status as { nodeInfo?: { containerRuntimeVersion?: string } } | undefined)?.nodeInfo;
  return (info?.containerRuntimeVersion ?? '').startsWith('containerd') ? 'containerd' : 'docker';
}

export function nodeHasImage(node: KubeObject | undefined, image: string): boolean {
  const want = normalizeImage(image);
  return imagesOf(node).some((i) => i.names.some((n) => !n.includes('@') && normalizeImage(n) === want));
}

/** node.status.images with `image` added (or kept), in the kubelet's order: biggest first */
function withImage(node: KubeObject, images: NodeImage[], image: string, sizeBytes: number): NodeImage[] {
  if (nodeHasImage({ ...node, status: { images } } as KubeObject, image)) return images;
  const ref = normalizeImage(image);
  const repo = ref.replace(/:[^/:]+$/, '');
  const digest = createHash('sha256').update(ref).digest('hex');
  const docker = isDocker(node);
  const entry = { names: [`${displayName(repo, docker)}@sha256:${digest}`, displayName(ref, docker)], sizeBytes };
  return [...images, entry].sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, MAX_IMAGES);
}

/** the kubelet's next node status: the image it just pulled is on the machine */
export function recordNodeImage(store: ClusterStore, nodeName: string, image: string, sizeBytes: number): void {
  const node = store.get('nodes', undefined, nodeName);
  if (!node || nodeHasImage(node, image)) return;
  try {
    store.mutate('nodes', undefined, nodeName, (n) => {
      const images = withImage(n, imagesOf(n), image, sizeBytes);
      if (images === imagesOf(n)) return undefined;
      n.status = { ...(n.status as object), images };
      return n;
    }, { status: true });
  } catch {
    // the node's image list is a report; failing to write it must not stop the pod
  }
}

const WORKLOADS = ['deployments.apps', 'daemonsets.apps', 'statefulsets.apps', 'replicasets.apps'];

/**
 * The starting state's image stores: each node has the pause image, its own static pods' images,
 * and the images of every seeded workload a pod of it could run on the node (kube-dns and its
 * autoscaler on the workers, dns-controller on the masters, kube-proxy and CoreDNS on a kind or
 * minikube node), as a cluster that has been running them has pulled them there.
 */
export function seedNodeImages(store: ClusterStore, sizeOf: (image: string) => number): void {
  const pods = store.list('pods').items;
  const templates = WORKLOADS.flatMap((r) => {
    try {
      return store.list(r).items;
    } catch {
      return [];
    }
  }).map((w) => (w.spec as { template?: { spec?: object } } | undefined)?.template?.spec).filter((s): s is object => !!s);
  const imagesIn = (spec: object) => {
    const s = spec as { containers?: Array<{ image?: string }>; initContainers?: Array<{ image?: string }> };
    return [...(s.initContainers ?? []), ...(s.containers ?? [])].map((c) => c.image).filter((i): i is string => !!i);
  };
  for (const node of store.list('nodes').items) {
    const name = node.metadata.name!;
    const wanted = [
      SANDBOX_IMAGE,
      ...pods.filter((p) => (p.spec as { nodeName?: string }).nodeName === name).flatMap((p) => imagesIn(p.spec as object)),
      ...templates.filter((spec) => nodeFits({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec } as KubeObject, node) === undefined).flatMap(imagesIn),
    ];
    let images = imagesOf(node);
    for (const image of wanted) images = withImage(node, images, image, sizeOf(image));
    if (images === imagesOf(node)) continue;
    store.mutate('nodes', undefined, name, (n) => {
      n.status = { ...(n.status as object), images };
      return n;
    }, { status: true });
  }
}
