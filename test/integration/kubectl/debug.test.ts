// kubectl debug -it with an ephemeral container, against the embedded cluster: the
// pods/ephemeralcontainers subresource takes kubectl's strategic merge patch, the kubelet starts
// the container in the pod's runtime, kubectl attaches to it in a terminal, and describe lists it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterLab, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

let lab: Lab;
before(async () => {
  lab = await startClusterLab();
  await lab.runPod('web', 'nginx:1.27');
});
after(async () => { await lab?.close(); });

describe('kubectl debug with an ephemeral container', () => {
  test('debug -it --target: a busybox shell in the pod, beside nginx; describe lists the container', async () => {
    const term = lab.terminal(['debug', '-it', 'web', '--image=busybox:1.28', '--target=web']);
    try {
      await term.shows(/Targeting container "web"\. If you don't see processes from this container it may be because the container runtime doesn't support this feature\./);
      await term.shows(/Defaulting debug container name to debugger-[a-z0-9]{5}\./);
      await term.shows(/# $/);
      // the target's PID namespace: nginx's master is PID 1, its workers (uid 101, no name in
      // busybox's passwd) beside it, then the debug container's shell and ps
      term.write('ps\r');
      await term.shows(/ps\r\nPID   USER     TIME  COMMAND\r\n    1 root      0:00 nginx: master process nginx -g daemon off;\r\n/);
      await term.shows(/\r\n    7 101       0:00 nginx: worker process\r\n    8 101       0:00 nginx: worker process\r\n   13 root      0:00 sh\r\n   19 root      0:00 ps\r\n/);
      // the pod's network: nginx answers on localhost:80
      term.write('wget -qO- http://127.0.0.1/ | head -4 | tail -1\r');
      await term.shows(/<title>Welcome to nginx!<\/title>/);
      term.write('exit 0\r');
      assert.equal(await term.exited, 0);
    } finally {
      term.kill();
    }
    const name = /debugger-[a-z0-9]{5}/.exec(term.output())![0];
    const pod = JSON.parse(await lab.ok(['get', 'pod', 'web', '-o', 'json'])) as {
      spec: { ephemeralContainers: Array<Record<string, unknown>> };
      status: { ephemeralContainerStatuses: Array<{ name: string; state: Record<string, unknown>; ready: boolean }> };
    };
    const [ec] = pod.spec.ephemeralContainers;
    assert.deepEqual(
      {
        name: ec.name, image: ec.image, targetContainerName: ec.targetContainerName, stdin: ec.stdin, tty: ec.tty,
        pull: ec.imagePullPolicy, path: ec.terminationMessagePath,
      },
      { name, image: 'busybox:1.28', targetContainerName: 'web', stdin: true, tty: true, pull: 'IfNotPresent', path: '/dev/termination-log' },
    );
    await waitFor(() => lab.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.ephemeralContainerStatuses[0].state.terminated.exitCode}']).then((s) => s === '0'), {
      what: 'the ephemeral container terminated with 0',
    });
    const d = await lab.ok(['describe', 'pod', 'web']);
    assert.match(d, new RegExp(`Ephemeral Containers:\\n  ${name}:\\n    Container ID:\\s+docker://[0-9a-f]{64}\\n    Image:\\s+busybox:1\\.28\\n`));
    assert.match(d, /    State:\s+Terminated\n      Reason:\s+Completed\n      Exit Code:\s+0\n/);
    assert.match(d, new RegExp(`Normal\\s+Started\\s+\\S+\\s+kubelet\\s+Started container ${name}`));
  });

  test('spec.shareProcessNamespace: ps in any container lists the pause process as PID 1 and every container\'s processes', async () => {
    const manifest = lab.file('share.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: shared
spec:
  shareProcessNamespace: true
  containers:
  - name: nginx
    image: nginx:1.27
  - name: shell
    image: busybox:1.28
    command: ["sleep", "3600"]
`);
    await lab.ok(['apply', '-f', manifest]);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/shared', '--timeout=30s'], { timeoutMs: 40000 });
    assert.equal(await lab.ok(['exec', 'shared', '-c', 'shell', '--', 'ps', 'ax']), 'PID   USER     TIME  COMMAND\n' +
      '    1 65535     0:00 /pause\n    7 root      0:00 nginx: master process nginx -g daemon off;\n' +
      '   13 101       0:00 nginx: worker process\n   14 101       0:00 nginx: worker process\n' +
      '   19 root      0:00 sleep 3600\n   25 root      0:00 ps ax\n');
    // without it each container has its own namespace: the shell's PID 1 is its own command
    await lab.ok(['run', 'solo', '--image=busybox:1.28', '--', 'sleep', '3600']);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/solo', '--timeout=30s'], { timeoutMs: 40000 });
    assert.equal(await lab.ok(['exec', 'solo', '--', 'ps']), 'PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n    7 root      0:00 ps\n');
  });

  test('the subresource refuses what the apiserver refuses: a missing target, a changed container', async () => {
    const bad = await lab.kubectl(['debug', 'web', '--image=busybox:1.28', '--target=nope', '--', 'true']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /The Pod "web" is invalid: spec\.ephemeralContainers\[1\]\.targetContainerName: Not found: "nope"/);
    const name = await lab.ok(['get', 'pod', 'web', '-o', 'jsonpath={.spec.ephemeralContainers[0].name}']);
    const patch = JSON.stringify({ spec: { ephemeralContainers: [{ name, image: 'busybox:1.36' }] } });
    const changed = await lab.kubectl(['patch', 'pod', 'web', '--subresource=ephemeralcontainers', '-p', patch]);
    assert.equal(changed.code, 1);
    assert.match(changed.stderr, new RegExp(`existing ephemeral containers "${name}" may not be changed`));
  });
});
