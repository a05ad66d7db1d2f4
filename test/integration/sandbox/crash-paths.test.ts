// The failure paths a learner meets with CoreDNS: a missing ConfigMap (ContainerCreating and a
// FailedMount event) and a broken Corefile (CrashLoopBackOff, restarts, the error in the logs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kubectl, Sandbox, table, tempDir } from './sandbox-process.ts';
import { waitFor } from '../../support/wait.ts';

const deployment = (name: string, configMap: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: default
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: coredns
        image: coredns/coredns:1.11.3
        args: ["-conf", "/etc/coredns/Corefile"]
        volumeMounts:
        - {name: config-volume, mountPath: /etc/coredns}
      volumes:
      - name: config-volume
        configMap:
          name: ${configMap}
          items: [{key: Corefile, path: Corefile}]
`;

describe('crash paths of a CoreDNS pod', () => {
  const stateDir = tempDir('crash');
  let sb: Sandbox & { kubeconfig: string };
  let k: Kubectl;

  before(async () => {
    sb = await Sandbox.up(stateDir);
    k = new Kubectl(sb.kubeconfig);
    writeFileSync(join(stateDir, 'nocm.yaml'), deployment('nocm', 'missing-corefile'));
    writeFileSync(join(stateDir, 'broken.yaml'), deployment('broken', 'broken-corefile'));
  });
  after(async () => {
    await sb?.stop('SIGKILL');
    k?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('a missing ConfigMap holds the pod in ContainerCreating with a FailedMount event, until it exists', async () => {
    await k.ok(['apply', '-f', join(stateDir, 'nocm.yaml')]);
    const pod = await waitFor(async () => {
      const d = await k.ok(['describe', 'pods', '-l', 'app=nocm']);
      return /Warning\s+FailedMount\s+.*kubelet\s+MountVolume\.SetUp failed for volume "config-volume" : configmap "missing-corefile" not found/.test(d) && d;
    }, { what: 'FailedMount in describe' });
    assert.match(pod, /Status:\s+Pending/);
    const rows = table(await k.ok(['get', 'pods', '-l', 'app=nocm'])).slice(1);
    assert.deepEqual(rows[0]!.slice(1, 3), ['0/1', 'ContainerCreating']);
    await k.ok(['create', 'configmap', 'missing-corefile', '--from-literal=Corefile=.:53 {\n    errors\n    whoami\n}\n']);
    await waitFor(async () => table(await k.ok(['get', 'pods', '-l', 'app=nocm'])).slice(1)[0]?.[2] === 'Running', { what: 'running once the ConfigMap exists', timeout: 30_000 });
  });

  test('a broken Corefile: CrashLoopBackOff, restarts counted, the error in logs --previous', async () => {
    await k.ok(['create', 'configmap', 'broken-corefile', '--from-literal=Corefile=.:53 {\n    nosuchplugin\n}\n']);
    await k.ok(['apply', '-f', join(stateDir, 'broken.yaml')]);
    const row = await waitFor(async () => {
      const r = table(await k.ok(['get', 'pods', '-l', 'app=broken'])).slice(1)[0];
      return r?.[2] === 'CrashLoopBackOff' && r;
    }, { what: 'CrashLoopBackOff', timeout: 30_000 });
    assert.ok(Number(row[3]!.split(' ')[0]) >= 1, `restarts: ${row[3]}`);
    const name = row[0]!;
    const logs = await k.run(['logs', name, '--previous']);
    assert.match(logs.stdout + logs.stderr, /nosuchplugin/);
    const d = await k.ok(['describe', 'pod', name]);
    assert.match(d, /Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container coredns in pod /);
    assert.match(d, /Last State:\s+Terminated\n\s+Reason:\s+Error\n(\s+Message:.*nosuchplugin.*\n)?\s+Exit Code:\s+1\n/);
    assert.match(d, /State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff\n/);
  });
});
