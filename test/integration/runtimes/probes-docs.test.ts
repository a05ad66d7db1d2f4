// "Configure Liveness, Readiness and Startup Probes": the page's three pods, as the page gives
// them, through the real kubectl, and the images they need (agnhost, goproxy) beyond the page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterLab, type Lab } from '../kubectl/harness.ts';
import { waitFor } from '../../support/wait.ts';
import { EXEC_LIVENESS_YAML, HTTP_LIVENESS_YAML, TCP_LIVENESS_READINESS_YAML } from '../../support/docs-manifests.ts';

let lab: Lab;
before(async () => { lab = await startClusterLab(); });
after(async () => { await lab?.close(); });

const jsonpath = async (pod: string, path: string) => (await lab.ok(['get', 'pod', pod, '-o', `jsonpath=${path}`])).trim();

describe('the page\'s three examples', () => {
  test('exec, http and tcp: all three pods run; the http one fails its probe after 10 s and restarts, with the kubelet\'s texts', async () => {
    // all three at once: the http pod needs ~20 s to restart, the tcp one 15 s to be probed at all
    await lab.ok(['apply', '-f', lab.file('exec-liveness.yaml', EXEC_LIVENESS_YAML)]);
    await lab.ok(['apply', '-f', lab.file('http-liveness.yaml', HTTP_LIVENESS_YAML)]);
    await lab.ok(['apply', '-f', lab.file('tcp-liveness-readiness.yaml', TCP_LIVENESS_READINESS_YAML)]);

    await lab.ok(['wait', '--for=condition=Ready', 'pod/liveness-exec', 'pod/liveness-http', '--timeout=30s'], { timeoutMs: 40000 });
    // agnhost's /healthz answers 200 "ok" in its first 10 s; its server logs nothing
    assert.equal(await lab.ok(['exec', 'liveness-http', '--', 'wget', '-qO-', 'http://localhost:8080/healthz']), 'ok');
    assert.equal(await lab.ok(['logs', 'liveness-http']), '');

    const restarted = await waitFor(async () => {
      const d = await lab.ok(['describe', 'pod', 'liveness-http']);
      return /\nRestart Count: +1\n/.test(d) || /Restart Count: +1\n/.test(d) ? d : undefined;
    }, { what: 'liveness-http restarted once', timeout: 40_000 });
    assert.match(restarted, /\n {2}Warning +Unhealthy +\S+ .*kubelet +Liveness probe failed: HTTP probe failed with statuscode: 500\n/);
    assert.match(restarted, /\n {2}Normal +Killing +\S+ +kubelet +Container liveness failed liveness probe, will be restarted\n/);
    // a Go server as PID 1 without a SIGTERM handler exits 2 at once, not 137 after the grace period
    assert.match(restarted, /Last State: +Terminated\n +Reason: +Error\n +Exit Code: +2\n/);

    // goproxy: Ready once the readiness probe ran after its 15 s delay, and Running without restarts
    await lab.ok(['wait', '--for=condition=Ready', 'pod/goproxy', '--timeout=40s'], { timeoutMs: 50000 });
    assert.match(await lab.ok(['get', 'pod', 'goproxy']), /\ngoproxy +1\/1 +Running +0 +/);
    assert.doesNotMatch(await lab.ok(['describe', 'pod', 'goproxy']), /Unhealthy/);
    // no shell in that image
    const exec = await lab.kubectl(['exec', 'goproxy', '--', 'sh', '-c', 'true']);
    assert.notEqual(exec.code, 0);
    assert.match(exec.stderr, /executable file not found in \$PATH/);

    // the exec pod's probe passes in its first 30 s
    assert.equal(await jsonpath('liveness-exec', '{.status.containerStatuses[0].restartCount}'), '0');
    assert.doesNotMatch(await lab.ok(['describe', 'pod', 'liveness-exec']), /Unhealthy/);
  });
});

describe('agnhost beyond the page', () => {
  test('without args it runs its CMD, pause; kubectl exec gets Alpine\'s shell and finds /agnhost', async () => {
    await lab.ok(['run', 'paused', '--image=registry.k8s.io/e2e-test-images/agnhost:2.40']);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/paused', '--timeout=30s'], { timeoutMs: 40000 });
    await waitFor(async () => (await lab.ok(['logs', 'paused'])) === 'Paused\n', { what: 'pause\'s line' });
    assert.match(await lab.ok(['exec', 'paused', '--', 'ls', '/']), /\bagnhost\b[\s\S]*\buploads\b/);
    assert.equal(await lab.ok(['exec', 'paused', '--', 'sh', '-c', 'cat /etc/alpine-release']), '3.12.12\n');
    const notOnPath = await lab.kubectl(['exec', 'paused', '--', 'agnhost', 'pause']);
    assert.match(notOnPath.stderr, /executable file not found in \$PATH/);
    const help = await lab.ok(['exec', 'paused', '--', '/agnhost', '--help']);
    assert.match(help, /^Usage:\n {2}app \[command\]\n\nAvailable Commands:\n/);
    assert.match(help, /\n {2}liveness {30}Starts a server that is alive for 10 seconds\n/);
    const unknown = await lab.kubectl(['exec', 'paused', '--', '/agnhost', 'nope']);
    assert.equal(unknown.stderr.split('\n').slice(0, 2).join('\n'), 'Error: unknown command "nope" for "app"\nRun \'app --help\' for usage.');
  });

  test('netexec: /hostname, /echo, /clientip and / from another pod, each request logged', async () => {
    await lab.ok(['run', 'netexec', '--image=registry.k8s.io/e2e-test-images/agnhost:2.40', '--', 'netexec', '--http-port=8080']);
    await lab.ok(['run', 'client', '--image=busybox:1.28', '--', 'sleep', '3600']);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/netexec', 'pod/client', '--timeout=30s'], { timeoutMs: 40000 });
    const ip = await jsonpath('netexec', '{.status.podIP}');
    const clientIP = await jsonpath('client', '{.status.podIP}');
    assert.equal(await lab.ok(['exec', 'client', '--', 'wget', '-qO-', `http://${ip}:8080/hostname`]), 'netexec');
    assert.equal(await lab.ok(['exec', 'client', '--', 'wget', '-qO-', `http://${ip}:8080/echo?msg=hello`]), 'hello');
    assert.match(await lab.ok(['exec', 'client', '--', 'wget', '-qO-', `http://${ip}:8080/clientip`]), new RegExp(`^${clientIP.replace(/\./g, '\\.')}:\\d+$`));
    assert.match(await lab.ok(['exec', 'client', '--', 'wget', '-qO-', `http://${ip}:8080/`]),
      /^NOW: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \+0000 UTC m=\+\d+\.\d{9}$/);
    const logs = await waitFor(async () => {
      const l = await lab.ok(['logs', 'netexec']);
      return l.includes('GET /\n') && l;
    }, { what: 'netexec\'s request lines' });
    const lines = logs.trimEnd().split('\n').map((l) => l.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, ''));
    assert.deepEqual(lines, ['Started HTTP server on port 8080', 'Started UDP server on port  8081', 'GET /hostname',
      'GET /echo?msg=hello&code=', 'GET /clientip', 'GET /']);
  });
});
