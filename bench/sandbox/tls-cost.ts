// What TLS adds to a sandbox's start, in a process of its own (so the X.509 library's load is
// cold, as in `sandbox up`): making the state dir's PKI on a first start (loading @peculiar/x509,
// the CA, the serving certificate and the ServiceAccount key) and reading it back on a restart.
// Prints one JSON line {freshMs, reuseMs}.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePki } from '../../sandbox/cluster/auth/pki.ts';

const dir = mkdtempSync(join(tmpdir(), 'coredns-lab-tls-cost-'));
try {
  let t = performance.now();
  await loadOrCreatePki(dir);
  const freshMs = performance.now() - t;
  t = performance.now();
  await loadOrCreatePki(dir);
  const reuseMs = performance.now() - t;
  process.stdout.write(JSON.stringify({ freshMs, reuseMs }) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
