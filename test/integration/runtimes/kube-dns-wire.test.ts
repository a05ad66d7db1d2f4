// The starting state's kube-dns (1.14, dnsmasq in front) at the packet level, through the real dig
// on the published DNS port: RA set, SRV records with kube-dns's priority 10 and SkyDNS's weight,
// names compressed (CoreDNS, on a kind cluster beside it, sends small replies uncompressed).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startClusterLab, type Lab } from '../kubectl/harness.ts';
import { waitFor } from '../../support/wait.ts';

const exec = promisify(execFile);
let lab: Lab;
before(async () => { lab = await startClusterLab({ dnsPort: 0 }); });
after(async () => { await lab?.close(); });

async function dig(...args: string[]): Promise<string> {
  const r = await exec('dig', ['+time=2', '+tries=2', '@127.0.0.1', '-p', String(lab.dnsPort), ...args]);
  return r.stdout;
}

describe('kube-dns 1.14 on the wire (real dig)', () => {
  test('flags qr aa rd ra: no "recursion requested but not available" warning', async () => {
    const out = await waitFor(async () => {
      const o = await dig('kubernetes.default.svc.cluster.local').catch(() => '');
      return /status: NOERROR/.test(o) && o;
    }, { what: 'kube-dns answering', timeout: 30_000 });
    assert.match(out, /;; flags: qr aa rd ra; QUERY: 1, ANSWER: 1,/);
    assert.doesNotMatch(out, /recursion requested but not available/);
    const nx = await dig('nosuch.default.svc.cluster.local');
    assert.match(nx, /status: NXDOMAIN/);
    assert.match(nx, /;; flags: qr aa rd ra;/);
  });

  test('SRV: priority 10, weight 100 for one record', async () => {
    const out = await dig('+short', '-t', 'SRV', '_dns._udp.kube-dns.kube-system.svc.cluster.local');
    assert.equal(out, '10 100 53 kube-dns.kube-system.svc.cluster.local.\n');
  });

  test('SRV of a headless Service with three pods: priority 10, weight floor(100/3) each', async () => {
    await lab.ok(['create', 'deployment', 'trio', '--image=busybox:1.28', '--replicas=3', '--', 'sleep', '3600']);
    await lab.ok(['apply', '-f', lab.file('trio-svc.yaml', `apiVersion: v1
kind: Service
metadata: {name: trio}
spec:
  clusterIP: None
  selector: {app: trio}
  ports: [{name: http, port: 80, protocol: TCP}]
`)]);
    const out = await waitFor(async () => {
      const o = await dig('+short', '-t', 'SRV', '_http._tcp.trio.default.svc.cluster.local');
      return o.trim().split('\n').length === 3 && o;
    }, { what: 'three SRV records', timeout: 40_000 });
    // (the target label is the stand-in's dashed pod IP; kube-dns named an endpoint by a hash)
    for (const line of out.trim().split('\n')) assert.match(line, /^10 33 80 [0-9a-f-]+\.trio\.default\.svc\.cluster\.local\.$/);
  });
});

describe('kube-dns compresses its answers; CoreDNS does not (real dig, MSG SIZE)', () => {
  let kind: Lab;
  before(async () => { kind = await startClusterLab({ profile: 'kind', dnsPort: 0 }); });
  after(async () => { await kind?.close(); });

  const size = async (port: number | undefined, ...args: string[]) => {
    const out = await waitFor(async () => {
      const r = await exec('dig', ['+time=2', '+tries=2', '@127.0.0.1', '-p', String(port), ...args]).catch(() => undefined);
      return r && /status: NOERROR/.test(r.stdout) && r.stdout;
    }, { what: 'an answer', timeout: 30_000 });
    return { out, bytes: Number(/;; MSG SIZE {2}rcvd: (\d+)/.exec(out)?.[1]) };
  };

  test("one A record: the answer's owner is a pointer to the question (36 bytes fewer)", async () => {
    const name = 'kubernetes.default.svc.cluster.local';
    const kubeDns = await size(lab.dnsPort, name);
    const coredns = await size(kind.dnsPort, name);
    assert.match(kubeDns.out, /\nkubernetes\.default\.svc\.cluster\.local\. \d+\s+IN\s+A\s+100\.64\.0\.1\n/);
    // CoreDNS 1.11 (request.Scrub) compresses only a reply that would not fit: byte for byte as before
    assert.equal(coredns.bytes, 117);
    // the name's 38 bytes (kubernetes.default.svc.cluster.local. on the wire) become a 2-byte pointer
    assert.equal(kubeDns.bytes, coredns.bytes - 36);
  });

  test('SRV: the owner compressed, the target left whole (RFC 2782), later names may point into it', async () => {
    const q = ['-t', 'SRV', '_dns._udp.kube-dns.kube-system.svc.cluster.local'];
    const kubeDns = await size(lab.dnsPort, ...q);
    assert.match(kubeDns.out, /\n_dns\._udp\.kube-dns\.kube-system\.svc\.cluster\.local\. \d+\s+IN\s+SRV\s+10 100 53 kube-dns\.kube-system\.svc\.cluster\.local\.\n/);
    const coredns = await size(kind.dnsPort, ...q);
    assert.ok(kubeDns.bytes < coredns.bytes, `${kubeDns.bytes} < ${coredns.bytes}`);
  });
});
