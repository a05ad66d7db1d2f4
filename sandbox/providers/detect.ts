// What this machine has for each provider, without starting anything: the tools on PATH and their
// versions, whether the Docker daemon answers, each provider's verdict on them, and, for the
// existing provider, whether the current kubeconfig context would pass its guard.
import { getProvider, PROVIDER_NAMES } from './index.ts';
import { runTool, toolVersion, which, type ToolName } from './tools.ts';
import { allowListFile, judgeContext, readAllowList } from './existing/guard.ts';
import type { Detection, ToolReport } from './types.ts';

const TOOLS: ToolName[] = ['docker', 'kind', 'minikube', 'kubectl'];
/** long enough for a busy daemon, short enough that doctor does not hang on a dead socket */
const DOCKER_INFO_TIMEOUT_MS = 5_000;

/** `docker info` answers only when the daemon does; its first error line says why when it does not */
async function dockerDaemon(): Promise<NonNullable<ToolReport['daemon']>> {
  const r = await runTool('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: DOCKER_INFO_TIMEOUT_MS });
  if (r.code === 0 && r.stdout.trim()) return { up: true, message: `server ${r.stdout.trim()}` };
  const said = (r.stderr + '\n' + r.stdout).split('\n').map((l) => l.trim()).find((l) => l && !/^(Client|Server):?$/.test(l));
  return { up: false, message: said ?? `docker info exited ${r.code}` };
}

export async function inspectTools(): Promise<ToolReport[]> {
  return Promise.all(
    TOOLS.map(async (name): Promise<ToolReport> => {
      const path = which(name);
      if (!path) return { name };
      const version = await toolVersion(name);
      return { name, path, ...(version ? { version } : {}), ...(name === 'docker' ? { daemon: await dockerDaemon() } : {}) };
    }),
  );
}

export function detectProviders(tools: ToolReport[]): Detection[] {
  return PROVIDER_NAMES.map((name) => {
    try {
      return getProvider(name).detect(tools);
    } catch (err) {
      const unavailable = (err as { code?: string }).code === 'LAB_ERR_PROVIDER_UNAVAILABLE';
      return { provider: name, canRun: false, why: unavailable ? 'not yet available in this version' : (err as Error).message, startsIn: '-' };
    }
  });
}

export interface ContextReport {
  /** the current context of the user's kubeconfig, when there is one */
  current?: string;
  allowList: string;
  /** what the existing provider's guard says of it (with the consent flag given) */
  verdict?: string;
}

/** the context `--provider existing` would use, and whether its guard lets it (the flag aside) */
export async function inspectContext(kubectl: ToolReport | undefined): Promise<ContextReport> {
  const allowList = allowListFile();
  if (!kubectl?.path) return { allowList };
  const r = await runTool('kubectl', ['config', 'current-context'], { timeoutMs: 10_000 });
  const current = r.code === 0 ? r.stdout.trim() : '';
  if (!current) return { allowList };
  const v = judgeContext(current, { consent: true, allowList: readAllowList(allowList) });
  const verdict = v.ok ? (v.because === 'allow-list' ? `on your allow-list` : 'a throwaway cluster by its name') : `refused: not a throwaway name, not on ${allowList}`;
  return { current, allowList, verdict };
}

