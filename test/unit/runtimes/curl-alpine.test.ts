// curlimages/curl and alpine through the real kubectl: curl's output and exit codes against an
// nginx pod behind a Service (curl's own messages: docs/libcurl/libcurl-errors.md), apk failing
// offline as apk does, busybox 1.37's nslookup layout, and resolvers that wait as their C
// library waits (glibc asks `attempts` times, musl once) when the nameserver never answers.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { labCluster, corednsObjects, svc, type LabCluster, execInPod } from './support/lab-cluster.ts';
import { waitFor } from '../../support/wait.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';

const pod = (name: string, image: string, extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name } },
  spec: { containers: [{ name, image, ...container }], ...extra },
});

/** a pod whose only nameserver is off the cluster network: its queries go nowhere */
const blackholed = { dnsPolicy: 'None', dnsConfig: { nameservers: ['10.255.255.1'], searches: ['default.svc.cluster.local'], options: [{ name: 'timeout', value: '1' }, { name: 'attempts', value: '2' }] } };

describe('curlimages/curl and alpine', () => {
  let c: LabCluster;
  const exec = (name: string, ...cmd: string[]) => execInPod(c, name, ...cmd);

  before(async () => {
    c = await labCluster({ api: true });
    const { configMap, pod: dnsPod } = corednsObjects();
    c.store.create('configmaps', configMap);
    const dns = (await c.startPod(dnsPod, '100.96.7.2')).procs.get('coredns')!;
    await waitFor(() => dns.ready(), { what: 'the CoreDNS pod to be ready' });
    c.setEndpoints('kube-system', 'kube-dns', ['100.96.7.2'], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
    // a ConfigMap of pages mounted under nginx's root: /docs is a directory there
    c.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'docs', namespace: 'default' },
      data: { 'index.html': '<h1>docs</h1>\n', 'notes.txt': 'notes\n' } });
    await c.startPod(pod('web', 'nginx:1.27', { volumes: [{ name: 'docs', configMap: { name: 'docs' } }] },
      { volumeMounts: [{ name: 'docs', mountPath: '/usr/share/nginx/html/docs' }] }), '100.96.5.10');
    c.store.create('services', svc('default', 'web', '100.64.3.4', [{ name: 'http', port: 80, protocol: 'TCP' }], { app: 'web' }));
    c.setEndpoints('default', 'web', ['100.96.5.10'], [{ name: 'http', port: 80, protocol: 'TCP' }]);
    c.store.create('services', svc('default', 'empty', '100.64.3.5', [{ name: 'http', port: 80, protocol: 'TCP' }], { app: 'none' }));
    await c.startPod(pod('curl', 'curlimages/curl:8.12.1', {}, { args: ['sleep', '3600'] }), '100.96.5.11');
    await c.startPod(pod('alpine', 'alpine:3.21', {}, { command: ['sleep', 'infinity'] }), '100.96.5.12');
    await c.startPod(pod('curl85', 'curlimages/curl:8.5.0', {}, { args: ['sleep', '3600'] }), '100.96.5.15');
    await c.startPod(pod('curl-lost', 'curlimages/curl', blackholed, { args: ['sleep', '3600'] }), '100.96.5.13');
    await c.startPod(pod('jessie-lost', 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', blackholed, { command: ['sleep', 'infinity'] }), '100.96.5.14');
  });

  after(async () => { await c.close(); });

  test('curl -s a Service by name gets the nginx page; -I shows the headers', async () => {
    const r = await exec('curl', 'curl', '-s', 'http://web');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<title>Welcome to nginx!<\/title>/);
    assert.equal(r.stderr, '');
    const head = await exec('curl', 'curl', '-sI', 'web.default.svc.cluster.local');
    assert.match(head.stdout, /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.\d+\r\n/);
    assert.ok(head.stdout.endsWith('\r\n\r\n'));
  });

  test('nginx answers a directory without its slash with a 301; curl -L follows it as curl does', async () => {
    // nginx 1.27's redirect: its error page, an absolute Location on the Host header's name (the port left out)
    const moved = await exec('curl', 'curl', '-sS', '-i', 'http://web:80/docs?x=1');
    assert.equal(moved.code, 0, moved.stderr);
    const page = '<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n' +
      '<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>nginx/1.27.0</center>\r\n</body>\r\n</html>\r\n';
    assert.match(moved.stdout, new RegExp('^HTTP/1\\.1 301 Moved Permanently\r\nServer: nginx/1\\.27\\.0\r\nDate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} [\\d:]{8} GMT\r\n' +
      'Content-Type: text/html\r\nContent-Length: 169\r\nLocation: http://web/docs/\\?x=1\r\nConnection: keep-alive\r\n\r\n'));
    assert.ok(moved.stdout.endsWith(`\r\n\r\n${page}`));
    assert.equal(Buffer.byteLength(page), 169);
    // -L: the redirect's body is not shown, the directory's index.html is
    const followed = await exec('curl', 'curl', '-sSL', 'http://web/docs');
    assert.deepEqual([followed.code, followed.stdout, followed.stderr], [0, '<h1>docs</h1>\n', '']);
    // -iL: each response's header block, then the last body
    const both = await exec('curl', 'curl', '-sSiL', 'http://web/docs');
    assert.match(both.stdout, /^HTTP\/1\.1 301 Moved Permanently\r\n[\s\S]*\r\n\r\nHTTP\/1\.1 200 OK\r\n[\s\S]*Content-Length: 14\r\n[\s\S]*\r\n\r\n<h1>docs<\/h1>\n$/);
    // --max-redirs: curl's error 47, nothing on stdout
    const capped = await exec('curl', 'curl', '-sSL', '--max-redirs', '0', 'http://web/docs');
    assert.deepEqual([capped.code, capped.stdout, capped.stderr], [47, '', 'curl: (47) Maximum (0) redirects followed\n']);
    // a POST redirected by a 301 becomes a GET (nginx answers a POST to a file 405); -X POST stays a POST
    const posted = await exec('curl', 'curl', '-sSL', '-d', 'x=1', 'http://web/docs');
    assert.equal(posted.stdout, '<h1>docs</h1>\n');
    const forced = await exec('curl', 'curl', '-sSL', '-X', 'POST', '-d', 'x=1', 'http://web/docs');
    assert.match(forced.stdout, /<title>405 Not Allowed<\/title>/);
    // without -L the 301 page is the output; a file under the mount is served with its type; no index: 403
    assert.equal((await exec('curl', 'curl', '-s', 'http://web/docs')).stdout, page);
    const notes = await exec('curl', 'curl', '-si', 'http://web/docs/notes.txt');
    assert.match(notes.stdout, /^HTTP\/1\.1 200 OK\r\n[\s\S]*Content-Type: text\/plain\r\n[\s\S]*\r\n\r\nnotes\n$/);
    const missing = await exec('curl', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-d', 'x', 'http://web/nothere');
    assert.equal(missing.code, 0);
  });

  test("nginx: what kubectl exec runs ends with the container, as the runtime kills the container's cgroup", async () => {
    const { pod: web2 } = await c.startPod(pod('web2', 'nginx:1.27'), '100.96.5.15');
    const running = c.exec(web2, ['sleep', '300']);
    const still = await Promise.race([running.then(() => 'ended'), new Promise((r) => setTimeout(() => r('running'), 300))]);
    assert.equal(still, 'running', 'the exec runs while the container does');
    c.host.forgetPod(web2.metadata.uid!);
    const ended = await Promise.race([running.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still running 5 s after the container stopped'), 5000))]);
    assert.equal(ended, 'ended');
  });

  test('without -s, curl draws its progress meter on stderr; -v shows the exchange; -o writes a file', async () => {
    const plain = await exec('curl', 'curl', 'http://web/');
    assert.match(plain.stderr, /^ {2}% Total {4}% Received % Xferd {2}Average Speed/);
    assert.match(plain.stderr, /\n100 {3}615 {2}100 {3}615 {4}0 {5}0 /);
    const v = await exec('curl', 'curl', '-sv', '-o', '/tmp/page', 'http://web/');
    assert.equal(v.code, 0);
    assert.match(v.stderr, /\* Host web:80 was resolved\.\n\* IPv6: \(none\)\n\* IPv4: 100\.64\.3\.4\n\* {3}Trying 100\.64\.3\.4:80\.\.\.\n/);
    assert.match(v.stderr, /> GET \/ HTTP\/1\.1\n> Host: web\n> User-Agent: curl\/8\.12\.1\n> Accept: \*\/\*\n> \n/);
    assert.match(v.stderr, /< HTTP\/1\.1 200 OK\n/);
    const cat = await exec('curl', 'sh', '-c', 'wc -c < /tmp/page');
    assert.match(cat.stdout, /615/);
  });

  test("curl is the version of the image's tag: its User-Agent and its --version banner", async () => {
    const v = await exec('curl85', 'curl', '-sv', '-o', '/dev/null', 'http://web/');
    assert.match(v.stderr, /\n> User-Agent: curl\/8\.5\.0\n/);
    for (const flag of ['--version', '-V']) {
      const banner = await exec('curl85', 'curl', flag);
      assert.equal(banner.code, 0);
      const lines = banner.stdout.split('\n');
      assert.match(lines[0], /^curl 8\.5\.0 \(x86_64-pc-linux-musl\) libcurl\/8\.5\.0 OpenSSL\/\S+ zlib\/\S+/);
      assert.equal(lines[1], 'Release-Date: 2023-12-06');
      assert.match(lines[2], /^Protocols: dict file ftp ftps gopher gophers http https /);
      assert.match(lines[3], /^Features: alt-svc AsynchDNS .*HTTP2 .*IPv6 .*UnixSockets$/);
      assert.equal(lines.length, 5);
    }
    // :latest and untagged run the default release; -V stops curl before a URL is needed
    const latest = await exec('curl-lost', 'curl', '-V', 'http://web/');
    assert.match(latest.stdout, /^curl 8\.12\.1 \(x86_64-pc-linux-musl\) libcurl\/8\.12\.1 [^\n]*\nRelease-Date: 2025-02-13\n/);
  });

  test('--resolve pins a name without DNS', async () => {
    const r = await exec('curl', 'curl', '-s', '--resolve', 'example.com:80:100.64.3.4', 'http://example.com/');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Welcome to nginx!/);
  });

  test("curl's exit codes: 6 for an unknown name, 7 for a refused connection, 28 for a timeout, 22 with -f", async () => {
    const six = await exec('curl', 'curl', '-sS', 'http://nothere');
    assert.deepEqual([six.code, six.stderr], [6, 'curl: (6) Could not resolve host: nothere\n']);
    const seven = await exec('curl', 'curl', '-sS', 'http://empty');
    assert.equal(seven.code, 7);
    assert.match(seven.stderr, /^curl: \(7\) Failed to connect to empty port 80 after \d+ ms: Couldn't connect to server\n$/);
    const t = await exec('curl', 'curl', '-sS', '--connect-timeout', '1', 'http://10.255.255.1/');
    assert.equal(t.code, 28);
    assert.match(t.stderr, /^curl: \(28\) Failed to connect to 10\.255\.255\.1 port 80 after \d+ ms: Timeout was reached\n$/);
    const f = await exec('curl', 'curl', '-sSf', 'http://web/missing');
    assert.deepEqual([f.code, f.stderr], [22, 'curl: (22) The requested URL returned error: 404\n']);
  });

  test('alpine: apk fails offline as apk does, after asking the cluster DNS for the mirror', async () => {
    const r = await exec('alpine', 'apk', 'add', 'curl');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^fetch https:\/\/dl-cdn\.alpinelinux\.org\/alpine\/v3\.21\/main\/x86_64\/APKINDEX\.tar\.gz\n/);
    assert.match(r.stderr, /WARNING: fetching https:\/\/dl-cdn\.alpinelinux\.org\/alpine\/v3\.21\/main: DNS lookup error\n/);
    assert.match(r.stderr, /ERROR: unable to select packages:\n {2}curl \(no such package\):\n {4}required by: world\[curl\]\n$/);
    const sh = await exec('alpine', 'sh', '-c', 'cat /etc/alpine-release; nosuch');
    assert.equal(sh.stdout, '3.21.3\n');
    assert.equal(sh.stderr, 'sh: nosuch: not found\n');
  });

  test("alpine's nslookup: busybox 1.37's layout, through the search list", async () => {
    const r = await exec('alpine', 'nslookup', 'kubernetes.default');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Server:\t\t100.64.0.10\nAddress:\t100.64.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 100.64.0.1\n\n');
    const nx = await exec('alpine', 'nslookup', 'nothere');
    assert.equal(nx.code, 1);
    assert.equal(nx.stdout, "Server:\t\t100.64.0.10\nAddress:\t100.64.0.10:53\n\n** server can't find nothere: NXDOMAIN\n\n** server can't find nothere: NXDOMAIN\n\n");
  });

  test('a nameserver that never answers: musl gives up after one timeout, glibc after `attempts` of them', async () => {
    let started = Date.now();
    const musl = await exec('curl-lost', 'curl', '-sS', 'http://web');
    assert.deepEqual([musl.code, musl.stderr], [6, 'curl: (6) Could not resolve host: web\n']);
    // floors, not timings: each resolver really waited out its timeouts
    assert.ok(Date.now() - started >= 1000, 'musl waited its timeout (1 s)');
    started = Date.now();
    const glibc = await exec('jessie-lost', 'dig', '@web', 'x');
    assert.deepEqual([glibc.code, glibc.stderr], [10, "dig: couldn't get address for 'web': not found\n"]);
    assert.ok(Date.now() - started >= 2000, 'glibc waited attempts x timeout (2 x 1 s)');
  });
});
