// sandbox up / status / down / restart, driven as a learner drives them, checked with the real kubectl.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kubectl, lab, Sandbox, table, tempDir } from './sandbox-process.ts';
import { waitFor } from '../../support/wait.ts';

describe('sandbox up, status, down and a restart that resumes', () => {
  const stateDir = tempDir('lifecycle');
  let sb: Sandbox & { kubeconfig: string };
  let kubectl: Kubectl;
  let podsBefore: string[][] = [];

  before(async () => {
    sb = await Sandbox.up(stateDir);
    kubectl = new Kubectl(sb.kubeconfig);
  });
  after(async () => {
    await sb?.stop('SIGKILL');
    kubectl?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('up prints the ready line with an absolute kubeconfig for an https API on 127.0.0.1, with its CA and token', () => {
    assert.equal(sb.kubeconfig, join(stateDir, 'kubeconfig'));
    const cfg = readFileSync(sb.kubeconfig, 'utf8');
    assert.match(cfg, /server: https:\/\/127\.0\.0\.1:\d+\n/);
    assert.match(cfg, /certificate-authority-data: [A-Za-z0-9+/=]{200,}\n/);
    assert.match(cfg, /\n {4}token: [A-Za-z0-9_-]{43}\n/);
    assert.doesNotMatch(cfg, /insecure-skip-tls-verify|password|client-key/);
    assert.match(cfg, /namespace: default/);
  });

  test('the cluster is the chapter\'s: 3 masters and 5 nodes, kube-dns at 100.64.0.10', async () => {
    const nodes = table(await kubectl.ok(['get', 'nodes']));
    assert.deepEqual(nodes[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    assert.equal(nodes.length - 1, 8);
    assert.equal(nodes.filter((r) => r[2] === 'master').length, 3);
    assert.equal(nodes.filter((r) => r[2] === 'node').length, 5);
    assert.ok(nodes.slice(1).every((r) => r[1] === 'Ready'));
    const svc = table(await kubectl.ok(['get', 'svc', '-n', 'kube-system']));
    assert.deepEqual(svc[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.deepEqual(svc[1]!.slice(0, 5), ['kube-dns', 'ClusterIP', '100.64.0.10', '<none>', '53/UDP,53/TCP']);
    let seen: string[][] = [];
    podsBefore = await waitFor(async () => {
      const rows = seen = table(await kubectl.ok(['get', 'pods', '-n', 'kube-system', '-o', 'wide'])).slice(1);
      // the 4 addon pods and the 23 mirror pods of kops's static pods (5 per master, kube-proxy on all 8)
      return rows.length === 4 + 23 && rows.every((r) => r[2] === 'Running') && rows;
    }, { what: 'kube-system pods running', show: () => seen.map((r) => r.slice(0, 3).join(' ')).join('\n') });
  });

  test('a second up on the same state dir refuses, naming the running pid and the fix', async () => {
    const r = await lab(['sandbox', 'up', '--state-dir', stateDir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`already running on ${stateDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pid ${sb.child.pid}: sandbox up since `));
    assert.match(r.stderr, /sandbox down --state-dir/);
    assert.equal(sb.child.exitCode, null, 'the running sandbox is untouched');
  });

  test('status --json says running, as the owner reports it over its socket', async () => {
    const r = await lab(['sandbox', 'status', '--json', '--state-dir', stateDir]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.state, 'running');
    assert.equal(s.provider, 'embedded');
    assert.equal(s.kubeconfig, sb.kubeconfig);
    assert.match(s.apiServer, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(s.owner, 'sandbox up');
    assert.equal(s.pid, sb.child.pid);
    assert.equal(sb.child.exitCode, null, 'status sends no signal');
  });

  test('reset refuses while the sandbox runs', async () => {
    const r = await lab(['sandbox', 'reset', '--state-dir', stateDir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already running .* cannot be reset underneath it\. Stop it first .* or reset it in place with "coredns-lab sandbox reset --in-place --state-dir /);
  });

  test('reset --in-place returns the running sandbox to the Status Quo', async () => {
    await kubectl.ok(['create', 'configmap', 'doomed', '--from-literal=a=b']);
    await kubectl.ok(['delete', 'deployment', 'dns-controller', '-n', 'kube-system']);
    const r = await lab(['sandbox', 'reset', '--in-place', '--state-dir', stateDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`\\(pid ${sb.child.pid}, sandbox up\\) is back at the chapter's Status Quo \\(reset 1\\)`));
    assert.equal((await kubectl.run(['get', 'configmap', 'doomed'])).code, 1);
    podsBefore = await waitFor(async () => {
      const rows = table(await kubectl.ok(['get', 'pods', '-n', 'kube-system', '-o', 'wide'])).slice(1);
      return rows.length === 4 + 23 && rows.every((x) => x[2] === 'Running') && rows.some((x) => x[0]!.startsWith('dns-controller-')) && rows;
    }, { what: 'kube-system back' });
    assert.equal(sb.child.exitCode, null);
  });

  test('a pod the learner created, and the API port, survive down + up', async () => {
    await kubectl.ok(['run', 'keeper', '--image=busybox:1.28', '--restart=Never', '--', 'sleep', '3600']);
    const keeper = await waitFor(async () => {
      const rows = table(await kubectl.ok(['get', 'pod', 'keeper', '-o', 'wide']));
      return rows[1]?.[2] === 'Running' && rows[1];
    }, { what: 'keeper running' });
    const port = /server: (.+)/.exec(readFileSync(sb.kubeconfig, 'utf8'))![1];
    const down = await lab(['sandbox', 'down', '--state-dir', stateDir]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, new RegExp(`sandbox stopped \\(pid ${sb.child.pid}\\)`));
    assert.equal(await sb.exited, 0);
    assert.ok(!existsSync(join(stateDir, 'sandbox.pid')));
    const st = await lab(['sandbox', 'status', '--state-dir', stateDir]);
    assert.equal(st.code, 3);
    assert.match(st.stdout, /state: +stopped/);

    sb = await Sandbox.up(stateDir);
    assert.equal(/server: (.+)/.exec(readFileSync(sb.kubeconfig, 'utf8'))![1], port, 'the last port is reused');
    const again = await waitFor(async () => {
      const rows = table(await kubectl.ok(['get', 'pod', 'keeper', '-o', 'wide']));
      return rows[1]?.[2] === 'Running' && rows[1];
    }, { what: 'keeper running again' });
    assert.equal(again[5], keeper[5], 'same pod IP');
    assert.equal(again[6], keeper[6], 'same node');
    const pods = await waitFor(async () => {
      const rows = table(await kubectl.ok(['get', 'pods', '-n', 'kube-system', '-o', 'wide'])).slice(1);
      return rows.every((r) => r[2] === 'Running') && rows;
    }, { what: 'kube-system pods running' });
    assert.deepEqual(pods.map((r) => [r[0], r[5]]), podsBefore.map((r) => [r[0], r[5]]), 'same pods, same IPs');
  });

  test('SIGINT stops the sandbox with exit 0 and releases the state dir', async () => {
    assert.equal(await sb.stop('SIGINT'), 0);
    assert.match(sb.stderr, /stopping \(state kept in /);
    assert.ok(!existsSync(join(stateDir, 'sandbox.pid')));
  });
});
