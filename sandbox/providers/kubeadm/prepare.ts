// Brings a kubeadm cluster (kind, minikube, an existing one) to the chapter's starting state with
// the real kubectl, keeping cluster DNS answering at every moment: the kube-dns stand-in is
// Available before kubeadm's CoreDNS goes, and the kube-dns Service keeps its ClusterIP (every
// pod's resolv.conf names it). The same steps reset the cluster, and in reverse put back the
// originals from the backup (`down --restore`).
import { PrepareError } from '../errors.ts';
import type { KubectlFor } from '../tools.ts';
import { CHAPTER_EXTRAS, chapterKubeDnsService, COREDNS_OBJECTS, STAND_IN_LABEL, standIns, type Manifest } from './chapter-start.ts';
import { readBackup, saveBackup, type DnsBackup } from './backup.ts';

const NS = ['-n', 'kube-system'];
const WAIT = '180s';

export interface PrepareOptions {
  stateDir: string;
  onProgress?: (line: string) => void;
}

/** the cluster DNS Service's IP, read from the cluster (kubeadm makes it the tenth address of the service CIDR) */
export async function clusterDnsIP(k: KubectlFor): Promise<string> {
  const r = await k.run(['get', 'service', 'kube-dns', ...NS, '-o', 'jsonpath={.spec.clusterIP}']);
  if (r.code === 0 && r.stdout.trim()) return r.stdout.trim();
  const backup = await readBackupIP(k);
  if (backup) return backup;
  throw new PrepareError('reading the cluster', `kube-system has no kube-dns Service to take the DNS IP from (${(r.stderr.trim() || 'no clusterIP').split('\n')[0]})`);
}

async function readBackupIP(k: KubectlFor): Promise<string | undefined> {
  // no Service: the tenth address of kubeadm's serviceSubnet, as kubeadm would have chosen
  const r = await k.run(['get', 'configmap', 'kubeadm-config', ...NS, '-o', 'jsonpath={.data.ClusterConfiguration}']);
  const m = /serviceSubnet: (\d+)\.(\d+)\.(\d+)\.(\d+)\//.exec(r.stdout);
  if (!m) return undefined;
  const n = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) + 10;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function yamlList(items: Manifest[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

async function step<T>(phase: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if ((err as { code?: string }).code === 'LAB_ERR_PREPARE') throw err;
    throw new PrepareError(phase, (err as Error).message);
  }
}

async function applyStandIns(k: KubectlFor): Promise<void> {
  await step('installing the kube-dns, dns-controller and kube-dns-autoscaler stand-ins', () => k.ok(['apply', '-f', '-'], { input: yamlList(standIns()) }));
  await step('waiting for the kube-dns stand-in to be Available', () =>
    k.ok(['wait', '--for=condition=Available', 'deployment/kube-dns', ...NS, `--timeout=${WAIT}`], { timeoutMs: 200_000 }));
}

/**
 * Writes the kube-dns Service as `kubectl apply` would have created it (with its
 * last-applied-configuration), in place and at the same ClusterIP, so the chapter's later
 * `kubectl apply -f templates/coredns-service*.yaml` says "configured". A plain apply over
 * kubeadm's Service would merge, keeping its metrics port and labels.
 */
async function writeService(k: KubectlFor, manifest: Manifest, asApplied: boolean): Promise<void> {
  await step('writing the kube-dns Service', async () => {
    const body = asApplied ? await k.ok(['create', '--save-config', '--dry-run=client', '-o', 'json', '-f', '-'], { input: JSON.stringify(manifest) }) : JSON.stringify(manifest);
    const exists = (await k.run(['get', 'service', 'kube-dns', ...NS, '-o', 'name'])).code === 0;
    await k.ok([exists ? 'replace' : 'create', '-f', '-'], { input: body });
  });
}

async function deleteObjects(k: KubectlFor, phase: string, refs: string[]): Promise<void> {
  if (refs.length) await step(phase, () => k.ok(['delete', ...refs, ...NS, '--ignore-not-found', `--timeout=${WAIT}`], { timeoutMs: 200_000 }));
}

/**
 * From a fresh kubeadm cluster, or from anywhere in the chapter (reset): stand-ins up and
 * Available first, the Service back to the chapter's, then kubeadm's (or the learner's) CoreDNS
 * objects removed. The first time, the DNS objects it replaces are saved in the state dir.
 */
export async function prepareChapterStart(k: KubectlFor, opts: PrepareOptions & { reset?: boolean }): Promise<{ dnsIP: string }> {
  const say = opts.onProgress ?? (() => {});
  const dnsIP = await step('reading the cluster', () => clusterDnsIP(k));
  if (!readBackup(opts.stateDir)) {
    say('keeping a copy of kube-system\'s DNS objects in the state dir (for "sandbox down --restore")');
    await step('saving the original DNS objects', () => saveBackup(k, opts.stateDir));
  }
  say('starting the chapter\'s kube-dns (the lab\'s dns-server image), dns-controller and kube-dns-autoscaler');
  await applyStandIns(k);
  say(`writing the chapter's kube-dns Service at ${dnsIP}`);
  await writeService(k, chapterKubeDnsService(dnsIP), true);
  say(opts.reset ? 'removing what the chapter created (coredns, busybox)' : 'removing kubeadm\'s CoreDNS (the chapter deploys its own under these names)');
  await deleteObjects(k, 'removing the CoreDNS objects', COREDNS_OBJECTS);
  if (opts.reset)
    for (const x of CHAPTER_EXTRAS)
      await step(`removing ${x.ref}`, () => k.ok(['delete', x.ref, '-n', x.namespace, '--ignore-not-found', '--wait=false']));
  return { dnsIP };
}

/** whether a preparation ran on this cluster before: its dns-controller stand-in is there (the chapter never touches it) */
export async function isPrepared(k: KubectlFor): Promise<boolean> {
  const r = await k.run(['get', 'deployments', ...NS, '-l', STAND_IN_LABEL, '-o', 'name']);
  return r.code === 0 && r.stdout.split('\n').includes('deployment.apps/dns-controller');
}

/**
 * `up` on a cluster: prepared once. A cluster the lab prepared before (a reused kind cluster or
 * minikube profile, an existing context brought up again) keeps where the learner got to, as the
 * embedded cluster keeps its state; `sandbox reset` is the way back to the start.
 */
export async function ensureChapterStart(k: KubectlFor, opts: PrepareOptions): Promise<{ dnsIP: string }> {
  if (await isPrepared(k)) {
    opts.onProgress?.('the cluster is prepared for the chapter already: keeping where you got to ("sandbox reset" starts over)');
    return { dnsIP: await step('reading the cluster', () => clusterDnsIP(k)) };
  }
  return prepareChapterStart(k, opts);
}

/** `down --restore`: the originals back (DNS answering throughout), then the lab's objects gone */
export async function restoreOriginals(k: KubectlFor, opts: PrepareOptions, backup: DnsBackup): Promise<void> {
  const say = opts.onProgress ?? (() => {});
  // the stand-ins answer while the Service and the CoreDNS objects are swapped back
  await applyStandIns(k);
  const service = backup.objects.find((o) => o.kind === 'Service');
  const others = backup.objects.filter((o) => o.kind !== 'Service');
  say('putting back the original kube-dns Service');
  if (service) await writeService(k, service, false);
  say('putting back the original CoreDNS objects');
  await deleteObjects(k, 'removing the chapter\'s CoreDNS objects', COREDNS_OBJECTS);
  if (others.length) await step('creating the original CoreDNS objects', () => k.ok(['create', '-f', '-'], { input: yamlList(others) }));
  const deployment = others.find((o) => o.kind === 'Deployment');
  if (deployment)
    await step(`waiting for ${deployment.metadata.name} to be Available`, () =>
      k.ok(['wait', '--for=condition=Available', `deployment/${deployment.metadata.name}`, ...NS, `--timeout=${WAIT}`], { timeoutMs: 200_000 }));
  say('removing the lab\'s stand-ins');
  const mine = await step('listing the stand-ins', () =>
    k.ok(['get', 'deployments,configmaps,serviceaccounts,clusterroles,clusterrolebindings', ...NS, '-l', STAND_IN_LABEL, '-o', 'name']));
  await deleteObjects(k, 'removing the stand-ins', mine.split('\n').filter(Boolean));
  for (const x of CHAPTER_EXTRAS) await step(`removing ${x.ref}`, () => k.ok(['delete', x.ref, '-n', x.namespace, '--ignore-not-found', '--wait=false']));
}
