// Starts the chosen cluster provider for `serve`. The provider is optional for the page and
// the terminal: if it cannot load or start, serve keeps running and says why in one line.
import type { ClusterInfo, ProviderName, SandboxHandle, UpOptions } from '../providers/types.ts';

/** kind and minikube pull their node image on a first start, which takes minutes on a slow line */
const UP_TIMEOUT_MS: Record<ProviderName, number> = { embedded: 120_000, existing: 300_000, kind: 900_000, minikube: 900_000 };

export const PROVIDER_NAMES: ProviderName[] = ['embedded', 'kind', 'minikube', 'existing'];

/** what serve passes to a provider besides the state dir */
export type ServeUpOptions = Pick<UpOptions, 'context' | 'changesKubeSystem'>;

export interface ClusterStart {
  handle: SandboxHandle | null;
  /** the one-line warning to print when the provider did not start */
  warning: string | null;
  info: () => Promise<ClusterInfo>;
}

interface ProvidersModule {
  getProvider(name: ProviderName): { up(opts: UpOptions): Promise<SandboxHandle> };
}

export async function startCluster(
  name: ProviderName,
  stateDir: string,
  kubeconfig: string,
  progress: (line: string) => void,
  extra: ServeUpOptions = {},
): Promise<ClusterStart> {
  let handle: SandboxHandle;
  try {
    // a literal specifier, so the CLI bundle carries the providers (a variable one is left to
    // runtime resolution and fails inside dist/cli/)
    const mod: ProvidersModule = await import('../providers/index.ts');
    const starting = mod.getProvider(name).up({ stateDir, onProgress: progress, ...extra });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // if it comes up after all, do not leave it running unseen
        void starting.then((h) => h.stop()).catch(() => {});
        reject(new Error(`no answer within ${UP_TIMEOUT_MS[name] / 1000} s`));
      }, UP_TIMEOUT_MS[name]);
    });
    try {
      handle = await Promise.race([starting, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    const message = `the ${name} cluster did not start (${why}); the terminal works, but kubectl has no cluster to talk to`;
    return {
      handle: null,
      warning: message,
      info: async () => ({ provider: name, state: 'error', kubeconfig, message }),
    };
  }
  const probe = async (): Promise<ClusterInfo> => {
    try {
      const s = await handle.status();
      return { provider: s.provider, state: s.state, kubeconfig: s.kubeconfig, context: s.context ?? handle.context, message: s.message };
    } catch (err) {
      return { provider: name, state: 'error', kubeconfig: handle.kubeconfig, context: handle.context, message: (err as Error).message };
    }
  };
  // the embedded cluster answers in-process; the others probe with a kubectl process
  return { handle, warning: null, info: name === 'embedded' ? probe : sharedFor(probe, STATUS_FRESH_MS) };
}

/**
 * How long one probe of a kind, minikube or existing cluster answers for. Each probe is a
 * `kubectl get --raw /readyz` (about 50-70 ms of CPU), and every open page asks every 3 s, every
 * lesson page and check asks too: the e2e run of the chapter on kind spawned 68 of its 129
 * kubectl processes for this alone. A cluster that stops shows as stopped within this time.
 */
export const STATUS_FRESH_MS = 10_000;

/** `probe`'s answer, shared by every caller until it is `freshMs` old; callers during a probe wait for it */
export function sharedFor<T>(probe: () => Promise<T>, freshMs: number, now: () => number = Date.now): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || now() - last.at >= freshMs) {
      const value = probe();
      last = { at: now(), value };
    }
    return last.value;
  };
}
