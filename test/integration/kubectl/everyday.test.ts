// Everyday kubectl and the docs' task pages walked against the whole embedded cluster, where an
// independent walk-through found the sandbox answering differently from a real 1.32 cluster.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterLab, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

let lab: Lab;
before(async () => { lab = await startClusterLab(); });
after(async () => { await lab?.close(); });

describe('kubectl expose, then describe svc', () => {
  test('an unnamed port: the EndpointSlice says name "", and describe svc prints its Endpoints', async () => {
    await lab.ok(['create', 'deployment', 'web', '--image=nginx:1.27']);
    await lab.ok(['rollout', 'status', 'deploy/web', '--timeout=30s'], { timeoutMs: 40000 });
    assert.equal(await lab.ok(['expose', 'deployment', 'web', '--port=80']), 'service/web exposed\n');
    const podIP = (await lab.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].status.podIP}'])).trim();
    const ports = await waitForSlicePorts(lab, 'web');
    assert.deepEqual(ports, [{ name: '', port: 80, protocol: 'TCP' }]);
    const out = await lab.ok(['describe', 'svc', 'web']);
    assert.match(out, /\nPort: +<unset>  80\/TCP\nTargetPort: +80\/TCP\n/);
    assert.match(out, new RegExp(`\\nEndpoints: +${podIP.replace(/\./g, '\\.')}:80\\n`));
  });
});

async function waitForSlicePorts(l: Lab, service: string): Promise<unknown> {
  return waitFor(async () => {
    const out = await l.ok(['get', 'endpointslices', '-l', `kubernetes.io/service-name=${service}`, '-o', 'jsonpath={.items[0].endpoints[0].addresses[0]}|{.items[0].ports}']);
    const [address, ports] = out.split('|');
    return address && ports ? JSON.parse(ports!) as unknown : undefined;
  }, { what: `the ${service} EndpointSlice with an endpoint` });
}

describe('Configure Liveness, Readiness and Startup Probes: the exec example', () => {
  // the page's pod (touch /tmp/healthy; sleep 30; rm -f /tmp/healthy), with the file removed by
  // kubectl exec instead of after 30 s, and a 1 s period
  const manifest = `apiVersion: v1
kind: Pod
metadata:
  labels: {test: liveness}
  name: liveness-exec
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args: [/bin/sh, -c, touch /tmp/healthy; sleep 600]
    livenessProbe:
      exec:
        command: [cat, /tmp/healthy]
      initialDelaySeconds: 1
      periodSeconds: 1
`;

  test('the probe passes while the file the container touched is there, and fails once rm -f removed it', async () => {
    await lab.ok(['apply', '-f', lab.file('exec-liveness.yaml', manifest)]);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/liveness-exec', '--timeout=30s'], { timeoutMs: 40000 });
    await waitFor(async () => /\n {2}Normal +Started /.test(await lab.ok(['describe', 'pod', 'liveness-exec'])), { what: 'the Started event' });
    // three periods: a probe failing from the start would have restarted the container by now
    const passing = await lab.ok(['exec', 'liveness-exec', '--', 'sh', '-c', 'sleep 3; cat /tmp/healthy && echo there']);
    assert.equal(passing, 'there\n');
    assert.doesNotMatch(await lab.ok(['describe', 'pod', 'liveness-exec']), /Unhealthy/);
    await lab.ok(['exec', 'liveness-exec', '--', 'rm', '-f', '/tmp/healthy']);
    const out = await waitFor(async () => {
      const d = await lab.ok(['describe', 'pod', 'liveness-exec']);
      return /Container liveness failed liveness probe, will be restarted/.test(d) && d;
    }, { what: 'the Killing event', timeout: 20_000 });
    assert.match(out, /\n {2}Warning +Unhealthy +\S+ .*kubelet +Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory\n/);
  });
});

describe('kubectl describe pod: Events', () => {
  test('in the order they happened, as client-go names them <pod>.<UnixNano in hex>', async () => {
    await lab.ok(['run', 'ordered', '--image=busybox:1.28', '--', 'sleep', '3600']);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/ordered', '--timeout=30s'], { timeoutMs: 40000 });
    const out = await waitFor(async () => {
      const d = await lab.ok(['describe', 'pod', 'ordered']);
      return /\n {2}Normal +Started /.test(d) && d;
    }, { what: 'the Started event' });
    const reasons = out.slice(out.indexOf('\nEvents:')).split('\n').slice(4).filter(Boolean).map((l) => l.trim().split(/\s+/)[1]);
    // the file's first busybox:1.28 pod: its node pulls the image
    assert.deepEqual(reasons, ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    assert.match(out, /\n {2}Normal +Pulled +\S+ +kubelet +Successfully pulled image "busybox:1\.28" in \d+(ms|\.\d+s) \(\d+(ms|\.\d+s) including waiting\)\. Image size: [1-9]\d+ bytes\.\n/);
    const names = (await lab.ok(['get', 'events', '--field-selector', 'involvedObject.name=ordered', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
    for (const n of names) assert.match(n, /^ordered\.[0-9a-f]{16}$/);
  });
});

describe('image events per node, and a restart\'s repeated events', () => {
  test('the node that pulled busybox:1.28 has it; Always pulls again; a crash restart shows (x2 over ...) and BackOff', async () => {
    await waitFor(async () => (await lab.ok(['get', 'pod', 'ordered', '-o', 'jsonpath={.spec.nodeName}'])).trim() !== '', { what: 'ordered placed' });
    const node = (await lab.ok(['get', 'pod', 'ordered', '-o', 'jsonpath={.spec.nodeName}'])).trim();
    assert.match(await lab.ok(['get', 'node', node, '-o', 'jsonpath={.status.images[*].names}']), /"busybox:1\.28"/);
    const pinned = (name: string, extra: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.28
${extra}`;
    await lab.ok(['apply', '-f', lab.file('crashy.yaml', pinned('crashy', "    args: [sh, -c, 'sleep 1; exit 1']\n"))]);
    await lab.ok(['apply', '-f', lab.file('always.yaml', pinned('always', '    imagePullPolicy: Always\n    args: [sleep, \'3600\']\n'))]);
    const crashy = await waitFor(async () => {
      const d = await lab.ok(['describe', 'pod', 'crashy']);
      return /Back-off restarting failed container main in pod crashy_default/.test(d) && d;
    }, { what: 'the BackOff event', timeout: 20_000 });
    assert.match(crashy, /\n {2}Normal +Pulled +\S+ \(x2 over \S+\) +kubelet +Container image "busybox:1\.28" already present on machine\n/);
    assert.match(crashy, /\n {2}Normal +Created +\S+ \(x2 over \S+\) +kubelet +Created container: main\n/);
    assert.match(crashy, /\n {2}Normal +Started +\S+ \(x2 over \S+\) +kubelet +Started container main\n/);
    assert.match(crashy, /\n {2}Warning +BackOff +\S+ +kubelet +Back-off restarting failed container main in pod crashy_default\(/);
    assert.doesNotMatch(crashy, /Pulling/);
    const always = await waitFor(async () => {
      const d = await lab.ok(['describe', 'pod', 'always']);
      return /Normal +Started /.test(d) && d;
    }, { what: 'always started' });
    assert.match(always, /\n {2}Normal +Pulling +\S+ +kubelet +Pulling image "busybox:1\.28"\n/);
    assert.match(always, /\n {2}Normal +Pulled +\S+ +kubelet +Successfully pulled image "busybox:1\.28" in \d+ms \(\d+ms including waiting\)\. Image size: \d+ bytes\.\n/);
    await lab.ok(['delete', 'pod', 'crashy', 'always', '--grace-period=1']);
  });
});

describe('ps as the container\'s own process', () => {
  test('kubectl run -- ps: ps is PID 1 and lists itself once', async () => {
    await lab.ok(['run', 'pstest', '--image=busybox:1.28', '--restart=Never', '--', 'ps']);
    await lab.ok(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/pstest', '--timeout=30s'], { timeoutMs: 40000 });
    assert.equal(await lab.ok(['logs', 'pstest']), 'PID   USER     TIME  COMMAND\n    1 root      0:00 ps\n');
  });

  test('kubectl debug --target -- ps: the target\'s process, then ps once', async () => {
    await lab.ok(['run', 'ephemeral-demo', '--image=registry.k8s.io/pause:3.1', '--restart=Never']);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/ephemeral-demo', '--timeout=30s'], { timeoutMs: 40000 });
    await lab.ok(['debug', 'ephemeral-demo', '--image=busybox:1.28', '--target=ephemeral-demo', '--container=debugger', '--', 'ps']);
    const logs = await waitFor(async () => {
      const r = await lab.kubectl(['logs', 'ephemeral-demo', '-c', 'debugger']);
      return r.code === 0 && /ps\n$/.test(r.stdout) && r.stdout;
    }, { what: 'the debug container\'s ps output' });
    assert.match(logs, /^PID   USER     TIME  COMMAND\n    1 \S+ +0:00 \/pause\n +\d+ root      0:00 ps\n$/);
  });
});

describe('curl from a pod to the web Service (curlimages/curl)', () => {
  test('-w prints the status, 000 when nothing answered; nginx logs the curl pod\'s IP and -A\'s User-Agent', async () => {
    await lab.ok(['run', 'curl', '--image=curlimages/curl:8.12.1', '--restart=Never', '--command', '--', 'sleep', '3600']);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/curl', '--timeout=30s'], { timeoutMs: 40000 });
    const curlIP = (await lab.ok(['get', 'pod', 'curl', '-o', 'jsonpath={.status.podIP}'])).trim();
    assert.equal(await lab.ok(['exec', 'curl', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code} %{size_download} %{content_type}\\n', 'http://web/']),
      '200 615 text/html\n');
    const missing = await lab.kubectl(['exec', 'curl', '--', 'curl', '-s', '-w', '%{http_code}', 'http://nowhere.invalid/']);
    assert.equal(missing.stdout, '000');
    assert.match(missing.stderr, /command terminated with exit code 6/);
    await lab.ok(['exec', 'curl', '--', 'curl', '-s', '-o', '/dev/null', '-A', 'probe-check/1.0', 'http://web/index.html']);
    const line = await waitFor(async () => (await lab.ok(['logs', 'deploy/web'])).split('\n').find((l) => l.includes('probe-check/1.0')),
      { what: 'the request in the nginx log' });
    assert.match(line, new RegExp(`^${curlIP.replace(/\./g, '\\.')} - - \\[[^\\]]+\\] "GET /index\\.html HTTP/1\\.1" 200 615 "-" "probe-check/1\\.0" "-"$`));
  });
});

describe('nginx: what kubectl exec writes under the docroot is served', () => {
  test('the welcome page is in the container; a page and a directory written by exec are served, the directory with its 301', async () => {
    assert.equal(await lab.ok(['exec', 'deploy/web', '--', 'head', '-n', '4', '/usr/share/nginx/html/index.html']),
      '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n');
    await lab.ok(['exec', 'deploy/web', '--', 'sh', '-c',
      'echo hello from exec > /usr/share/nginx/html/index.html; mkdir /usr/share/nginx/html/docs; echo docs > /usr/share/nginx/html/docs/index.html']);
    assert.equal(await lab.ok(['exec', 'curl', '--', 'curl', '-s', 'http://web/']), 'hello from exec\n');
    const head = await lab.ok(['exec', 'curl', '--', 'curl', '-sI', 'http://web/docs']);
    assert.match(head, /^HTTP\/1\.1 301 Moved Permanently\r\n[\s\S]*\r\nLocation: http:\/\/web\/docs\/\r\n/);
    assert.equal(await lab.ok(['exec', 'curl', '--', 'curl', '-sL', 'http://web/docs']), 'docs\n');
  });
});

describe('busybox wget -S (server response)', () => {
  test('the status line and headers on stderr, two spaces in, ending with the blank line; an error shows its status line only', async () => {
    // the web Service and the ordered busybox pod of the tests above
    const r = await lab.kubectl(['exec', 'ordered', '--', 'wget', '-S', '-O', '/dev/null', 'http://web/']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.split('\n');
    assert.match(lines[0]!, /^Connecting to web \(100\.\d+\.\d+\.\d+:80\)$/);
    assert.equal(lines[1], '  HTTP/1.1 200 OK');
    assert.ok(lines.some((l) => /^ {2}Server: nginx\//.test(l)), r.stderr);
    assert.ok(lines.some((l) => /^ {2}Content-Type: text\/html$/.test(l)), r.stderr);
    const blank = lines.indexOf('  ');
    assert.ok(blank > 1 && lines[blank + 1] === "saving to '/dev/null'", r.stderr);
    const missing = await lab.kubectl(['exec', 'ordered', '--', 'wget', '-q', '-S', '-O-', 'http://web/nope']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, '  HTTP/1.1 404 Not Found\nwget: server returned error: HTTP/1.1 404 Not Found\ncommand terminated with exit code 1\n');
  });
});
