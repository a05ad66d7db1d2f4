// What the sandbox command says when it is used wrongly: each error names the problem and the fix.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import dgram from 'node:dgram';
import { join } from 'node:path';
import { lab, tempDir } from './sandbox-process.ts';

describe('sandbox command errors', () => {
  const stateDir = tempDir('cli-errors');
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  const cases: Array<{ name: string; args: string[]; code: number; stderr: RegExp }> = [
    { name: 'no subcommand', args: ['sandbox'], code: 2, stderr: /say what to do: one of up, status, reset, down/ },
    { name: 'unknown subcommand', args: ['sandbox', 'start'], code: 2, stderr: /unknown subcommand "start"; use one of up, status, reset, down/ },
    { name: 'unknown option', args: ['sandbox', 'up', '--port', '1'], code: 2, stderr: /unknown option --port for "sandbox"/ },
    { name: 'a --dns-port that is not a port', args: ['sandbox', 'up', '--dns-port', 'abc'], code: 2, stderr: /--dns-port must be an integer from 0 to 65535, got "abc"/ },
    { name: '--dns-port on status', args: ['sandbox', 'status', '--dns-port', '1053'], code: 2, stderr: /--dns-port only applies to "sandbox up"/ },
    {
      name: 'the existing provider refuses a context that does not look disposable',
      args: ['sandbox', 'up', '--provider', 'existing', '--context', 'prod-eu-1', '--i-understand-this-changes-kube-system', '--state-dir', stateDir],
      code: 1,
      stderr: /refusing context "prod-eu-1": it does not look like a throwaway cluster/,
    },
    { name: 'an unknown provider', args: ['sandbox', 'up', '--provider', 'k3s', '--state-dir', stateDir], code: 2, stderr: /unknown provider "k3s"; choose one of embedded, kind, minikube, existing/ },
    { name: 'an unknown profile', args: ['sandbox', 'up', '--profile', 'k3s', '--state-dir', stateDir], code: 2, stderr: /--profile must be kops, kind or minikube, got "k3s"/ },
    { name: '--profile with a real cluster', args: ['sandbox', 'up', '--provider', 'kind', '--profile', 'kind', '--state-dir', stateDir], code: 2, stderr: /--profile is for the embedded provider/ },
    { name: '--restore on up', args: ['sandbox', 'up', '--restore', '--state-dir', stateDir], code: 2, stderr: /--restore only applies to "sandbox down"/ },
    { name: 'down with nothing running', args: ['sandbox', 'down', '--state-dir', stateDir], code: 1, stderr: /no sandbox is running on .*; start one with "coredns-lab sandbox up --state-dir/ },
  ];
  for (const c of cases)
    test(c.name, async () => {
      const r = await lab(c.args);
      assert.equal(r.code, c.code, r.stderr);
      assert.match(r.stderr, c.stderr);
    });

  test('status on a never-used state dir: stopped, exit 3', async () => {
    const r = await lab(['sandbox', 'status', '--json', '--state-dir', stateDir]);
    assert.equal(r.code, 3);
    assert.equal(JSON.parse(r.stdout).state, 'stopped');
  });

  test('a stale pid file (its process is gone) is taken over by reset', async () => {
    writeFileSync(join(stateDir, 'sandbox.pid'), JSON.stringify({ pid: 2 ** 22 + 12345, state: 'running', startedAt: new Date().toISOString() }));
    const r = await lab(['sandbox', 'reset', '--state-dir', stateDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /holds the chapter's Status Quo again/);
  });

  test('a --dns-port that is taken: a clear error, and the state dir is released', async () => {
    const holder = dgram.createSocket('udp4');
    await new Promise<void>((r) => holder.bind(0, '127.0.0.1', () => r()));
    try {
      const port = holder.address().port;
      const r = await lab(['sandbox', 'up', '--state-dir', stateDir, '--dns-port', String(port)], { timeoutMs: 60_000 });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`cannot publish DNS on 127\\.0\\.0\\.1:${port}: the port is in use; choose another with --dns-port`));
      assert.ok(!existsSync(join(stateDir, 'sandbox.pid')));
    } finally {
      holder.close();
    }
  });

  test('a state dir that cannot be created', async () => {
    const file = join(stateDir, 'a-file');
    writeFileSync(file, 'x');
    const r = await lab(['sandbox', 'reset', '--state-dir', join(file, 'sub')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot use .*a-file\/sub as the sandbox state dir: .*Pick a writable directory with --state-dir/);
  });
});
