// The starting state's kube-dns (1.14, dnsmasq in front) at the packet level, through the real dig
// on the published DNS port: RA set, SRV records with kube-dns's priority 10 and SkyDNS's weight.
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
