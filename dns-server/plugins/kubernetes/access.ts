// How requests reach the API server: URL, TLS agent and Authorization header. For the common
// kubeconfigs (endpoint URL, in-cluster service account, files with certificates or tokens)
// this is read here (a file through kubeconfig-file.ts and the `yaml` package, loaded only
// then); only kubeconfigs that need client-node's auth plugins (exec, auth-provider) load its
// full KubeConfig, whose generated API models cost ~100 MB of RSS under tsx. client-node's Watch needs just getCurrentCluster() and
// applyToFetchOptions(), which ApiAccess.watchConfig() provides.
import http from 'node:http';
import https from 'node:https';
import { existsSync, readFileSync } from 'node:fs';
import type { Creds } from './kubeconfig-file.ts';
import type { KubeSource } from './source.ts';

export interface ApiAccess {
  server: string;
  /** agent and headers for one http(s) request */
  requestOptions(): Promise<{ agent: http.Agent; headers: Record<string, string> }>;
  /** the object client-node's Watch takes in place of a KubeConfig */
  watchConfig(): unknown;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';


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
  const { readKubeconfig } = await import('./kubeconfig-file.ts');
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
