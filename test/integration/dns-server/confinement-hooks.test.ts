// The dns-server's optional hooks for an embedding program: hooks.files (every file the server
// reads) and hooks.mapUpstream (where its upstream packets and API connections go). With them the
// server reads nothing from the host and sends nothing the hook does not route; the in-cluster
// config reads the mounted ServiceAccount through the hook; a refused list logs client-go's lines
// and keeps the server not ready.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { request } from 'node:http';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDnsServer, type DnsServerHandle, type FileHooks, type ServerHooks } from '../../../dns-server/index.ts';
import { StubKubeApi } from '../../../dns-server/test-support/kube/stub-api.ts';
import { namespace, service } from '../../../dns-server/test-support/kube/objects.ts';
import { testCert } from '../../../dns-server/test-support/kube/test-cert.ts';
import { waitFor } from '../../support/wait.ts';
import { query } from '../../../dns-server/test-support/client.ts';

/** an in-memory filesystem: absolute path -> text; directories are implied by the paths */
function memoryFiles(files: Map<string, string>): FileHooks {
  const fail = (op: string, p: string, code: string, words: string) => Object.assign(new Error(`${op} ${p}: ${words}`), { code });
  const abs = (p: string) => (p.startsWith('/') ? p : `/${p}`).replace(/\/+$/, '') || '/';
  const dirEntries = (d: string) => {
    const prefix = d === '/' ? '/' : `${d}/`;
    const names = new Set<string>();
    for (const k of files.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
    return names.size ? [...names] : undefined;
  };
  return {
    readFile(p) {
      const text = files.get(abs(p));
      if (text === undefined) throw fail('open', abs(p), 'ENOENT', 'no such file or directory');
      return text;
    },
    readDir(p) {
      const names = dirEntries(abs(p));
      if (!names) throw fail('open', abs(p), 'ENOENT', 'no such file or directory');
      return names;
    },
    stat(p) {
      const text = files.get(abs(p));
      if (text !== undefined) return { isDirectory: false, size: text.length, mtimeMs: 1 };
      if (dirEntries(abs(p))) return { isDirectory: true, size: 4096, mtimeMs: 1 };
      throw fail('stat', abs(p), 'ENOENT', 'no such file or directory');
    },
  };
}

/** a host file with content that must never show up anywhere */
function hostSecret(): { dir: string; path: string; marker: string; link: string } {
  const dir = mkdtempSync(join(tmpdir(), 'host-secret-'));
  const marker = `host-secret-${process.pid}-${Date.now()}`;
  const path = join(dir, 'secret');
  writeFileSync(path, `${marker} IN A 10.9.9.9\n`);
  const link = join(dir, 'link');
  symlinkSync(path, link);
  return { dir, path, marker, link };
}

async function start(corefile: string, extra: Map<string, string>, hooks: ServerHooks = {}, env: Record<string, string> = {}) {
  const files = new Map([['/etc/coredns/Corefile', corefile], ...extra]);
  const logs: string[] = [];
  let error: Error | undefined;
  let handle: DnsServerHandle | undefined;
  try {
    handle = await startDnsServer({ conf: '/etc/coredns/Corefile', log: (l) => logs.push(l), hooks: { files: memoryFiles(files), ...hooks }, env: { HOME: '/', ...env } });
  } catch (err) {
    error = err as Error;
  }
  return { handle, logs, error, files };
}

describe('hooks.files: the server reads only what the hook gives', () => {
  const cases: Array<{ name: string; corefile: (s: ReturnType<typeof hostSecret>) => string; conf?: string; expect: RegExp }> = [
    { name: 'import of an absolute host path', corefile: (s) => `.:0 {\n  import ${s.path}\n}\n`, expect: /File to import not found: .*secret/ },
    { name: 'import through a symlink on the host', corefile: (s) => `.:0 {\n  import ${s.link}\n}\n`, expect: /File to import not found: .*link/ },
    { name: 'import glob over a host directory matches nothing', corefile: (s) => `.:0 {\n  import ${s.dir}/*\n  whoami\n}\n`, expect: /^$/ },
    { name: 'relative import climbing out', corefile: (s) => `.:0 {\n  import ../../../../../../..${s.path}\n}\n`, expect: /File to import not found/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const secret = hostSecret();
      try {
        const r = await start(c.corefile(secret), new Map());
        const text = [r.error?.message ?? '', ...r.logs].join('\n');
        assert.ok(!text.includes(secret.marker), `host content leaked: ${text}`);
        if (c.expect.source === '^$') assert.equal(r.error, undefined, 'an empty glob is valid, as in CoreDNS');
        else assert.match(r.error?.message ?? '', c.expect);
        await r.handle?.stop();
      } finally {
        rmSync(secret.dir, { recursive: true, force: true });
      }
    });
  }

  test('-conf naming a host file: the hook says it is not there', async () => {
    const secret = hostSecret();
    try {
      await assert.rejects(
        startDnsServer({ conf: secret.path, log: () => {}, hooks: { files: memoryFiles(new Map()) }, env: {} }),
        (err: Error) => /no such file/.test(err.message) && !err.message.includes(secret.marker),
      );
    } finally {
      rmSync(secret.dir, { recursive: true, force: true });
    }
  });

  test('hosts reads its file through the hook, and a host file is missing inside', async () => {
    const secret = hostSecret();
    try {
      const r = await start(`.:0 {\n  hosts /etc/coredns/hosts {\n    fallthrough\n  }\n  hosts ${secret.path} example.org\n}\n`, new Map([['/etc/coredns/hosts', '10.1.2.3 inside.example\n']]));
      assert.equal(r.error, undefined, r.error?.message);
      const port = r.handle!.addresses().find((a) => a.kind === 'dns')!.port;
      const a = await query(port, 'inside.example', 'A');
      assert.deepEqual(a.answers?.map((x) => x.data), ['10.1.2.3']);
      assert.ok(r.logs.some((l) => l === `[WARNING] plugin/hosts: File does not exist: ${secret.path}`), r.logs.join('\n'));
      assert.ok(!r.logs.join('\n').includes(secret.marker));
      await r.handle!.stop();
    } finally {
      rmSync(secret.dir, { recursive: true, force: true });
    }
  });

  test('reload sees an edit made through the hook', async () => {
    const r = await start('.:0 {\n  reload 2s 1s\n  whoami\n}\n', new Map());
    assert.equal(r.error, undefined, r.error?.message);
    r.files.set('/etc/coredns/Corefile', '.:0 {\n  reload 2s 1s\n  hosts {\n    10.4.4.4 edited.example\n  }\n}\n');
    await waitFor(() => r.logs.includes('[INFO] Reloading complete'), { what: 'the "Reloading complete" log line', show: () => r.logs.join('\n') });
    await r.handle!.stop();
  });
});

describe('hooks.mapUpstream: nothing leaves that the hook does not route', () => {
  test('an unreachable upstream gets no datagram; the query SERVFAILs after the timeout with CoreDNS\'s error line', async () => {
    const sink = createSocket('udp4');
    let received = 0;
    sink.on('message', () => received++);
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
    const target = `127.0.0.1:${sink.address().port}`;
    const r = await start(`.:0 {\n  errors\n  forward . ${target}\n}\n`, new Map(), { mapUpstream: () => 'unreachable' }, { POD_IP: '100.96.6.2' });
    try {
      assert.equal(r.error, undefined, r.error?.message);
      const port = r.handle!.addresses().find((a) => a.kind === 'dns')!.port;
      const a = await query(port, 'example.org', 'A', { timeoutMs: 10_000 });
      assert.equal(a.rcode, 'SERVFAIL');
      assert.equal(received, 0, 'no datagram reached the host socket');
      assert.ok(r.logs.some((l) => new RegExp(`^\\[ERROR\\] plugin/errors: 2 example\\.org\\. A: read udp 100\\.96\\.6\\.2:\\d+->${target.replace(/\./g, '\\.')}: i/o timeout$`).test(l)), r.logs.join('\n'));
    } finally {
      await r.handle?.stop();
      sink.close();
    }
  });

  test('a routed upstream answers: the hook\'s address is used, the Corefile\'s is not', async () => {
    const upstream = await startDnsServer({ corefile: '.:0 {\n  hosts {\n    10.7.7.7 routed.example\n  }\n}\n', log: () => {}, env: {} });
    const real = upstream.addresses().find((a) => a.kind === 'dns' && a.transport === 'udp')!;
    const seen: string[] = [];
    const r = await start('.:0 {\n  forward . 172.20.0.2\n}\n', new Map(), {
      mapUpstream: (host, port) => { seen.push(`${host}:${port}`); return host === '172.20.0.2' ? { host: '127.0.0.1', port: real.port } : 'unreachable'; },
    });
    try {
      const port = r.handle!.addresses().find((a) => a.kind === 'dns')!.port;
      const a = await query(port, 'routed.example', 'A');
      assert.deepEqual(a.answers?.map((x) => x.data), ['10.7.7.7']);
      assert.ok(seen.includes('172.20.0.2:53'), seen.join(','));
    } finally {
      await r.handle?.stop();
      await upstream.stop();
    }
  });
});

function getReady(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/ready' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

describe('in-cluster config through the hooks', () => {
  test('token and ca.crt from the mounted ServiceAccount, 100.64.0.1:443 routed to the API; a forbidden list logs the reflector lines and stays not ready; the token is re-read', async () => {
    const tls = testCert();
    const api = new StubKubeApi(tls);
    api.applyAll([namespace('default'), service({ namespace: 'default', name: 'kubernetes', clusterIP: '100.64.0.1', ports: [{ name: 'https', port: 443 }] })]);
    await api.start();
    api.requireToken('token-one');
    const user = 'system:serviceaccount:kube-system:coredns';
    api.forbid('endpointslices', user);
    const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
    const corefile = '.:0 {\n  ready 127.0.0.1:0\n  kubernetes cluster.local {\n    startup_timeout 300ms\n  }\n}\n';
    const r = await start(corefile, new Map([[`${sa}/token`, 'token-one'], [`${sa}/ca.crt`, tls.cert], [`${sa}/namespace`, 'kube-system']]), {
      mapUpstream: (host, port, transport) => (host === '100.64.0.1' && port === 443 && transport === 'tcp' ? { host: '127.0.0.1', port: api.port } : 'unreachable'),
    }, { KUBERNETES_SERVICE_HOST: '100.64.0.1', KUBERNETES_SERVICE_PORT: '443' });
    try {
      assert.equal(r.error, undefined, r.error?.message);
      const reflector = 'pkg/mod/k8s.io/client-go@v0.29.3/tools/cache/reflector.go:229';
      const message = `endpointslices.discovery.k8s.io is forbidden: User "${user}" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope`;
      await waitFor(() => r.logs.includes(`[ERROR] plugin/kubernetes: ${reflector}: Failed to watch *v1.EndpointSlice: failed to list *v1.EndpointSlice: ${message}`), { what: 'the reflector\'s "Failed to watch" line', show: () => r.logs.join('\n') });
      assert.ok(r.logs.includes(`[INFO] plugin/kubernetes: ${reflector}: failed to list *v1.EndpointSlice: ${message}`));
      await waitFor(() => r.logs.includes('[INFO] plugin/ready: Still waiting on: "kubernetes"'), { what: 'ready\'s "Still waiting on" line', show: () => r.logs.join('\n') });
      assert.equal(r.handle!.ready(), false);
      const ready = await getReady(r.handle!.addresses().find((a) => a.kind === 'ready')!.port);
      assert.deepEqual(ready, { status: 503, body: 'kubernetes' });
      assert.ok(api.requests.every((q) => q.authorization === 'Bearer token-one'), 'every request carries the mounted token');

      // the token rotates (the kubelet rewrites the file) and the API now wants the new one
      r.files.set(`${sa}/token`, 'token-two');
      api.requireToken('token-two');
      api.allow('endpointslices');
      await waitFor(() => r.handle!.ready(), { what: 'ready once the list is allowed, with the rotated token' });
      assert.equal(api.requests.at(-1)?.authorization, 'Bearer token-two');
    } finally {
      await r.handle?.stop();
      await api.stop();
    }
  });
});
