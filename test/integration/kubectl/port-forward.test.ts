// kubectl port-forward against the embedded cluster: kubectl 1.32 tunnels SPDY through a WebSocket
// (SPDY/3.1+portforward.k8s.io), falls back to a plain SPDY upgrade, and reaches the pod's own
// listeners (nginx on 80, the kube-dns pods' 53 and the sidecar's metrics), checked with curl and dig.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { parse } from 'yaml';
import { startClusterLab, type Lab } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

const run = promisify(execFile);
let lab: Lab;
before(async () => {
  lab = await startClusterLab();
  await lab.runPod('web', 'nginx:1.27');
});
after(async () => { await lab?.close(); });

interface Forward {
  child: ChildProcess;
  port: number;
  out: () => string;
  err: () => string;
  stop: () => Promise<void>;
}

/** start `kubectl port-forward ... :<remote>` and wait for its "Forwarding from" line */
async function forward(args: string[], env?: Record<string, string>): Promise<Forward> {
  const child = lab.spawnKubectl(['port-forward', ...args], { env });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin!.end();
  let exited = false;
  child.on('exit', () => (exited = true));
  const m = await waitFor(() => /Forwarding from 127\.0\.0\.1:(\d+) -> \d+/.exec(out), {
    what: 'the Forwarding from line', show: () => `stdout: ${out}\nstderr: ${err}`, failIf: () => (exited ? 'kubectl exited' : false),
  });
  return {
    child, port: Number(m[1]), out: () => out, err: () => err,
    stop: () => new Promise<void>((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    }),
  };
}

describe('kubectl port-forward', () => {
  test('pod/web: curl gets nginx\'s welcome page, kubectl says it handled the connection, nginx logs it', async () => {
    const f = await forward(['pod/web', ':80', '-v=6']);
    try {
      // kubectl's tunneling dialer got its WebSocket: no fallback to the SPDY upgrade
      assert.match(f.err(), /tunneling_dialer\.go:\d+\] negotiated protocol: portforward\.k8s\.io\n/);
      assert.doesNotMatch(f.err(), /fallback/);
      assert.match(f.out(), /^Forwarding from 127\.0\.0\.1:\d+ -> 80\nForwarding from \[::1\]:\d+ -> 80\n/);
      const { stdout } = await run('curl', ['-sS', '-i', `http://127.0.0.1:${f.port}/`]);
      assert.match(stdout, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(stdout, /<title>Welcome to nginx!<\/title>/);
      // a second connection on the same SPDY session
      const second = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${f.port}/nope`]);
      assert.equal(second.stdout, '404');
      await waitFor(() => f.out().split('\n').filter((l) => l === `Handling connection for ${f.port}`).length === 2, { what: 'two Handling lines', show: f.out });
      const logs = await waitFor(async () => {
        const l = await lab.ok(['logs', 'web']);
        return /"GET \/nope HTTP\/1\.1" 404 /.test(l) && l;
      }, { what: 'the access log lines' });
      assert.match(logs, /"GET \/ HTTP\/1\.1" 200 615 "-" "curl\//);
    } finally {
      await f.stop();
    }
  });

  test('the SPDY upgrade (KUBECTL_PORT_FORWARD_WEBSOCKETS=false) works too, local:remote form', async () => {
    const f = await forward(['web', '0:80'], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    try {
      const { stdout } = await run('curl', ['-sS', `http://127.0.0.1:${f.port}/`]);
      assert.match(stdout, /Welcome to nginx!/);
    } finally {
      await f.stop();
    }
  });

  test('a large response arrives whole', async () => {
    const f = await forward(['pod/web', ':80']);
    try {
      const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{size_download}', `http://127.0.0.1:${f.port}/`]);
      assert.equal(stdout, '615');
      const many = await Promise.all(Array.from({ length: 8 }, () => run('curl', ['-sS', `http://127.0.0.1:${f.port}/`])));
      for (const r of many) assert.match(r.stdout, /Welcome to nginx!/);
    } finally {
      await f.stop();
    }
  });

  test('svc/kube-dns: kubectl picks a kube-dns pod; dig over TCP resolves through it', async () => {
    await lab.ok(['wait', '--for=condition=Available', 'deploy/kube-dns', '-n', 'kube-system', '--timeout=30s'], { timeoutMs: 40000 });
    const f = await forward(['-n', 'kube-system', 'svc/kube-dns', ':53']);
    try {
      assert.match(f.out(), /-> 53\n/);
      const { stdout } = await run('dig', ['+tcp', '+short', '+time=5', '+tries=1', '-p', String(f.port), '@127.0.0.1', 'kubernetes.default.svc.cluster.local']);
      assert.equal(stdout, '100.64.0.1\n');
    } finally {
      await f.stop();
    }
  });

  test('deploy/kube-dns: the sidecar\'s metrics port', async () => {
    const f = await forward(['-n', 'kube-system', 'deploy/kube-dns', ':10054']);
    try {
      const { stdout } = await run('curl', ['-sS', `http://127.0.0.1:${f.port}/metrics`]);
      assert.match(stdout, /^# HELP /m);
    } finally {
      await f.stop();
    }
  });

  test('a port nothing listens on: the kubelet\'s socat error, reported by kubectl', async () => {
    const f = await forward(['pod/web', ':81']);
    try {
      const r = await run('curl', ['-sS', `http://127.0.0.1:${f.port}/`]).then(() => ({ code: 0 }), (e: { code: number }) => ({ code: e.code }));
      assert.notEqual(r.code, 0);
      await waitFor(() => /an error occurred forwarding \d+ -> 81: error forwarding port 81 to pod [0-9a-f]{64}, uid : exit status 1: \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d socat\[\d+\] E connect\(5, AF=2 127\.0\.0\.1:81, 16\): Connection refused/.test(f.err()), {
        what: 'the forwarding error', show: f.err,
      });
    } finally {
      await f.stop();
    }
  });

  test('the kubelet\'s WebSocket channels (v4.channel.k8s.io, ?ports=), as client libraries open them', async () => {
    // the protocol bare, without Origin, as client-go's and ws's dialers open it
    const cfg = parse(readFileSync(lab.kubeconfig, 'utf8')) as {
      clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
      users: Array<{ user: { token: string } }>;
    };
    const { server, 'certificate-authority-data': ca } = cfg.clusters[0]!.cluster;
    const ws = new WebSocket(`${server.replace(/^https/, 'wss')}/api/v1/namespaces/default/pods/web/portforward?ports=80`, ['v4.channel.k8s.io'], {
      ca: Buffer.from(ca, 'base64'), headers: { Authorization: `Bearer ${cfg.users[0]!.user.token}` },
    });
    const frames: Buffer[] = [];
    ws.on('message', (d: Buffer) => frames.push(Buffer.from(d)));
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    assert.equal(ws.protocol, 'v4.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n')]));
    await closed;
    // each channel opens with the port, little-endian; then the data channel carries the reply
    assert.deepEqual(frames.slice(0, 2).map((f) => [...f]), [[0, 80, 0], [1, 80, 0]]);
    const body = Buffer.concat(frames.slice(2).filter((f) => f[0] === 0).map((f) => f.subarray(1))).toString();
    assert.match(body, /^HTTP\/1\.1 200 OK\r\n[\s\S]*Welcome to nginx!/);
    assert.equal(frames.filter((f) => f[0] === 1).length, 1, 'nothing on the error channel but the port');
  });

  test('the Python client (python3-kubernetes): port-forward and exec, through its Origin-sending websocket-client', async () => {
    await lab.ok(['run', 'bb', '--image=busybox:1.28', '--', 'sleep', '3600']);
    await lab.ok(['wait', '--for=condition=Ready', 'pod/bb', '--timeout=30s'], { timeoutMs: 40000 });
    const script = [
      'import sys',
      'from kubernetes import client, config',
      'from kubernetes.stream import portforward, stream',
      'config.load_kube_config(config_file=sys.argv[1])',
      'v1 = client.CoreV1Api()',
      'pf = portforward(v1.connect_get_namespaced_pod_portforward, "web", "default", ports="80")',
      'sock = pf.socket(80)',
      'sock.setblocking(True)',
      'sock.sendall(b"GET / HTTP/1.1\\r\\nHost: web\\r\\nConnection: close\\r\\n\\r\\n")',
      'data = b""',
      'while True:',
      '    chunk = sock.recv(4096)',
      '    if not chunk: break',
      '    data += chunk',
      'print(data.split(b"\\r\\n")[0].decode(), b"Welcome to nginx!" in data)',
      'print("error channel:", pf.error(80))',
      'pf.close()',
      'print(stream(v1.connect_get_namespaced_pod_exec, "bb", "default", command=["hostname"], stderr=True, stdin=False, stdout=True, tty=False).strip())',
    ].join('\n');
    const { stdout } = await run('/usr/bin/python3', ['-c', script, lab.kubeconfig], { timeout: 60_000, env: { PATH: '/usr/bin:/bin', HOME: lab.dir } });
    assert.equal(stdout, 'HTTP/1.1 200 OK True\nerror channel: None\nbb\n');
  });

  test('a pod that is not running: kubectl refuses before forwarding', async () => {
    await lab.ok(['create', '-f', lab.file('pending.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: nowhere}\nspec:\n  nodeSelector: {no: such}\n  containers:\n  - {name: c, image: nginx}\n')]);
    const r = await lab.kubectl(['port-forward', 'pod/nowhere', ':80']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: unable to forward port because pod is not running. Current status=Pending\n');
  });
});
