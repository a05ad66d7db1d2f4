// The embedded API's PKI, as kubeadm lays it out: a cluster CA, the API server's serving
// certificate signed by it, and the key that signs ServiceAccount tokens. Kept per state dir in
// <stateDir>/pki/ (0700, files 0600) so a restart keeps the learner's kubeconfig valid; the
// serving certificate is made again when it is missing, expiring or not issued by the CA.
// @peculiar/x509 writes the certificates, in a worker (pki-worker.mjs) and only when something
// must be made: a restart reads the PEM files with node:crypto and pays nothing for it.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface Pki {
  /** PEM of the cluster CA (ca.crt; the kubeconfig's certificate-authority-data, pods' ca.crt) */
  caPem: string;
  /** the API server's serving certificate and key (PEM) */
  serving: { cert: string; key: string };
  /** signs and verifies ServiceAccount tokens (ES256) */
  serviceAccountKey: { privateKey: KeyObject; publicKey: KeyObject };
}

/** the names a real apiserver certificate carries, plus loopback: clients reach the lab on 127.0.0.1 */
export const SERVING_DNS_NAMES = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
/** 127.0.0.1, and the `kubernetes` Service VIP of the chapter's cluster and of the kubeadm clusters it can play (status-quo/profiles.ts) */
export const SERVING_IPS = ['127.0.0.1', '100.64.0.1', '10.96.0.1'];

/** the names a serving certificate is for */
export interface ServingNames {
  dns: string[];
  ips: string[];
}
const API_NAMES: ServingNames = { dns: SERVING_DNS_NAMES, ips: SERVING_IPS };

const CA_DAYS = 3650;
const SERVING_DAYS = 365;
/** a serving certificate this close to its end is made again at start */
const RENEW_BEFORE_MS = 24 * 3600 * 1000;

type Part = 'ca' | 'serving' | 'sa';
interface Made {
  ca?: { cert: string; key: string };
  serving?: { cert: string; key: string };
  sa?: string;
}

/**
 * Makes the missing parts in pki-worker.mjs, on a worker thread: loading @peculiar/x509 costs
 * more than the keys, and meanwhile the main thread opens the store and seeds it.
 */
function generate(make: Part[], ca?: { cert: string; key: string }, names: ServingNames = API_NAMES): Promise<Made> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pki-worker.mjs', import.meta.url), {
      // plain JavaScript: no loader hooks (tsx) needed in the worker
      execArgv: [],
      workerData: { make, ca, days: { ca: CA_DAYS, serving: SERVING_DAYS }, names },
    });
    worker.once('message', (m: Made & { error?: string }) => {
      void worker.terminate();
      if (m.error) reject(new Error(`making the API's certificates failed: ${m.error}`));
      else resolve(m);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the certificate worker exited with ${code} before answering`)));
  });
}

function signingKeyPair(keyPem: string): Pki['serviceAccountKey'] {
  const privateKey = createPrivateKey(keyPem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** the serving certificate is usable: issued by this CA, for our names, not near its end */
function servingUsable(cert: string, caPem: string, names: ServingNames = API_NAMES): boolean {
  try {
    const c = new X509Certificate(cert);
    const ca = new X509Certificate(caPem);
    return (
      c.checkIssued(ca) &&
      c.verify(ca.publicKey) &&
      Date.parse(c.validTo) - Date.now() > RENEW_BEFORE_MS &&
      names.ips.every((ip) => c.checkIP(ip) !== undefined) &&
      names.dns.every((dns) => c.checkHost(dns) !== undefined)
    );
  } catch {
    return false;
  }
}

function caUsable(cert: string, key: string): boolean {
  try {
    const c = new X509Certificate(cert);
    return c.ca && Date.parse(c.validTo) > Date.now() && c.checkPrivateKey(createPrivateKey(key));
  } catch {
    return false;
  }
}

/** a PKI that lives only in memory (tests, benches) */
export async function createMemoryPki(): Promise<Pki> {
  const made = await generate(['ca', 'serving', 'sa']);
  return { caPem: made.ca!.cert, serving: made.serving!, serviceAccountKey: signingKeyPair(made.sa!) };
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** 0600 from the first byte (the temp file is created with the mode), then renamed into place */
export function writePrivateFile(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/**
 * The state dir's PKI: read from <stateDir>/pki/, with whatever is missing or unusable made
 * again. A new CA means a new serving certificate; the ServiceAccount key is kept unless lost
 * (tokens already mounted in pods stay valid across restarts).
 */
export async function loadOrCreatePki(stateDir: string): Promise<Pki> {
  const dir = join(stateDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = (name: string) => join(dir, name);

  let caCert = readOr(file('ca.crt'));
  let caKey = readOr(file('ca.key'));
  let cert = readOr(file('apiserver.crt'));
  let key = readOr(file('apiserver.key'));
  let saKey = readOr(file('sa.key'));
  const make: Part[] = [];
  if (!caCert || !caKey || !caUsable(caCert, caKey)) make.push('ca', 'serving');
  else if (!cert || !key || !servingUsable(cert, caCert)) make.push('serving');
  try {
    if (saKey) signingKeyPair(saKey);
  } catch {
    saKey = undefined;
  }
  if (!saKey) make.push('sa');
  if (make.length) {
    const made = await generate(make, caCert && caKey ? { cert: caCert, key: caKey } : undefined);
    if (made.ca) {
      ({ cert: caCert, key: caKey } = made.ca);
      writePrivateFile(file('ca.key'), caKey);
      writePrivateFile(file('ca.crt'), caCert);
    }
    if (made.serving) {
      ({ cert, key } = made.serving);
      writePrivateFile(file('apiserver.key'), key);
      writePrivateFile(file('apiserver.crt'), cert);
    }
    if (made.sa) {
      saKey = made.sa;
      writePrivateFile(file('sa.key'), saKey);
    }
  }
  return { caPem: caCert!, serving: { cert: cert!, key: key! }, serviceAccountKey: signingKeyPair(saKey!) };
}

/**
 * HTTPS for a server other than the API (a workshop's pages) from the lab's own CA, kept in `dir`
 * (ca.crt, ca.key, tls.crt, tls.key, 0600): the CA is kept across starts, so learners who trust
 * its ca.crt once keep trusting it; the certificate is made again when its names change.
 */
export async function loadOrCreateServingTls(
  dir: string,
  names: ServingNames,
): Promise<{ caFile: string; certFile: string; keyFile: string }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = (name: string) => join(dir, name);
  let ca = { cert: readOr(file('ca.crt')) ?? '', key: readOr(file('ca.key')) ?? '' };
  const cert = readOr(file('tls.crt'));
  const make: Part[] = [];
  if (!caUsable(ca.cert, ca.key)) make.push('ca', 'serving');
  else if (!cert || !readOr(file('tls.key')) || !servingUsable(cert, ca.cert, names)) make.push('serving');
  if (make.length) {
    const made = await generate(make, make.includes('ca') ? undefined : ca, names);
    if (made.ca) {
      ca = made.ca;
      writePrivateFile(file('ca.key'), ca.key);
      writePrivateFile(file('ca.crt'), ca.cert);
    }
    writePrivateFile(file('tls.key'), made.serving!.key);
    writePrivateFile(file('tls.crt'), made.serving!.cert);
  }
  return { caFile: file('ca.crt'), certFile: file('tls.crt'), keyFile: file('tls.key') };
}
