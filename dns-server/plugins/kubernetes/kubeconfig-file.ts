// What a kubeconfig file says about reaching the API: server, TLS material and credentials, read
// with the `yaml` package. Its own module so that servers configured with `endpoint` or running
// in-cluster never load `yaml`.
import { dirname, isAbsolute, join } from 'node:path';
import YAML from 'yaml';
import { KubeconfigError } from './source.ts';
import { hostFiles, type FileHooks } from '../../core/files.ts';

export interface Creds {
  server: string;
  skipTLSVerify: boolean;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  servername?: string;
  token?: string;
  tokenFile?: string;
  basic?: string;
}

type Named<T> = { name: string } & T;
interface KubeconfigFile {
  clusters?: Array<Named<{ cluster: Record<string, unknown> }>>;
  users?: Array<Named<{ user: Record<string, unknown> }>>;
  contexts?: Array<Named<{ context: { cluster: string; user?: string } }>>;
  'current-context'?: string;
}

/** the credentials of a kubeconfig file, or 'needs-client-node' for exec/auth-provider users */
export function readKubeconfig(path: string, context?: string, files: FileHooks = hostFiles): Creds | 'needs-client-node' {
  let doc: KubeconfigFile;
  try {
    doc = YAML.parse(files.readFile(path)) as KubeconfigFile;
  } catch (err) {
    throw new KubeconfigError(`cannot read kubeconfig ${path}: ${(err as Error).message}`);
  }
  const ctxName = context ?? doc['current-context'];
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context;
  if (!ctx) {
    throw new KubeconfigError(
      context
        ? `context "${context}" is not in ${path}; contexts there: ${(doc.contexts ?? []).map((c) => c.name).join(', ') || 'none'}`
        : `kubeconfig ${path} has no current context; set current-context or name one after the path`,
    );
  }
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== 'string') throw new KubeconfigError(`cluster "${ctx.cluster}" of context "${ctxName}" is missing from ${path} or has no server`);
  const user = (doc.users?.find((u) => u.name === ctx.user)?.user ?? {}) as Record<string, string | undefined>;
  if (user.exec || user['auth-provider']) return 'needs-client-node';
  const base = dirname(path);
  const file = (p: unknown): Buffer | undefined => (typeof p === 'string' && p ? Buffer.from(files.readFile(isAbsolute(p) ? p : join(base, p))) : undefined);
  const data = (d: unknown): Buffer | undefined => (typeof d === 'string' && d ? Buffer.from(d, 'base64') : undefined);
  const server = cluster.server as string;
  return {
    server,
    // http has no TLS to verify; client-node 1.x would refuse it without this flag
    skipTLSVerify: cluster['insecure-skip-tls-verify'] === true || server.startsWith('http:'),
    ca: data(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']),
    servername: typeof cluster['tls-server-name'] === 'string' ? (cluster['tls-server-name'] as string) : undefined,
    cert: data(user['client-certificate-data']) ?? file(user['client-certificate']),
    key: data(user['client-key-data']) ?? file(user['client-key']),
    token: user.token,
    tokenFile: user.tokenFile ? (isAbsolute(user.tokenFile) ? user.tokenFile : join(base, user.tokenFile)) : undefined,
    basic: user.username && user.password ? `${user.username}:${user.password}` : undefined,
  };
}

