// GET /api/dns/events against the embedded sandbox through its real API: the picture's data
// (the kube-dns Service and the pods behind it) follows the selector switch to CoreDNS, and
// busybox's `nslookup kubernetes.default` arrives as one lookup read from CoreDNS's own log:
// the NXDOMAINs of the search list, then the answer, with the client pod named.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kubectl, ROOT, Sandbox, tempDir } from '../sandbox/sandbox-process.ts';
import { startLabServer, type LabServer } from '../../../sandbox/server/lab-server.ts';
import { waitFor } from '../../support/wait.ts';
import { DNS_EVENTS_PATH, type DnsLookup, type DnsPanelState, type DnsTopology } from '../../../sandbox/server/dns-panel/protocol.ts';

describe('the DNS panel events on the embedded sandbox', () => {
  const stateDir = tempDir('dns-panel');
  let sb: Sandbox & { kubeconfig: string };
  let k: Kubectl;
  let server: LabServer;
  let serverDir: string;
  const abort = new AbortController();
  const events: Array<{ event: string; data: unknown }> = [];
  const last = <T>(name: string): T | undefined => events.filter((e) => e.event === name).at(-1)?.data as T | undefined;

  before(async () => {
    sb = await Sandbox.up(stateDir);
    k = new Kubectl(sb.kubeconfig, join(ROOT, 'lessons'));
    serverDir = mkdtempSync(join(tmpdir(), 'dns-panel-http-'));
    server = await startLabServer({
      host: '127.0.0.1', port: 0, stateDir: serverDir, idleTimeoutMs: 60_000, siteDist: null,
      cluster: async () => ({ provider: 'embedded', state: 'running', kubeconfig: sb.kubeconfig }),
    });
  });
  after(async () => {
    abort.abort();
    await server?.close();
    await sb?.stop('SIGKILL');
    k?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(serverDir, { recursive: true, force: true });
  });

  test('without the token the stream is refused like every API route', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}${DNS_EVENTS_PATH}`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'LAB_ERR_UNAUTHORIZED');
  });

  test('the stream opens with the Service and the kube-dns pods behind it', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}${DNS_EVENTS_PATH}`, { headers: { Authorization: `Bearer ${server.token}` }, signal: abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    void (async () => {
      const decoder = new TextDecoder();
      let buf = '';
      try {
        const reader = res.body!.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true });
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
          }
        }
      } catch {
        // aborted in after()
      }
    })();
    const topo = await waitFor(() => {
      const t = last<DnsTopology>('topology');
      return t && t.pods.filter((p) => p.endpoint).length === 2 && t;
    }, { what: 'a topology with two endpoints', show: () => JSON.stringify(events.slice(-3)), timeout: 30_000 });
    assert.equal(topo.service?.name, 'kube-dns');
    assert.equal(topo.service?.clusterIP, (await k.ok(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.spec.clusterIP}'])).trim());
    assert.deepEqual(topo.service?.selector, { 'k8s-app': 'kube-dns' });
    const ips = (await k.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'jsonpath={.items[*].status.podIP}'])).trim().split(' ').sort();
    assert.deepEqual(topo.pods.filter((p) => p.endpoint).map((p) => p.ip).sort(), ips);
    assert.equal(last<DnsPanelState>('state')?.state, 'following');
  });

  test('after the switch to CoreDNS the Service\'s pod is CoreDNS, and kube-dns is no longer behind it', async () => {
    await k.ok(['create', '-f', 'templates/busybox.yaml']);
    await k.ok(['create', '-f', 'templates/coredns-kops.yaml']);
    await k.ok(['wait', '--for=condition=Ready', 'pod', '-l', 'k8s-app=coredns', '-n', 'kube-system', '--timeout=60s'], 70_000);
    await k.ok(['apply', '-f', 'templates/coredns-service.yaml']);
    const coredns = (await k.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=coredns', '-o', 'jsonpath={.items[0].metadata.name} {.items[0].status.podIP}'])).trim().split(' ');
    const topo = await waitFor(() => {
      const t = last<DnsTopology>('topology');
      return t?.service?.selector['k8s-app'] === 'coredns' && t.pods.filter((p) => p.endpoint).length === 1 && t;
    }, { what: 'the topology after the switch', show: () => JSON.stringify(last('topology')), timeout: 30_000 });
    const behind = topo.pods.filter((p) => p.endpoint);
    assert.deepEqual(behind.map((p) => [p.name, p.ip]), [coredns]);
    assert.ok(topo.pods.some((p) => !p.endpoint && p.labels['k8s-app'] === 'kube-dns'), 'the kube-dns pods are still drawn, not behind the Service');
  });

  test('busybox\'s nslookup kubernetes.default is one lookup from CoreDNS\'s log: NXDOMAINs, then the answer', async () => {
    await k.ok(['wait', '--for=condition=Ready', 'pod/busybox', '--timeout=60s'], 70_000);
    const out = await k.ok(['exec', 'busybox', '--', 'nslookup', 'kubernetes.default']);
    assert.match(out, /kubernetes\.default\.svc\.cluster\.local/);
    const lookup = await waitFor(() => {
      const l = events.filter((e) => e.event === 'lookup').map((e) => e.data as DnsLookup).findLast((x) => x.name === 'kubernetes.default');
      return l?.answeredBy && l;
    }, { what: 'the lookup of kubernetes.default', show: () => JSON.stringify(events.filter((e) => e.event === 'lookup').slice(-3)), timeout: 30_000 });
    assert.deepEqual(lookup.client, { namespace: 'default', name: 'busybox' });
    assert.equal(lookup.answeredBy?.name, 'kubernetes.default.svc.cluster.local.');
    const forward = lookup.queries.filter((q) => q.type !== 'PTR');
    const answer = forward.findIndex((q) => q.name === 'kubernetes.default.svc.cluster.local.' && q.rcode === 'NOERROR');
    assert.ok(answer > 0, `queries before the answer: ${forward.map((q) => `${q.type} ${q.name} ${q.rcode}`).join(', ')}`);
    for (const q of forward.slice(0, answer)) assert.equal(q.rcode, 'NXDOMAIN', `${q.type} ${q.name} before the answer`);
    assert.ok(forward.slice(0, answer).some((q) => q.name === 'kubernetes.default.default.svc.cluster.local.'), 'the namespace suffix is tried first');
    for (const q of lookup.queries) {
      assert.match(q.server.pod, /^coredns-/, 'CoreDNS answered: the Service points at it');
      assert.match(q.line, new RegExp(`"${q.type} IN ${q.name.replaceAll('.', '\\.')} `), 'each entry is a line of its log');
    }
  });
});
