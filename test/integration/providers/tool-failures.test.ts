// The kind and minikube providers when Docker is not there or not running, or the tool fails: the
// learner reads what is wrong and the command that fixes it, and no cluster is left half-made.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI_PATH, FakeTools, FAKE_TOOLS } from './fake-cluster-tools.ts';
import { run, tempDir } from '../sandbox/sandbox-process.ts';

const up = (stateDir: string, provider: string, env: Record<string, string>) =>
  run(process.execPath, [CLI_PATH, 'sandbox', 'up', '--provider', provider, '--state-dir', stateDir], { env, timeoutMs: 60_000 });

describe('kind and minikube without a working Docker', () => {
  const fakes = new FakeTools();
  const stateDir = tempDir('tool-failures');
  after(() => {
    fakes.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  });

  for (const provider of ['kind', 'minikube']) {
    test(`${provider}: the Docker daemon does not answer`, async () => {
      const r = await up(stateDir, provider, fakes.env('/nonexistent', { FAKE_DOCKER: 'missing-daemon' }));
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /docker is installed but its daemon does not answer \(Cannot connect to the Docker daemon at unix:\/\/\/var\/run\/docker\.sock/);
      assert.match(r.stderr, /sudo systemctl start docker/);
      assert.match(r.stderr, /--provider embedded/);
      assert.deepEqual(fakes.commands().slice(-1), ['docker info --format {{.ServerVersion}}']);
    });
  }

  test('kind: docker is not installed', async () => {
    // only the fake kind and node on PATH
    const bin = join(tempDir('no-docker'), 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(join(FAKE_TOOLS, 'kind'), join(bin, 'kind'));
    symlinkSync(join(FAKE_TOOLS, 'fake-tool.mjs'), join(bin, 'fake-tool.mjs'));
    const env = { ...fakes.env('/nonexistent'), PATH: `${bin}:${dirname(process.execPath)}` };
    const r = await up(stateDir, 'kind', env);
    rmSync(dirname(bin), { recursive: true, force: true });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /docker is not on PATH\. Install it: https:\/\/docs\.docker\.com\/engine\/install\//);
  });

  test('kind: "kind create cluster" fails; its own error is shown and nothing is recorded', async () => {
    const before = fakes.calls().length;
    const r = await up(stateDir, 'kind', fakes.env('/nonexistent', { FAKE_FAIL: 'kind create' }));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /"kind create cluster --name coredns-lab --config .* --wait 120s" failed \(exit 1\)/);
    assert.match(r.stderr, /ERROR: failed to create cluster: failed to init node with kubeadm/);
    assert.deepEqual(
      fakes.commands().slice(before).map((c) => c.split(' ').slice(0, 3).join(' ')),
      ['docker info --format', 'kind get clusters', 'kind create cluster'],
    );
  });

  test('minikube: "minikube start" fails with its exit code and reason', async () => {
    const r = await up(stateDir, 'minikube', fakes.env('/nonexistent', { FAKE_FAIL: 'minikube start' }));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /"minikube start -p coredns-lab --driver=docker" failed \(exit 80\):[\s\S]*K8S_APISERVER_MISSING/);
  });
});
