// Asks an API server for /version: how `sandbox status` tells a live sandbox from a hung one.
// The embedded API needs its token and serves HTTPS under the state dir's CA, so the probe
// presents the same credentials as the kubeconfig.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface ProbeCredentials {
  /** PEM of the CA the serving certificate is checked against */
  ca?: string;
  token?: string;
}

export function probeApi(apiServer: string, creds: ProbeCredentials = {}, timeoutMs = 2000): Promise<{ ok: true; version: string } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const url = new URL('/version', apiServer);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers = creds.token ? { Authorization: `Bearer ${creds.token}` } : {};
    const req = request(url, { timeout: timeoutMs, headers, ...(creds.ca ? { ca: creds.ca } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        try {
          const v = JSON.parse(body) as { gitVersion?: string };
          if (res.statusCode === 200 && v.gitVersion) resolve({ ok: true, version: v.gitVersion });
          else resolve({ ok: false, error: `HTTP ${res.statusCode}` });
        } catch {
          resolve({ ok: false, error: `HTTP ${res.statusCode}, not a version document` });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ ok: false, error: err.message }));
    req.end();
  });
}
