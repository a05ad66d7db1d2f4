// The bundled dns-server (dns-server/build.mjs): built into a temp dir outside the repo, so
// no node_modules can be reached, then run with plain node (no tsx) as the image runs it. It
// must behave as `node --import tsx dns-server/main.ts`: same CLI output, answers from the
// kubernetes plugin through dig, metrics and health, a kubeconfig file read.
import { test, describe, before, after } from 'node:test';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { StubKubeApi } from '../../../dns-server/test-support/kube/stub-api.ts';
import { endpointSlice, namespace, service } from '../../../dns-server/test-support/kube/objects.ts';
import { waitFor } from '../../support/wait.ts';
import { freePort, onFreePort } from '../../support/free-port.ts';
import { dig, query } from '../../../dns-server/test-support/client.ts';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;

const short = async (port: number, name: string, type = 'A'): Promise<string> => (await dig(port, ['+short', name, type])).stdout.trim().split('\n').sort().join(',');

describe('dns-server bundle (build.mjs) under plain node', () => {
  let dir: string;
  let main: string;
  const api = new StubKubeApi();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dns-bundle-'));
    const out = join(dir, 'dist');
    const built = await run(process.execPath, [join(ROOT, 'dns-server/build.mjs'), '--outdir', out], { cwd: ROOT });
    assert.match(built.stdout, /dns-server bundle: .*main\.mjs/);
    main = join(out, 'main.mjs');
    api.applyAll([
      namespace('default'), namespace('shop'),
      service({ namespace: 'shop', name: 'cart', clusterIP: '10.0.0.1', ports: [{ name: 'http', port: 80 }] }),
      service({ namespace: 'shop', name: 'pay', clusterIP: 'None', ports: [{ name: 'grpc', port: 9090 }] }),
      endpointSlice({ namespace: 'shop', service: 'pay', endpoints: [{ addresses: ['10.244.1.1'] }, { addresses: ['10.244.1.2'] }], ports: [{ name: 'grpc', port: 9090 }] }),
    ]);
    await api.start();
  });

  after(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the build writes main.mjs (the CLI), index.mjs (the API) and their lazy chunks, nothing that needs node_modules', async () => {
    assert.ok(existsSync(main));
    const files = readdirSync(join(dir, 'dist'));
    assert.ok(files.every((f) => f === 'main.mjs' || f === 'index.mjs' || /^chunk-[A-Z0-9]+\.mjs$/.test(f)), files.join(' '));
    assert.ok(!existsSync(join(dir, 'node_modules')));
    const api = (await import(pathToFileURL(join(dir, 'dist', 'index.mjs')).href)) as { startDnsServer?: unknown };
    assert.equal(typeof api.startDnsServer, 'function', 'index.mjs exports startDnsServer, as the sandbox loads it');
  });

  for (const args of [['-version'], ['-plugins'], ['-help'], ['-nosuchflag']]) {
    test(`${args.join(' ')} prints what the tsx entry point prints`, async () => {
      const viaBundle = await run(process.execPath, [main, ...args], { cwd: dir }).catch(
        (e: { stdout: string; stderr: string; code: number }) => e,
      );
      const viaTsx = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'dns-server/main.ts'), ...args], { cwd: ROOT }).catch((e: { stdout: string; stderr: string; code: number }) => e);
      assert.equal(viaBundle.stdout, viaTsx.stdout);
      assert.equal(viaBundle.stderr, viaTsx.stderr);
      assert.equal((viaBundle as { code?: number }).code, (viaTsx as { code?: number }).code);
      if (args[0] === '-version') assert.match(viaBundle.stdout, /^CoreDNS-1\.11\.3\n/);
    });
  }

  test('serves the kubernetes plugin from a kubeconfig, with prometheus and health, to dig', async () => {
    const kubeconfig = api.writeKubeconfig(dir);
    const conf = join(dir, 'Corefile');
    let out = '';
    let child: ChildProcess | undefined;
    let metricsPort = 0;
    let healthPort = 0;
    try {
      // three ports, each free when probed; a server that finds one taken starts again on others
      const port = await onFreePort(async (port) => {
        metricsPort = await freePort();
        healthPort = await freePort();
        writeFileSync(conf, `.:${port} {\n  errors\n  health 127.0.0.1:${healthPort}\n  prometheus 127.0.0.1:${metricsPort}\n  kubernetes cluster.local in-addr.arpa {\n    kubeconfig ${kubeconfig}\n  }\n}\n`);
        out = '';
        const c = spawn(process.execPath, [main, '-conf', conf], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
        child = c;
        c.stdout.on('data', (d) => (out += d));
        c.stderr.on('data', (d) => (out += d));
        await waitFor(async () => (await short(port, 'cart.shop.svc.cluster.local')) === '10.0.0.1', {
          what: 'the bundle to answer cart.shop', show: () => out, timeout: 20_000, interval: 100,
          failIf: () => (c.exitCode !== null ? `it exited ${c.exitCode}: ${out}` : false),
        });
        return port;
      });
      assert.equal(await short(port, 'pay.shop.svc.cluster.local'), '10.244.1.1,10.244.1.2');
      assert.equal(await short(port, '_grpc._tcp.pay.shop.svc.cluster.local', 'SRV'), ['0 50 9090 10-244-1-1.pay.shop.svc.cluster.local.', '0 50 9090 10-244-1-2.pay.shop.svc.cluster.local.'].join(','));
      assert.equal(await short(port, '1.0.0.10.in-addr.arpa', 'PTR'), 'cart.shop.svc.cluster.local.');
      const nx = await query(port, 'nosuch.shop.svc.cluster.local', 'A');
      assert.equal(nx.rcode, 'NXDOMAIN');
      assert.equal(nx.authorities?.[0]?.type, 'SOA');
      const nodata = await query(port, 'cart.shop.svc.cluster.local', 'AAAA', { edns: 1232 });
      assert.equal(nodata.rcode, 'NOERROR');
      assert.equal(nodata.answers?.length ?? 0, 0);
      assert.equal(nodata.additionals?.[0]?.type, 'OPT');

      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      assert.match(metrics, /coredns_dns_requests_total\{server="dns:\/\/:\d+",zone=".",view="",proto="udp",family="1",type="A"\} [1-9]/);
      assert.match(metrics, /coredns_build_info\{version="1.11.3"/);
      const health = await fetch(`http://127.0.0.1:${healthPort}/health`);
      assert.equal(health.status, 200);
      assert.equal(await health.text(), 'OK');
      assert.match(out, /^CoreDNS-1\.11\.3$/m);
    } finally {
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        c.kill('SIGTERM');
        await new Promise((r) => c.once('exit', r));
      }
    }
  });
});
