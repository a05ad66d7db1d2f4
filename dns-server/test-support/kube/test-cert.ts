// A throwaway self-signed serving certificate for tests, made with the real openssl: valid for
// the given IP addresses (127.0.0.1 and the in-cluster address 100.64.0.1 by default).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function testCert(ips: string[] = ['127.0.0.1', '100.64.0.1']): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'test-cert-'));
  try {
    const certPath = join(dir, 'cert.pem');
    const keyPath = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1',
      '-subj', '/CN=kube-apiserver', '-addext', `subjectAltName=${ips.map((ip) => `IP:${ip}`).join(',')}`], { stdio: 'ignore' });
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
