// The embedded API's PKI, as kubeadm lays it out: a cluster CA, the API server's serving
// certificate signed by it, and the key that signs ServiceAccount tokens. Kept per state dir in
// <stateDir>/pki/ (0700, files 0600) so a restart keeps the learner's kubeconfig valid; the
// serving certificate is made again when it is missing, expiring or not issued by the CA.
// @peculiar/x509 writes the certificates (it is loaded only when something must be generated:
// a restart reads PEM files with node:crypto and pays nothing for it).
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installReflectMetadata } from './reflect-shim.ts';

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
/** 127.0.0.1, and the `kubernetes` Service VIP of the chapter's cluster */
export const SERVING_IPS = ['127.0.0.1', '100.64.0.1'];

const CA_DAYS = 3650;
const SERVING_DAYS = 365;
/** a serving certificate this close to its end is made again at start */
const RENEW_BEFORE_MS = 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

type X509Lib = typeof import('@peculiar/x509');
let lib: Promise<X509Lib> | undefined;
function x509(): Promise<X509Lib> {
  installReflectMetadata();
  lib ??= import('@peculiar/x509').then((m) => {
    m.cryptoProvider.set(webcrypto as unknown as Crypto);
    return m;
  });
  return lib;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

async function newKeyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privatePem(key: CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

async function importPrivate(keyPem: string): Promise<CryptoKey> {
  const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, EC, true, ['sign']) as Promise<CryptoKey>;
}

async function importPublicFromCert(certPem: string): Promise<CryptoKey> {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return webcrypto.subtle.importKey('spki', der, EC, true, ['verify']) as Promise<CryptoKey>;
}

/** random positive 128-bit serial, as hex (RFC 5280 allows up to 20 octets) */
function serial(): string {
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0]! & 0x7f) | 0x01;
  return Buffer.from(b).toString('hex');
}

async function createCa(): Promise<{ cert: string; key: string }> {
  const m = await x509();
  const keys = await newKeyPair();
  const now = Date.now();
  const cert = await m.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=kubernetes-ca',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + CA_DAYS * DAY_MS),
    signingAlgorithm: SIGN,
    keys,
    extensions: [
      new m.BasicConstraintsExtension(true, undefined, true),
      new m.KeyUsagesExtension(m.KeyUsageFlags.keyCertSign | m.KeyUsageFlags.cRLSign | m.KeyUsageFlags.digitalSignature, true),
      await m.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await privatePem(keys.privateKey) };
}

async function createServing(ca: { cert: string; key: string }): Promise<{ cert: string; key: string }> {
  const m = await x509();
  const keys = await newKeyPair();
  const caPublic = await importPublicFromCert(ca.cert);
  const now = Date.now();
  const cert = await m.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=kube-apiserver',
    issuer: new m.X509Certificate(ca.cert).subjectName,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + SERVING_DAYS * DAY_MS),
    signingAlgorithm: SIGN,
    publicKey: keys.publicKey,
    signingKey: await importPrivate(ca.key),
    extensions: [
      new m.BasicConstraintsExtension(false, undefined, true),
      new m.KeyUsagesExtension(m.KeyUsageFlags.digitalSignature, true),
      new m.ExtendedKeyUsageExtension([m.ExtendedKeyUsage.serverAuth]),
      new m.SubjectAlternativeNameExtension([
        ...SERVING_DNS_NAMES.map((value) => ({ type: 'dns' as const, value })),
        ...SERVING_IPS.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await m.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await m.AuthorityKeyIdentifierExtension.create(caPublic),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await privatePem(keys.privateKey) };
}

async function createSigningKey(): Promise<string> {
  return privatePem((await newKeyPair()).privateKey);
}

function signingKeyPair(keyPem: string): Pki['serviceAccountKey'] {
  const privateKey = createPrivateKey(keyPem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** the serving certificate is usable: issued by this CA, for our names, not near its end */
function servingUsable(cert: string, caPem: string): boolean {
  try {
    const c = new X509Certificate(cert);
    const ca = new X509Certificate(caPem);
    return c.checkIssued(ca) && c.verify(ca.publicKey) && Date.parse(c.validTo) - Date.now() > RENEW_BEFORE_MS && c.checkIP('100.64.0.1') !== undefined;
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
  const ca = await createCa();
  const [serving, saKey] = await Promise.all([createServing(ca), createSigningKey()]);
  return { caPem: ca.cert, serving, serviceAccountKey: signingKeyPair(saKey) };
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
  let newCa = false;
  if (!caCert || !caKey || !caUsable(caCert, caKey)) {
    ({ cert: caCert, key: caKey } = await createCa());
    writePrivateFile(file('ca.key'), caKey);
    writePrivateFile(file('ca.crt'), caCert);
    newCa = true;
  }
  let cert = readOr(file('apiserver.crt'));
  let key = readOr(file('apiserver.key'));
  if (newCa || !cert || !key || !servingUsable(cert, caCert)) {
    ({ cert, key } = await createServing({ cert: caCert, key: caKey }));
    writePrivateFile(file('apiserver.key'), key);
    writePrivateFile(file('apiserver.crt'), cert);
  }
  let saKey = readOr(file('sa.key'));
  try {
    if (saKey) signingKeyPair(saKey);
  } catch {
    saKey = undefined;
  }
  if (!saKey) {
    saKey = await createSigningKey();
    writePrivateFile(file('sa.key'), saKey);
  }
  return { caPem: caCert, serving: { cert, key }, serviceAccountKey: signingKeyPair(saKey) };
}
