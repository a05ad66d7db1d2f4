// Every template passes the embedded API server's validation (kubectl --dry-run=server), and the
// kind/minikube Service variants are refused on the chapter's cluster, as on a real one, because
// a Service's clusterIP cannot change.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labCluster, type LabCluster } from '../../unit/runtimes/support/lab-cluster.ts';

const lessons = fileURLToPath(new URL('../../../lessons/', import.meta.url));

describe('templates against the embedded API (server-side dry run)', () => {
  let c: LabCluster;
  const kubectl = (...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => new Promise((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', c.kubeconfig, '--cache-dir', join(c.dir, 'cache'), ...args], { cwd: lessons, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

  before(async () => { c = await labCluster({ api: true }); });
  after(async () => { await c.close(); });

  for (const f of ['busybox.yaml', 'coredns-kops.yaml', 'coredns-kind.yaml', 'coredns-minikube.yaml']) {
    test(`kubectl create --dry-run=server -f templates/${f}`, async () => {
      const r = await kubectl('create', '--dry-run=server', '-f', `templates/${f}`);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /created \(server dry run\)\n$/);
    });
  }

  for (const f of ['coredns-service.yaml', 'kubedns-service.yaml']) {
    test(`kubectl apply --dry-run=server -f templates/${f} (kube-dns exists)`, async () => {
      const r = await kubectl('apply', '--dry-run=server', '-f', `templates/${f}`);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^service\/kube-dns (configured|unchanged) \(server dry run\)\n$/);
    });
  }

  for (const f of ['coredns-service-kind.yaml', 'coredns-service-minikube.yaml']) {
    test(`templates/${f} cannot move kube-dns off 100.64.0.10`, async () => {
      const r = await kubectl('apply', '--dry-run=server', '-f', `templates/${f}`);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /The Service "kube-dns" is invalid: spec\.clusterIPs?(\[0\])?: Invalid value: .*10\.96\.0\.10.*may not change once set/);
    });
  }

  test('nothing was created by the dry runs', async () => {
    const r = await kubectl('get', 'deployments,configmaps', '-n', 'kube-system', '-o', 'name');
    assert.doesNotMatch(r.stdout, /coredns/);
  });
});
