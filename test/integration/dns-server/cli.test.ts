// The dns-server command line, run as a real process through both entry points.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { query } from '../../../dns-server/test-support/client.ts';
import { runCli } from '../../../dns-server/cli.ts';
import { onFreePort } from '../../support/free-port.ts';

/** runCli in this process, capturing what it prints */
async function inProcess(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), env: {} });
  return { code, out, err };
}

const root = new URL('../../../', import.meta.url).pathname;

interface Proc {
  code: Promise<number>;
  stdout(): string;
  stderr(): string;
  kill(sig: NodeJS.Signals): void;
  waitFor(re: RegExp, ms?: number): Promise<void>;
}

function start(args: string[], via: 'main' | 'lab' = 'main'): Proc {
  const argv = via === 'main' ? ['--import', 'tsx', 'dns-server/main.ts', ...args] : ['bin/coredns-lab.js', 'dns-server', ...args];
  const child = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (d) => { out += d; waiters.forEach((w) => w()); });
  child.stderr.on('data', (d) => (err += d));
  const code = new Promise<number>((r) => child.on('exit', (c, s) => r(c ?? (s ? 128 : 1))));
  return {
    code, stdout: () => out, stderr: () => err, kill: (s) => child.kill(s),
    waitFor: (re, ms = 50_000) => new Promise((resolve, reject) => {
      const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out waiting for ${re}; stdout:\n${out}\nstderr:\n${err}`)); }, ms);
      const check = () => { if (re.test(out)) { clearTimeout(t); resolve(); } };
      waiters.push(check);
      check();
      // a process that ends first (e.g. its port was taken) fails the wait at once
      void code.then((c) => { clearTimeout(t); if (!re.test(out)) reject(new Error(`exited ${c} before ${re}; stdout:\n${out}\nstderr:\n${err}`)); });
    }),
  };
}

describe('dns-server CLI', { concurrency: true }, () => {
  test('-version prints CoreDNS-x.y.z and an honest second line', async () => {
    const p = await inProcess(['-version']);
    assert.equal(p.code, 0);
    assert.match(p.out, /^CoreDNS-1\.11\.3\nlinux\/amd64, node\d+\.\d+\.\d+, coredns-lab-dns-server\n$/);
  });

  test('-plugins lists the plugins in CoreDNS\'s layout (through npm run lab -- dns-server too)', async () => {
    const p = start(['-plugins'], 'lab');
    assert.equal(await p.code, 0);
    assert.match(p.stdout(), /^Server types:\n  dns\n\nCaddyfile loaders:\n  flag\n  default\n\nOther plugins:\n/);
    for (const name of ['cache', 'errors', 'forward', 'health', 'hosts', 'kubernetes', 'log', 'loop', 'prometheus', 'proxy', 'ready', 'reload', 'loadbalance'])
      assert.ok(p.stdout().includes(`  dns.${name}\n`), `missing dns.${name}`);
  });

  test('-help shows the flags', async () => {
    const p = await inProcess(['-help']);
    assert.equal(p.code, 0);
    assert.match(p.out, /-conf string/);
    assert.match(p.out, /-dns\.port string/);
  });

  test('an unknown flag is an error with usage, exit 2', async () => {
    const p = await inProcess(['-confx', 'x']);
    assert.equal(p.code, 2);
    assert.match(p.err, /^flag provided but not defined: -confx\nUsage of coredns/);
    const q = await inProcess(['-dns.port', 'abc']);
    assert.equal(q.code, 2);
    assert.match(q.err, /^invalid value "abc" for flag -dns\.port/);
  });

  test('a missing Corefile says so and how to fix it, exit 1', async () => {
    const p = await inProcess(['-conf', '/nonexistent/Corefile']);
    assert.equal(p.code, 1);
    assert.equal(p.err, 'Corefile: unable to read /nonexistent/Corefile: no such file; pass an existing file with -conf FILE\n');
  });

  test('a bad Corefile prints CoreDNS\'s parse error, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dns-cli-'));
    try {
      writeFileSync(join(dir, 'Corefile'), '.:53 {\n    errors\n    foo\n}\n');
      const p = await inProcess(['-conf', join(dir, 'Corefile')]);
      assert.equal(p.code, 1);
      assert.equal(p.err, `${join(dir, 'Corefile')}:3 - Error during parsing: Unknown directive 'foo'\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('serves with -dns.port, prints the banner, stops on SIGTERM with exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dns-cli-'));
    try {
      writeFileSync(join(dir, 'Corefile'), 'example.org {\n    hosts {\n        10.0.0.1 web.example.org\n    }\n}\n');
      // the container's entry point, as a real process, on a port another test may take first
      const { port, p } = await onFreePort(async (port) => {
        const p = start(['-conf', join(dir, 'Corefile'), '-dns.port', String(port)]);
        await p.waitFor(/linux\/amd64/);
        return { port, p };
      });
      assert.match(p.stdout(), new RegExp(`^example\\.org\\.:${port}\\nCoreDNS-1\\.11\\.3\\nlinux/amd64, `));
      assert.equal((await query(port, 'web.example.org', 'A')).answers![0]!.data, '10.0.0.1');
      p.kill('SIGTERM');
      assert.equal(await p.code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
