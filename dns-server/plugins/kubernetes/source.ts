// Which API server the plugin talks to, in CoreDNS's order: `endpoint`, then `kubeconfig`,
// then the embedding program's kubeconfig, then in-cluster (service account), then
// ~/.kube/config. Decided at setup from files alone, so a missing kubeconfig fails early and
// @kubernetes/client-node is loaded only by servers that start this plugin.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesConfig } from './parse.ts';
import { exists, hostFiles, type FileHooks } from '../../core/files.ts';

export class KubeconfigError extends Error {
  readonly code = 'DNS_ERR_KUBECONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** A description of where the config will come from, checked at setup so errors show early. */
export type KubeSource =
  | { kind: 'endpoint'; url: string; tls?: { cert: string; key: string; ca: string } }
  /** embedder: the path came from hooks.kubeconfig, a file of the embedding program's own, read from the real filesystem */
  | { kind: 'file'; path: string; context?: string; embedder?: boolean }
  | { kind: 'in-cluster' };

export function chooseSource(
  cfg: KubernetesConfig,
  hookPath: string | undefined,
  env: Record<string, string | undefined>,
  files: FileHooks = hostFiles,
): KubeSource {
  if (cfg.endpoint) {
    for (const f of cfg.tls ? [cfg.tls.cert, cfg.tls.key, cfg.tls.ca] : []) {
      if (!exists(files, f))
        throw new KubeconfigError(
          `tls file ${f} does not exist; 'tls CERT KEY CACERT' takes the client certificate, its key and the API's CA`,
        );
    }
    return { kind: 'endpoint', url: cfg.endpoint, tls: cfg.tls };
  }
  if (cfg.kubeconfig) {
    if (!exists(files, cfg.kubeconfig.path)) {
      throw new KubeconfigError(
        `kubeconfig file ${cfg.kubeconfig.path} does not exist; fix the path in 'kubeconfig PATH [CONTEXT]' or use 'endpoint URL'`,
      );
    }
    return { kind: 'file', path: cfg.kubeconfig.path, context: cfg.kubeconfig.context };
  }
  if (hookPath) return { kind: 'file', path: hookPath, embedder: true };
  // client-go's rest.InClusterConfig: both variables and the token, or not in a cluster
  const standalone = files === hostFiles;
  const host = env.KUBERNETES_SERVICE_HOST ?? (standalone ? process.env.KUBERNETES_SERVICE_HOST : undefined);
  const port =
    env.KUBERNETES_SERVICE_PORT ?? (standalone ? process.env.KUBERNETES_SERVICE_PORT : undefined) ?? (standalone ? '443' : undefined);
  if (host && port && exists(files, SA_TOKEN)) return { kind: 'in-cluster' };
  const home = env.KUBECONFIG ?? join(env.HOME ?? (standalone ? homedir() : '/'), '.kube', 'config');
  if (exists(files, home)) return { kind: 'file', path: home };
  throw new KubeconfigError(
    "no Kubernetes API to watch: not in a cluster (no KUBERNETES_SERVICE_HOST and service-account token) and no ~/.kube/config; add 'endpoint http://HOST:PORT' or 'kubeconfig PATH' to the kubernetes block",
  );
}

