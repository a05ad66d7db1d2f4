// A provider whose cluster a command-line tool makes in Docker (kind, minikube): Docker checked
// first (missing or its daemon down, said plainly), the lab's cluster created or reused, the
// lab's dns-server image built and loaded into it, then the chapter's starting state prepared
// with the real kubectl (./prepare.ts). The cluster outlives the lab process: `down` deletes it.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Detection, DownOptions, Provider, ProviderName, SandboxHandle, SandboxStatus, ToolReport, UpOptions } from '../types.ts';
import { DockerDaemonDownError, INSTALL, NoBackupError } from '../errors.ts';
import { forgetProviderRecord, writeProviderRecord } from '../record.ts';
import { kubectlFor, runTool, runToolOk, type RunOptions } from '../tools.ts';
import { LAB_IMAGE } from './chapter-start.ts';
import { ensureChapterStart, prepareChapterStart, restoreOriginals } from './prepare.ts';
import { DNS_BACKUP, readBackup } from './backup.ts';

/** the kind cluster's and the minikube profile's name */
export const LAB_CLUSTER = 'coredns-lab';
/** the build context of the lab's image (dns-server/Dockerfile) */
export const DNS_SERVER_DIR = fileURLToPath(new URL('../../../dns-server/', import.meta.url));

/** what differs between kind and minikube: the commands, from their docs */
export interface ClusterTool {
  provider: Extract<ProviderName, 'kind' | 'minikube'>;
  tool: 'kind' | 'minikube';
  /** the kubeconfig context the tool names its cluster's */
  context: string;
  startsIn: string;
  /** whether the lab's cluster exists already */
  exists(run: ToolRunner): Promise<boolean>;
  /** creates it, writing its context into `kubeconfig` */
  create(run: ToolRunner, stateDir: string, kubeconfig: string): Promise<void>;
  /** writes an existing cluster's context into `kubeconfig` */
  exportKubeconfig(run: ToolRunner, kubeconfig: string): Promise<void>;
  loadImage(run: ToolRunner, image: string): Promise<void>;
  delete(run: ToolRunner, kubeconfig: string): Promise<void>;
}

/** runs the provider's tool (or docker), every line passed on as progress */
export type ToolRunner = (file: string, args: string[], opts?: RunOptions) => Promise<string>;

/** `docker info` answers: the daemon is up. Missing docker or a silent daemon are the learner's to fix */
export async function requireDocker(): Promise<void> {
  const r = await runTool('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new DockerDaemonDownError((r.stderr.trim() || r.stdout.trim()).split('\n')[0] || `exit ${r.code}`);
}

export function makeToolProvider(t: ClusterTool): Provider {
  function detect(tools: ToolReport[]): Detection {
    const has = (n: ToolReport['name']) => tools.find((x) => x.name === n);
    const missing = (['docker', t.tool, 'kubectl'] as const).filter((n) => !has(n)?.path);
    const base = { provider: t.provider, startsIn: t.startsIn };
    if (missing.length) return { ...base, canRun: false, why: `${missing.join(' and ')} not installed`, fix: missing.map((n) => INSTALL[n]) };
    const daemon = has('docker')?.daemon;
    if (daemon && !daemon.up)
      return { ...base, canRun: false, why: `the Docker daemon does not answer${daemon.message ? ` (${daemon.message})` : ''}`, fix: ['sudo systemctl start docker'] };
    return { ...base, canRun: true };
  }

  function runner(say: (line: string) => void): ToolRunner {
    return (file, args, opts = {}) => runToolOk(file, args, { onLine: (l) => say(`${file}: ${l.trim()}`), ...opts });
  }

  async function bringUp(opts: UpOptions): Promise<{ kubeconfig: string }> {
    const stateDir = resolve(opts.stateDir);
    const kubeconfig = resolve(stateDir, 'kubeconfig');
    const say = opts.onProgress ?? (() => {});
    const run = runner(say);
    await requireDocker();
    if (await t.exists(run)) {
      say(`reusing the ${t.tool} cluster "${LAB_CLUSTER}"`);
      await t.exportKubeconfig(run, kubeconfig);
    } else {
      say(`creating the ${t.tool} cluster "${LAB_CLUSTER}" (${t.startsIn})`);
      await t.create(run, stateDir, kubeconfig);
    }
    say(`building ${LAB_IMAGE} from dns-server/Dockerfile`);
    await run('docker', ['build', '-t', LAB_IMAGE, DNS_SERVER_DIR]);
    say(`loading ${LAB_IMAGE} into the cluster`);
    await t.loadImage(run, LAB_IMAGE);
    const { dnsIP } = await ensureChapterStart(kubectlFor(kubeconfig, t.context), { stateDir, onProgress: say });
    writeProviderRecord(stateDir, { provider: t.provider, context: t.context, cluster: LAB_CLUSTER, dnsIP });
    return { kubeconfig };
  }

  async function status(opts: { stateDir: string }): Promise<SandboxStatus> {
    const kubeconfig = resolve(opts.stateDir, 'kubeconfig');
    const base = { provider: t.provider, kubeconfig, context: t.context };
    const r = await runTool('kubectl', ['--context', t.context, 'get', '--raw', '/readyz'], { env: { KUBECONFIG: kubeconfig }, timeoutMs: 15_000 }).catch(
      (err: Error) => ({ code: 1, stdout: '', stderr: err.message }),
    );
    if (r.code === 0) return { ...base, state: 'running' };
    return { ...base, state: 'stopped', message: `the ${t.tool} cluster "${LAB_CLUSTER}" does not answer: ${(r.stderr.trim() || `exit ${r.code}`).split('\n')[0]}` };
  }

  return {
    name: t.provider,
    detect,
    async up(opts): Promise<SandboxHandle> {
      const { kubeconfig } = await bringUp(opts);
      const stateDir = resolve(opts.stateDir);
      let stopped = false;
      return {
        provider: t.provider,
        kubeconfig,
        context: t.context,
        async status() {
          const s = await status({ stateDir });
          return stopped ? { ...s, state: 'stopped' } : s;
        },
        reset: async () => {
          await prepareChapterStart(kubectlFor(kubeconfig, t.context), { stateDir, reset: true, onProgress: opts.onProgress });
        },
        // the cluster runs on in Docker; `sandbox down` deletes it
        async stop() {
          stopped = true;
        },
      };
    },
    status,
    async reset(opts) {
      const stateDir = resolve(opts.stateDir);
      await prepareChapterStart(kubectlFor(resolve(stateDir, 'kubeconfig'), t.context), { stateDir, reset: true, onProgress: opts.onProgress });
    },
    async down(opts: DownOptions): Promise<string> {
      const stateDir = resolve(opts.stateDir);
      const kubeconfig = resolve(stateDir, 'kubeconfig');
      const say = opts.onProgress ?? (() => {});
      if (opts.restore) {
        const backup = readBackup(stateDir);
        if (!backup) throw new NoBackupError(stateDir);
        await restoreOriginals(kubectlFor(kubeconfig, t.context), { stateDir, onProgress: say }, backup);
        rmSync(resolve(stateDir, DNS_BACKUP), { force: true });
        return `the ${t.tool} cluster "${LAB_CLUSTER}" has its original DNS objects back; it keeps running ("sandbox down" deletes it)`;
      }
      await requireDocker();
      say(`deleting the ${t.tool} cluster "${LAB_CLUSTER}"`);
      await t.delete(runner(say), kubeconfig);
      forgetProviderRecord(stateDir);
      rmSync(resolve(stateDir, DNS_BACKUP), { force: true });
      return `the ${t.tool} cluster "${LAB_CLUSTER}" is deleted`;
    },
  };
}
