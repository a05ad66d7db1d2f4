// How requests reach the API server: URL, TLS agent and Authorization header. For the common
// kubeconfigs (endpoint URL, in-cluster service account, files with certificates or tokens)
// this is read here with the `yaml` package; only kubeconfigs that need client-node's auth
// plugins (exec, auth-provider) load its full KubeConfig, whose generated API models cost
// ~100 MB of RSS under tsx. client-node's Watch needs just getCurrentCluster() and
// applyToFetchOptions(), which ApiAccess.watchConfig() provides.
import http from 'node:http';
import https from 'node:https';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import YAML from 'yaml';
import { KubeconfigError, type KubeSource } from './source.ts';

export interface ApiAccess {
  server: string;
  /** agent and headers for one http(s) request */
  requestOptions(): Promise<{ agent: http.Agent; headers: Record<string, string> }>;
  /** the object client-node's Watch/makeInformer takes in place of a KubeConfig */
  watchConfig(): unknown;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

interface Creds {
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

function fromCreds(c: Creds): ApiAccess {
  const isHttp = c.server.startsWith('http:');
  const agent = isHttp
    ? new http.Agent({ keepAlive: true })
    : new https.Agent({ keepAlive: true, ca: c.ca, cert: c.cert, key: c.key, rejectUnauthorized: !c.skipTLSVerify, servername: c.servername });
  const headers = (): Record<string, string> => {
    // a projected service-account token rotates: read it for every request, as client-go does
    const token = c.tokenFile ? readFileSync(c.tokenFile, 'utf8').trim() : c.token;
    if (token) return { Authorization: `Bearer ${token}` };
    if (c.basic) return { Authorization: `Basic ${Buffer.from(c.basic).toString('base64')}` };
    return {};
  };
  return {
    server: c.server.replace(/\/+$/, ''),
    requestOptions: async () => ({ agent, headers: headers() }),
    watchConfig: () => ({
      getCurrentCluster: () => ({ name: 'dns', server: c.server.replace(/\/+$/, ''), skipTLSVerify: c.skipTLSVerify }),
      applyToFetchOptions: async () => ({ agent, headers: headers() }),
    }),
  };
}

type Named<T> = { name: string } & T;
interface KubeconfigFile {
  clusters?: Array<Named<{ cluster: Record<string, unknown> }>>;
  users?: Array<Named<{ user: Record<string, unknown> }>>;
  contexts?: Array<Named<{ context: { cluster: string; user?: string } }>>;
  'current-context'?: string;
}

/** the credentials of a kubeconfig file, or 'needs-client-node' for exec/auth-provider users */
export function readKubeconfig(path: string, context?: string): Creds | 'needs-client-node' {
  let doc: KubeconfigFile;
  try {
    doc = YAML.parse(readFileSync(path, 'utf8')) as KubeconfigFile;
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
  const file = (p: unknown): Buffer | undefined => (typeof p === 'string' && p ? readFileSync(isAbsolute(p) ? p : join(base, p)) : undefined);
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

export async function apiAccess(src: KubeSource, env: Record<string, string | undefined>): Promise<ApiAccess> {
  if (src.kind === 'endpoint') {
    const t = src.tls;
    return fromCreds({ server: src.url, skipTLSVerify: src.url.startsWith('http:'), ...(t ? { cert: readFileSync(t.cert), key: readFileSync(t.key), ca: readFileSync(t.ca) } : {}) });
  }
  if (src.kind === 'in-cluster') {
    const host = env.KUBERNETES_SERVICE_HOST ?? process.env.KUBERNETES_SERVICE_HOST ?? '';
    const port = env.KUBERNETES_SERVICE_PORT ?? process.env.KUBERNETES_SERVICE_PORT ?? '443';
    return fromCreds({
      server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
      skipTLSVerify: false,
      ca: existsSync(`${SA_DIR}/ca.crt`) ? readFileSync(`${SA_DIR}/ca.crt`) : undefined,
      tokenFile: `${SA_DIR}/token`,
    });
  }
  const creds = readKubeconfig(src.path, src.context);
  if (creds !== 'needs-client-node') return fromCreds(creds);
  // exec / auth-provider users: client-node's KubeConfig knows how to run them
  const { loadKubeConfig } = await import('./kubeconfig.ts');
  const kc = loadKubeConfig(src);
  const cluster = kc.getCurrentCluster()!;
  return {
    server: cluster.server.replace(/\/+$/, ''),
    requestOptions: async () => {
      const opts: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      return { agent: opts.agent as http.Agent, headers: (opts.headers ?? {}) as Record<string, string> };
    },
    watchConfig: () => kc,
  };
}
