// The docs' debugging pod (jessie-dnsutils) and the other dnsutils image, through the real
// kubectl, against a CoreDNS pod: bind9's dig, host and nslookup compared with the real bind9
// tools of this machine (bind9-dnsutils) asking the same server, after masking what differs
// between two runs or two bind versions (ids, times, the version, EDNS size, 9.18's extra lines).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import pty from '@lydell/node-pty';
import { labCluster, corednsObjects, kubectl, type LabCluster } from './support/lab-cluster.ts';
import { waitFor } from '../../support/wait.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';

/** the real tool on this machine; its exit code and output */
function real(cmd: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout });
    });
  });
}

/** the real tool with `input` on its stdin (a pipe, not a terminal); its exit code and output */
function realWithInput(cmd: string, args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** what legitimately differs between the pod's bind 9.9 and this machine's 9.18 asking another address */
function mask(text: string): string {
  return text.split('\n')
    .filter((l) => !/^;; WARNING: \.local is reserved|^;; You are currently testing|^; COOKIE:/.test(l))
    .map((l) => l
      .replace(/^; <<>> DiG .*$/, '; <<>> DiG V <<>> ARGS')
      .replace(/id: \d+/, 'id: ID')
      .replace(/udp: \d+/, 'udp: N')
      .replace(/^;; Query time: \d+ msec/, ';; Query time: T msec')
      .replace(/^;; SERVER: .*$/, ';; SERVER: S')
      .replace(/^;; WHEN: .*$/, ';; WHEN: W')
      // the cache counts TTLs down between the two askings
      .replace(/^(\S+\s+)\d+(\s+IN\s)/, '$1TTL$2'))
    .join('\n');
}

describe('jessie-dnsutils and dnsutils: bind9 tools against a CoreDNS pod', () => {
  let c: LabCluster;
  let dnsAddr: { host: string; port: number };
  const exec = (pod: string, ...cmd: string[]) => kubectl(c, ['exec', pod, '--', ...cmd]);

  before(async () => {
    c = await labCluster({ api: true });
    const { configMap, pod } = corednsObjects();
    c.store.create('configmaps', configMap);
    const dns = (await c.startPod(pod, '100.96.7.2')).procs.get('coredns')!;
    await waitFor(() => dns.ready(), { what: 'the CoreDNS pod to be ready' });
    c.setEndpoints('kube-system', 'kube-dns', ['100.96.7.2'], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
    dnsAddr = c.proxy.resolve('100.64.0.10', 53, 'UDP')!;
    // an ExternalName Service: CoreDNS answers a CNAME to a name the offline node resolver does not know
    c.store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' },
      spec: { type: 'ExternalName', externalName: 'www.example.org' } });
    const jessie: KubeObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dnsutils', namespace: 'default' },
      spec: { containers: [{ name: 'dnsutils', image: 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', command: ['sleep', 'infinity'] }] },
    };
    await c.startPod(jessie, '100.96.5.4');
    const alpine: KubeObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'alpine-dnsutils', namespace: 'default' },
      spec: { containers: [{ name: 'dnsutils', image: 'registry.k8s.io/e2e-test-images/dnsutils:1.3', command: ['sleep', '3600'] }] },
    };
    await c.startPod(alpine, '100.96.5.5');
  });

  after(async () => { await c.close(); });

  test("the docs' procedure: nslookup kubernetes.default and cat /etc/resolv.conf", async () => {
    // the page's own command line; without a terminal on its stdin kubectl says so and runs without a TTY
    const r = await kubectl(c, ['exec', '-i', '-t', 'dnsutils', '--', 'nslookup', 'kubernetes.default']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Server:\t\t100.64.0.10\nAddress:\t100.64.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 100.64.0.1\n\n');
    const conf = await exec('dnsutils', 'cat', '/etc/resolv.conf');
    assert.match(conf.stdout, /^nameserver 100\.64\.0\.10\nsearch default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
    const sh = await exec('dnsutils', 'sh', '-c', 'ls / | head -3; nosuch');
    assert.equal(sh.stdout, 'bin\nboot\ncoredns\n');
    assert.match(sh.stderr, /sh: 1: nosuch: not found/);
    const bash = await exec('dnsutils', 'bash', '-c', 'nosuch');
    assert.equal(bash.code, 127);
    assert.match(bash.stderr, /^bash: nosuch: command not found\n/);
    // an interactive bash on a terminal prompts as Debian's root does
    const jessie = c.store.get('pods', 'default', 'dnsutils')!;
    const tty = await c.exec(jessie, ['bash'], { tty: true, stdin: 'exit\r' });
    assert.match(tty.stdout, /^root@dnsutils:\/# /);
  });

  for (const [what, args] of [
    ['A', ['kubernetes.default.svc.cluster.local']],
    ['-t SRV', ['-t', 'SRV', '_dns._udp.kube-dns.kube-system.svc.cluster.local']],
    ['-x (PTR)', ['-x', '100.64.0.1']],
    ['AAAA', ['kube-dns.kube-system.svc.cluster.local', 'AAAA']],
    ['NXDOMAIN', ['nothere.default.svc.cluster.local']],
    ['+tcp', ['+tcp', 'kube-dns.kube-system.svc.cluster.local']],
    ['+short', ['+short', 'kubernetes.default.svc.cluster.local']],
    ['+noall +answer', ['+noall', '+answer', '-t', 'SRV', '_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local']],
    // dig.c parse_args: a type word before the name is the type (`dig SRV _http._tcp.my-svc...`, as
    // the "DNS for Services and Pods" reader types it), and so is a class word
    ['SRV before the name', ['+noall', '+answer', 'SRV', '_dns._udp.kube-dns.kube-system.svc.cluster.local']],
    ['IN SRV before the name', ['+noall', '+answer', 'IN', 'srv', '_dns._udp.kube-dns.kube-system.svc.cluster.local']],
    // every name is a lookup of its own (dig.c), a type word after a name is that name's, one before the first is every name's
    ['two names', ['kubernetes.default.svc.cluster.local', 'kube-dns.kube-system.svc.cluster.local']],
    ['two names +short, a type for the second', ['+short', 'kubernetes.default.svc.cluster.local', '_dns._udp.kube-dns.kube-system.svc.cluster.local', 'SRV']],
    ['a type before two names', ['+noall', '+answer', 'SRV', '_dns._udp.kube-dns.kube-system.svc.cluster.local', '_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local']],
    ['-x and a name', ['+short', '-x', '100.64.0.1', 'kubernetes.default.svc.cluster.local']],
  ] as const) {
    test(`dig ${what} prints what bind9's dig prints`, async () => {
      const expected = await real('dig', [`@${dnsAddr.host}`, '-p', String(dnsAddr.port), ...args]);
      for (const pod of ['dnsutils', 'alpine-dnsutils']) {
        const got = await exec(pod, 'dig', '@100.64.0.10', ...args);
        assert.equal(got.code, expected.code, got.stderr);
        assert.equal(mask(got.stdout), mask(expected.stdout), `${pod}: dig ${args.join(' ')}`);
      }
    });
  }

  test('dig +search walks the pod\'s search list; without it the name is asked as typed', async () => {
    const searched = await exec('dnsutils', 'dig', '+search', '+short', 'kubernetes.default');
    assert.deepEqual([searched.code, searched.stdout], [0, '100.64.0.1\n']);
    const plain = await exec('dnsutils', 'dig', 'kubernetes.default');
    assert.match(plain.stdout, /status: NXDOMAIN/);
    assert.match(plain.stdout, /;; SERVER: 100\.64\.0\.10#53\(100\.64\.0\.10\)\n/);
  });

  test('host and nslookup print bind9\'s lines for A, SRV and PTR', async () => {
    for (const [args, masks] of [
      [['kubernetes.default.svc.cluster.local'], []],
      [['-t', 'SRV', '_dns._udp.kube-dns.kube-system.svc.cluster.local'], []],
      [['100.64.0.1'], []],
      [['nothere.default.svc.cluster.local'], []],
      [['ext.default.svc.cluster.local'], []],
    ] as const) {
      const expected = await real('host', ['-p', String(dnsAddr.port), ...args, dnsAddr.host]);
      const got = await exec('dnsutils', 'host', ...args, '100.64.0.10');
      const body = (t: string) => t.replace(/^Using domain server:\nName: .*\nAddress: .*\nAliases: \n\n/, '');
      assert.equal(body(got.stdout), body(expected.stdout), `host ${args.join(' ')} ${masks.join('')}`);
      assert.equal(got.code === 0, expected.code === 0);
    }
    const srv = await exec('dnsutils', 'nslookup', '-type=srv', '_dns._udp.kube-dns.kube-system.svc.cluster.local');
    assert.match(srv.stdout, /\n_dns\._udp\.kube-dns\.kube-system\.svc\.cluster\.local\tservice = 0 100 53 kube-dns\.kube-system\.svc\.cluster\.local\.\n/);
    const ptr = await exec('dnsutils', 'nslookup', '100.64.0.1');
    assert.match(ptr.stdout, /\n1\.0\.64\.100\.in-addr\.arpa\tname = kubernetes\.default\.svc\.cluster\.local\.\n/);
    const nx = await exec('dnsutils', 'nslookup', 'nothere');
    assert.equal(nx.code, 1);
    assert.match(nx.stdout, /\*\* server can't find nothere: NXDOMAIN\n/);
    // five dots: asked as typed first, then down the search list; NXDOMAIN names it as typed (nslookup.c printmessage)
    const dotted = await exec('dnsutils', 'nslookup', 'a.b.c.d.e.nothere');
    assert.equal(dotted.code, 1);
    assert.match(dotted.stdout, /\n\*\* server can't find a\.b\.c\.d\.e\.nothere: NXDOMAIN\n\n$/);
    // against this machine's nslookup (9.18 prints A, SRV, PTR and NXDOMAIN as 9.9 does)
    const serverLines = (t: string) => t.replace(/^Server:\t\t.*\nAddress:\t.*\n\n/, '');
    for (const args of [['kubernetes.default.svc.cluster.local'], ['-type=srv', '_dns._udp.kube-dns.kube-system.svc.cluster.local'],
      ['100.64.0.10'], ['nothere.default.svc.cluster.local'], ['ext.default.svc.cluster.local']]) {
      const expected = await real('nslookup', [`-port=${dnsAddr.port}`, ...args, dnsAddr.host]);
      const got = await exec('dnsutils', 'nslookup', ...args, '100.64.0.10');
      assert.equal(serverLines(got.stdout), serverLines(expected.stdout), `nslookup ${args.join(' ')}`);
      assert.equal(got.code === 0, expected.code === 0);
    }
  });
  test('nslookup reads commands from a piped stdin: no prompt, set type/q/debug, server, exit (as real nslookup does)', async () => {
    const session = 'set type=srv\n_dns._udp.kube-dns.kube-system.svc.cluster.local\nset q=ptr\n100.64.0.1\n' +
      'set nosuch\nset type=bogus\nset debug\nset type=SRV\n_dns._udp.kube-dns.kube-system.svc.cluster.local\n' +
      'set nodebug\nnothere.default.svc.cluster.local\nhelp\nls x\nexit\nkubernetes.default\n';
    const got = await kubectl(c, ['exec', '-i', 'dnsutils', '--', 'nslookup'], session);
    const expected = await realWithInput('nslookup', [`-port=${dnsAddr.port}`, '-', dnsAddr.host], session);
    const servers = (t: string) => t.replace(/^Server:\t\t.*\nAddress:\t.*\n/gm, 'Server: S\n');
    // the TTLs count down in CoreDNS's cache between the two sessions
    const ttls = (t: string) => t.replace(/\tttl = \d+\n/g, '\tttl = T\n');
    assert.equal(ttls(servers(got.stdout)), ttls(servers(expected.stdout)));
    // an NXDOMAIN in the session: both exit 1 (print_error), which kubectl reports
    assert.equal(expected.code, 1);
    assert.deepEqual([got.code, got.stderr], [1, 'command terminated with exit code 1\n']);
    // the session line by line: no prompt without a terminal, nothing between lookups, one blank line at the end
    assert.equal(got.stdout.split('\n').slice(0, 4).join('\n'),
      'Server:\t\t100.64.0.10\nAddress:\t100.64.0.10#53\n\n_dns._udp.kube-dns.kube-system.svc.cluster.local\tservice = 0 100 53 kube-dns.kube-system.svc.cluster.local.');
    assert.match(got.stdout, /\n\*\* server can't find nothere\.default\.svc\.cluster\.local: NXDOMAIN\nThe 'help' command is not yet implemented\.\nThe 'ls' command is not implemented\.\n\n$/);
    // an A lookup, `server NAME` (resolved through the C library), EOF; exit status 1 after an NXDOMAIN
    const a = await kubectl(c, ['exec', '-i', 'dnsutils', '--', 'nslookup', '-', '100.64.0.10'],
      'server kube-dns.kube-system.svc.cluster.local\nkubernetes.default\nnothere\n');
    assert.equal(a.stdout, 'Default server: kube-dns.kube-system.svc.cluster.local\nAddress: 100.64.0.10#53\n' +
      'Server:\t\tkube-dns.kube-system.svc.cluster.local\nAddress:\t100.64.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 100.64.0.1\n' +
      "Server:\t\tkube-dns.kube-system.svc.cluster.local\nAddress:\t100.64.0.10#53\n\n** server can't find nothere: NXDOMAIN\n\n");
    assert.equal(a.code, 1);
    // a server name that does not resolve is dighost.c's fatal(): exit 10
    const bad = await kubectl(c, ['exec', '-i', 'dnsutils', '--', 'nslookup'], 'server nosuch.invalid\nkubernetes.default\n');
    assert.deepEqual([bad.code, bad.stdout, bad.stderr], [10, '', "nslookup: couldn't get address for 'nosuch.invalid': not found\ncommand terminated with exit code 10\n"]);
  });

  test('kubectl exec -it dnsutils -- nslookup: the "> " prompt on the terminal, lookups, exit', async () => {
    const term = pty.spawn('kubectl', ['--kubeconfig', c.kubeconfig, '--cache-dir', join(c.dir, 'cache'), 'exec', '-it', 'dnsutils', '--', 'nslookup'],
      { cols: 120, rows: 30, env: process.env as Record<string, string> });
    let screen = '';
    term.onData((d) => { screen += d; });
    const exited = new Promise<number>((r) => term.onExit(({ exitCode }) => r(exitCode)));
    const shows = (s: string) => waitFor(() => screen.includes(s), { what: `the terminal to show ${JSON.stringify(s)}`, show: () => JSON.stringify(screen) });
    try {
      await shows('> ');
      term.write('kubernetes.default\r');
      await shows('kubernetes.default\r\nServer:\t\t100.64.0.10\r\nAddress:\t100.64.0.10#53\r\n\r\nName:\tkubernetes.default.svc.cluster.local\r\nAddress: 100.64.0.1\r\n> ');
      term.write('set type=srv\r');
      await shows('set type=srv\r\n> ');
      term.write('_dns._udp.kube-dns.kube-system.svc.cluster.local\r');
      await shows('\tservice = 0 100 53 kube-dns.kube-system.svc.cluster.local.\r\n> ');
      term.write('exit\r');
      assert.equal(await exited, 0);
      assert.match(screen, /> exit\r\n\r\n$/);
    } finally {
      term.kill();
    }
  });
  test('dig +trace: the cluster DNS has no root NS set for ". NS" (the node resolver has no upstreams): printed as real dig prints it, status 0', async () => {
    const got = await exec('dnsutils', 'dig', '+trace', '+time=1', '+tries=1', 'example.com');
    const expected = await real('dig', ['+trace', '+time=1', '+tries=1', `@${dnsAddr.host}`, '-p', String(dnsAddr.port), 'example.com']);
    const body = (t: string) => t.replace(/^\n; <<>> DiG .*\n(; \(1 server found\)\n)?;; global options: \+cmd\n/, '')
      .replace(/^;; Received (\d+) bytes from .* in \d+ ms$/m, ';; Received $1 bytes from S in T ms');
    assert.equal(body(got.stdout), body(expected.stdout));
    assert.deepEqual([got.code, expected.code], [0, 0]);
    assert.match(got.stdout, /;; Received \d+ bytes from 100\.64\.0\.10#53\(100\.64\.0\.10\) in \d+ ms\n\n$/);
  });
});
