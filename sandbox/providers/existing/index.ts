// The existing provider: a cluster the learner already has (the current kubeconfig context, or
// --context), prepared in place as kind and minikube clusters are (../kubeadm/), after its guard
// (./guard.ts) lets it. The lab works on a copy of that one context (<stateDir>/kubeconfig) and
// never writes the learner's kubeconfig. The cluster outlives the lab: `down` leaves it as it is,
// `down --restore` puts back the DNS objects the preparation replaced, from the state dir's backup.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makePrivateDir, writePrivateFile } from '../../private-state.ts';
import { lockForOfflineReset } from '../embedded/index.ts';
import { ConsentMissingError, ContextRefusedError, NoBackupError, NoContextError, PrepareError } from '../errors.ts';
import { installHint } from '../install.ts';
import { DNS_BACKUP, readBackup } from '../kubeadm/backup.ts';
import { LAB_IMAGE } from '../kubeadm/chapter-start.ts';
import { ensureChapterStart, prepareChapterStart, restoreOriginals } from '../kubeadm/prepare.ts';
import { forgetProviderRecord, readProviderRecord, writeProviderRecord } from '../record.ts';
import { kubectlFor, runTool, type KubectlFor } from '../tools.ts';
import type { Detection, DownOptions, Provider, SandboxHandle, SandboxStatus, ToolReport, UpOptions } from '../types.ts';
import { allowListFile, CONSENT_FLAG, judgeContext, readAllowList } from './guard.ts';

function detect(tools: ToolReport[]): Detection {
  const startsIn = 'about 30 s (it prepares kube-system in place)';
  if (tools.some((t) => t.name === 'kubectl' && t.path)) return { provider: 'existing', canRun: true, startsIn };
  return { provider: 'existing', canRun: false, why: 'kubectl is not installed', fix: [installHint('kubectl')], startsIn };
}

/** the context to use: the one named, else the current one of the learner's kubeconfig (KUBECONFIG or ~/.kube/config) */
async function chooseContext(named: string | undefined): Promise<string> {
  if (named !== undefined) return named;
  const r = await runTool('kubectl', ['config', 'current-context'], { timeoutMs: 15_000 });
  const current = r.stdout.trim();
  if (r.code !== 0 || !current) throw new NoContextError((r.stderr.trim() || 'no current context').split('\n')[0]!);
  return current;
}

/** refuses unless the context looks throwaway (or is on the allow-list) and the learner said so */
export function guardContext(context: string, consent: boolean, env: NodeJS.ProcessEnv = process.env): void {
  const file = allowListFile(env);
  const v = judgeContext(context, { consent, allowList: readAllowList(file) });
  if (v.ok) return;
  throw v.refused === 'context' ? new ContextRefusedError(context, file) : new ConsentMissingError(context, CONSENT_FLAG);
}

/** that one context, its cluster and user, credentials inlined, as the lab's own kubeconfig */
async function copyContext(context: string, stateDir: string): Promise<string> {
  const r = await runTool('kubectl', ['config', 'view', '--minify', '--flatten', '--context', context], { timeoutMs: 15_000 });
  if (r.code !== 0) throw new NoContextError(`context "${context}" is not in your kubeconfig: ${r.stderr.trim().split('\n')[0]}`);
  const file = join(stateDir, 'kubeconfig');
  makePrivateDir(stateDir);
  writePrivateFile(file, r.stdout);
  return file;
}

async function reachable(k: KubectlFor): Promise<{ ok: boolean; said: string; apiServer?: string }> {
  const r = await k.run(['get', '--raw', '/readyz'], { timeoutMs: 15_000 });
  const server = (await k.run(['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'])).stdout.trim();
  return { ok: r.code === 0, said: (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '', ...(server ? { apiServer: server } : {}) };
}

function lab(stateDir: string): { k: KubectlFor; context: string } {
  const record = readProviderRecord(stateDir);
  if (record?.provider !== 'existing')
    throw new NoContextError(`${stateDir} was not prepared by --provider existing; run "coredns-lab sandbox up --provider existing --state-dir ${stateDir}" first`);
  return { k: kubectlFor(join(stateDir, 'kubeconfig'), record.context), context: record.context };
}

async function up(opts: UpOptions): Promise<SandboxHandle> {
  const stateDir = resolve(opts.stateDir);
  const context = await chooseContext(opts.context);
  guardContext(context, opts.changesKubeSystem === true);
  // the backup belongs to one cluster: another context's must not be "restored" onto this one
  const backup = readBackup(stateDir);
  if (backup?.context !== undefined && backup.context !== context)
    throw new PrepareError(
      'checking the state dir',
      `${stateDir} keeps the original DNS objects of context "${backup.context}"; put them back first ` +
        `("coredns-lab sandbox down --restore --state-dir ${stateDir}"), or use another --state-dir for "${context}"`,
    );
  const kubeconfig = await copyContext(context, stateDir);
  const k = kubectlFor(kubeconfig, context);
  const api = await reachable(k);
  if (!api.ok) throw new PrepareError('reaching the cluster', `context "${context}" does not answer (${api.said})`);
  opts.onProgress?.(`the chapter's kube-dns runs ${LAB_IMAGE}: the cluster must have it (kind load docker-image, minikube image load, k3d image import)`);
  const { dnsIP } = await ensureChapterStart(k, { stateDir, onProgress: opts.onProgress });
  writeProviderRecord(stateDir, { provider: 'existing', context, dnsIP });
  return {
    provider: 'existing',
    kubeconfig,
    context,
    status: () => status({ stateDir }),
    async reset() {
      await prepareChapterStart(k, { stateDir, reset: true, onProgress: opts.onProgress });
    },
    // the cluster is the learner's: it runs on when the lab stops
    stop: async () => {},
  };
}

async function status(opts: { stateDir: string }): Promise<SandboxStatus> {
  const stateDir = resolve(opts.stateDir);
  const { k, context } = lab(stateDir);
  const api = await reachable(k);
  return {
    provider: 'existing',
    state: api.ok ? 'running' : 'error',
    kubeconfig: k.kubeconfig,
    context,
    ...(api.apiServer ? { apiServer: api.apiServer } : {}),
    ...(api.ok ? {} : { message: `context "${context}" does not answer: ${api.said}` }),
  };
}

async function reset(opts: UpOptions): Promise<void> {
  const stateDir = resolve(opts.stateDir);
  const lock = lockForOfflineReset(stateDir);
  try {
    const { k } = lab(stateDir);
    await prepareChapterStart(k, { stateDir, reset: true, onProgress: opts.onProgress });
  } finally {
    lock.release();
  }
}

async function down(opts: DownOptions): Promise<string> {
  const stateDir = resolve(opts.stateDir);
  const { k, context } = lab(stateDir);
  if (!opts.restore)
    return `the cluster of context "${context}" is not the lab's to delete: it keeps the chapter's DNS objects; ` +
      `"coredns-lab sandbox down --restore --state-dir ${stateDir}" puts back its own`;
  const backup = readBackup(stateDir);
  if (!backup) throw new NoBackupError(stateDir);
  await restoreOriginals(k, { stateDir, onProgress: opts.onProgress }, backup);
  // restored: a later `up` keeps a fresh copy of whatever the cluster has then
  rmSync(join(stateDir, DNS_BACKUP), { force: true });
  forgetProviderRecord(stateDir);
  return `context "${context}" has its original DNS objects back (${backup.objects.length} objects, saved ${backup.savedAt})`;
}

export const existingProvider: Provider = { name: 'existing', detect, up, status, reset, down };
