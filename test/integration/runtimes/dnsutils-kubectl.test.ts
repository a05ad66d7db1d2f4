// The Kubernetes docs' "Debugging DNS Resolution" procedure on the whole embedded cluster with the
// real kubectl: the page's dnsutils manifest (kubectl apply), then its exec commands; and the
// other images learners start with `kubectl run` (curlimages/curl, alpine).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterLab, type Lab } from '../kubectl/harness.ts';
import { waitFor } from '../../support/wait.ts';
import { DNSUTILS_YAML } from '../../support/docs-manifests.ts';

let lab: Lab;
const running = (name: string) => waitFor(async () => (await lab.kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.phase}'])).stdout === 'Running',
  { what: `${name} Running`, timeout: 30_000 });

before(async () => {
  lab = await startClusterLab();
  await lab.ok(['apply', '-f', lab.file('dnsutils.yaml', DNSUTILS_YAML)]);
  await lab.ok(['run', 'curl', '--image=curlimages/curl', '--', 'sleep', '3600']);
  await lab.ok(['run', 'alp', '--image=alpine:3.21', '--', 'sleep', '3600']);
  await Promise.all([running('dnsutils'), running('curl'), running('alp')]);
});
after(async () => { await lab?.close(); });

describe("the docs' dnsutils pod and the other images, through kubectl", () => {
  test('kubectl exec -i -t dnsutils -- nslookup kubernetes.default', async () => {
    const r = await lab.kubectl(['exec', '-i', '-t', 'dnsutils', '--', 'nslookup', 'kubernetes.default']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Server:\t\t100\.64\.0\.10\nAddress:\t100\.64\.0\.10#53\n\n/);
    assert.match(r.stdout, /Name:\tkubernetes\.default\.svc\.cluster\.local\nAddress: 100\.64\.0\.1\n\n$/);
  });

  test('kubectl exec -ti dnsutils -- cat /etc/resolv.conf; dig +short; a binary the image lacks', async () => {
    const conf = await lab.ok(['exec', '-ti', 'dnsutils', '--', 'cat', '/etc/resolv.conf']);
    assert.match(conf, /^nameserver 100\.64\.0\.10\nsearch default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
    assert.match(conf, /options ndots:5\n$/);
    assert.equal(await lab.ok(['exec', 'dnsutils', '--', 'dig', '+short', 'kubernetes.default.svc.cluster.local']), '100.64.0.1\n');
    const missing = await lab.kubectl(['exec', 'dnsutils', '--', 'wget', 'http://x']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /exec: "wget": executable file not found in \$PATH/);
  });

  test('curl reaches the API server through kubernetes.default with the pod\'s ServiceAccount token and CA', async () => {
    const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
    const r = await lab.kubectl(['exec', 'curl', '--', 'sh', '-c',
      `curl -sS --cacert ${sa}/ca.crt -H "Authorization: Bearer $(cat ${sa}/token)" https://kubernetes.default/api`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"kind": ?"APIVersions"/);
    const unverified = await lab.kubectl(['exec', 'curl', '--', 'curl', '-sS', 'https://kubernetes.default/api']);
    assert.equal(unverified.code, 60);
    assert.match(unverified.stderr, /^curl: \(60\) SSL certificate problem: unable to get local issuer certificate\n/);
  });

  test('curl and alpine started with kubectl run', async () => {
    const r = await lab.kubectl(['exec', 'curl', '--', 'curl', '-sS', 'http://nothere.default']);
    assert.equal(r.code, 6);
    assert.match(r.stderr, /^curl: \(6\) Could not resolve host: nothere\.default\n/);
    const ns = await lab.kubectl(['exec', 'alp', '--', 'nslookup', 'kubernetes.default']);
    assert.equal(ns.code, 0, ns.stderr);
    assert.match(ns.stdout, /^Server:\t\t100\.64\.0\.10\nAddress:\t100\.64\.0\.10:53\n\nName:\tkubernetes\.default\.svc\.cluster\.local\nAddress: 100\.64\.0\.1\n/);
  });
});
