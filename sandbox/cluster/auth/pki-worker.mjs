// Makes the PKI's missing parts with @peculiar/x509, in a worker thread: loading the library
// (its ASN.1 schemas) costs more than making the keys, and a first `sandbox up` would otherwise
// pay it on the main thread while the store and the seed wait. Plain JavaScript so that it runs
// the same from the sources (tsx) and from the CLI bundle. pki.ts owns what is made and why.
// workerData: { ca?: { cert, key }, make: Array<'ca' | 'serving' | 'sa'> }
// posts: { ca?: { cert, key }, serving?: { cert, key }, sa?: string } or { error: string }
import { webcrypto } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

// tsyringe (under @peculiar/x509) insists on a Reflect metadata polyfill and only reads
// "design:paramtypes", which nothing here writes; these three functions are all it calls.
if (!Reflect.getMetadata) {
  const meta = new WeakMap();
  Reflect.getOwnMetadata = (key, target) => meta.get(target)?.get(key);
  Reflect.getMetadata = (key, target) => {
    for (let t = target; t; t = Object.getPrototypeOf(t)) if (meta.get(t)?.has(key)) return meta.get(t).get(key);
    return undefined;
  };
  Reflect.defineMetadata = (key, value, target) => {
    if (!meta.has(target)) meta.set(target, new Map());
    meta.get(target).set(key, value);
  };
}

const x509 = await import('@peculiar/x509');
x509.cryptoProvider.set(webcrypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 3600 * 1000;
const { ca: givenCa, make, days, names } = workerData;

function pem(label, der) {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
const newKeys = () => webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
const privatePem = async (key) => pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
/** random positive 128-bit serial (RFC 5280 allows up to 20 octets) */
function serial() {
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0] & 0x7f) | 0x01;
  return Buffer.from(b).toString('hex');
}

async function createCa() {
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=kubernetes-ca',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + days.ca * DAY_MS),
    signingAlgorithm: SIGN,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await privatePem(keys.privateKey) };
}

async function createServing(ca) {
  const keys = await newKeys();
  const caCert = new x509.X509Certificate(ca.cert);
  const caKeyDer = Buffer.from(ca.key.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const signingKey = await webcrypto.subtle.importKey('pkcs8', caKeyDer, EC, false, ['sign']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=kube-apiserver',
    issuer: caCert.subjectName,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + days.serving * DAY_MS),
    signingAlgorithm: SIGN,
    publicKey: keys.publicKey,
    signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([...names.dns.map((value) => ({ type: 'dns', value })), ...names.ips.map((value) => ({ type: 'ip', value }))]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await privatePem(keys.privateKey) };
}

try {
  const out = {};
  const ca = make.includes('ca') ? (out.ca = await createCa()) : givenCa;
  if (make.includes('serving')) out.serving = await createServing(ca);
  if (make.includes('sa')) out.sa = await privatePem((await newKeys()).privateKey);
  parentPort.postMessage(out);
} catch (err) {
  parentPort.postMessage({ error: String(err?.stack ?? err) });
}
