// What TLS adds to a sandbox's start: making the state dir's PKI on a first start (a worker
// thread loads @peculiar/x509 and makes the CA, the serving certificate and the ServiceAccount
// key) and reading it back on a restart. argv: <dir> to keep the PKI made (run.ts starts
// sandboxes on copies of it). Prints one JSON line {generateMs, reuseMs}.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePki } from '../../sandbox/cluster/auth/pki.ts';

const keep = process.argv[2];
const dir = keep ?? mkdtempSync(join(tmpdir(), 'coredns-lab-tls-cost-'));
try {
  let t = performance.now();
  await loadOrCreatePki(dir);
  const generateMs = performance.now() - t;
  t = performance.now();
  await loadOrCreatePki(dir);
  const reuseMs = performance.now() - t;
  process.stdout.write(JSON.stringify({ generateMs, reuseMs }) + '\n');
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
