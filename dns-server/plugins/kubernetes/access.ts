// How requests reach the API server: URL, TLS agent and Authorization header. For the common
// kubeconfigs (endpoint URL, in-cluster service account, files with certificates or tokens)
// this is read here (a file through kubeconfig-file.ts and the `yaml` package, loaded only
// then); only kubeconfigs that need client-node's auth plugins (exec, auth-provider) load its
// full KubeConfig, whose generated API models cost ~100 MB of RSS under tsx. client-node's Watch needs just getCurrentCluster() and
// applyToFetchOptions(), which ApiAccess.watchConfig() provides.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Creds } from './kubeconfig-file.ts';
import type { KubeSource } from './source.ts';
import { exists, hostFiles, type FileHooks } from '../../core/files.ts';
import type { ServerHooks } from '../../core/plugin.ts';

export interface ApiAccess {
  server: string;
  /** agent and headers for one http(s) request */
  requestOptions(): Promise<{ agent: http.Agent; headers: Record<string, string> }>;
  /** the object client-node's Watch takes in place of a KubeConfig */
  watchConfig(): unknown;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** how the plugin reaches files and the network (the embedder's hooks, or the real ones) */
export interface AccessEnv {
  files?: FileHooks;
  mapUpstream?: ServerHooks['mapUpstream'];
}

/** TCP connect timeout for a blackholed API address, as client-go's dialer (30 s) would wait */
const DIAL_TIMEOUT_MS = 30_000;

/**
 * Agents whose connections go where mapUpstream says: the API's address as the container knows
 * it (https://100.64.0.1:443) stays the URL and the name the certificate is checked against,
 * the socket goes to the real address; an unreachable one fails after the dial timeout.
 */
function mappedAgent(isHttp: boolean, opts: https.AgentOptions, map: NonNullable<ServerHooks['mapUpstream']>): http.Agent {
  const agent = isHttp ? new http.Agent(opts) : new https.Agent(opts);
  const base = agent as unknown as { createConnection(o: Record<string, unknown>, cb?: unknown): net.Socket };
  const original = base.createConnection.bind(agent);
  base.createConnection = (o: Record<string, unknown>, cb?: unknown) => {
    const host = String(o.host ?? '');
    const port = Number(o.port ?? (isHttp ? 80 : 443));
    const real = map(host, port, 'tcp');
    if (real === 'unreachable') {
      const sock = new net.Socket();
      const t = setTimeout(() => sock.destroy(Object.assign(new Error(`dial tcp ${host}:${port}: i/o timeout`), { code: 'ETIMEDOUT' })), DIAL_TIMEOUT_MS);
      t.unref();
      sock.once('close', () => clearTimeout(t));
      return sock;
    }
    const checkServerIdentity = (_name: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(host, cert);
    return original({ ...o, host: real.host, port: real.port, servername: undefined, checkServerIdentity }, cb);
  };
  return agent;
}

function fromCreds(c: Creds, envs: AccessEnv = {}): ApiAccess {
  const isHttp = c.server.startsWith('http:');
  const files = envs.files ?? hostFiles;
  const opts: https.AgentOptions = isHttp
    ? { keepAlive: true }
    : { keepAlive: true, ca: c.ca, cert: c.cert, key: c.key, rejectUnauthorized: !c.skipTLSVerify, servername: c.servername };
  const agent = envs.mapUpstream
    ? mappedAgent(isHttp, opts, envs.mapUpstream)
    : isHttp ? new http.Agent(opts) : new https.Agent(opts);
  const headers = (): Record<string, string> => {
    // a projected service-account token rotates: read it for every request, as client-go does
    const token = c.tokenFile ? files.readFile(c.tokenFile).trim() : c.token;
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

export async function apiAccess(src: KubeSource, env: Record<string, string | undefined>, envs: AccessEnv = {}): Promise<ApiAccess> {
  const files = envs.files ?? hostFiles;
  const read = (p: string) => Buffer.from(files.readFile(p));
  if (src.kind === 'endpoint') {
    const t = src.tls;
    return fromCreds({ server: src.url, skipTLSVerify: src.url.startsWith('http:'), ...(t ? { cert: read(t.cert), key: read(t.key), ca: read(t.ca) } : {}) }, envs);
  }
  if (src.kind === 'in-cluster') {
    // rest.InClusterConfig: the Service address from the environment, the CA and token files
    // of the mounted service account (the token re-read on every request, so rotation works)
    const standalone = files === hostFiles;
    const host = env.KUBERNETES_SERVICE_HOST ?? (standalone ? process.env.KUBERNETES_SERVICE_HOST : undefined) ?? '';
    const port = env.KUBERNETES_SERVICE_PORT ?? (standalone ? process.env.KUBERNETES_SERVICE_PORT : undefined) ?? '443';
    return fromCreds({
      server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
      skipTLSVerify: false,
      ca: exists(files, `${SA_DIR}/ca.crt`) ? read(`${SA_DIR}/ca.crt`) : undefined,
      tokenFile: `${SA_DIR}/token`,
    }, envs);
  }
  // the embedder's own kubeconfig is a file of the host, not of the container
  const fileEnvs: AccessEnv = src.embedder ? {} : envs;
  const { readKubeconfig } = await import('./kubeconfig-file.ts');
  const creds = readKubeconfig(src.path, src.context, fileEnvs.files);
  if (creds !== 'needs-client-node') return fromCreds(creds, fileEnvs);
  // exec / auth-provider users: client-node's KubeConfig knows how to run them
  const { loadKubeConfig } = await import('./kubeconfig.ts');
  const kc = loadKubeConfig(src, fileEnvs.files);
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
