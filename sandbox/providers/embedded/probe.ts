// Asks an API server for /version: how `sandbox status` tells a live sandbox from a hung one.
import { request } from 'node:http';

export function probeApi(apiServer: string, timeoutMs = 2000): Promise<{ ok: true; version: string } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const req = request(new URL('/version', apiServer), { timeout: timeoutMs }, (res) => {
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
