// `serve` started the way the lab and its tests start it: the token comes from a file or the
// environment, so no process on the machine shows it in its command line (every user can read
// /proc/<pid>/cmdline), and the learner's shells do not inherit it.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type LabProcess } from '../../e2e/support/lab-process.ts';
import { TermClient } from '../../../sandbox/terminal/node-client.ts';

/** the pids whose command line contains `text`, across the whole machine */
function cmdlinesWith(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** the token in the printed URL works as a bearer token, and the shell's environment lacks it */
async function assertLabWorks(lab: LabProcess, token: string): Promise<void> {
  const u = new URL(lab.url);
  assert.equal(u.searchParams.get('token'), token, 'the URL carries the token from the file or variable');
  const status = await fetch(`${u.origin}/api/status`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(status.status, 200);
  const wrong = await fetch(`${u.origin}/api/status`, { headers: { Authorization: 'Bearer not-the-token-0123456789' } });
  assert.equal(wrong.status, 401);
  const shell = await TermClient.open({ base: u.origin, token });
  try {
    await shell.waitFor(/coredns-lab.*[$#] /);
    shell.type('echo "tok=${COREDNS_LAB_TOKEN-unset} umask=$(umask)"\r');
    await shell.waitFor(/tok=\S+ umask=\d+\r\n/);
    assert.match(shell.text, /tok=unset umask=0022\r\n/);
  } finally {
    await shell.close();
  }
}

describe('serve --token-file and COREDNS_LAB_TOKEN', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-token-'));
  const labs: LabProcess[] = [];
  after(async () => {
    for (const l of labs) await l.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('--token-file: no process shows the token; the lab opens with it', async () => {
    const token = `file-token-${process.pid}-abcdefghij`;
    const file = join(dir, 'token');
    writeFileSync(file, `${token}\n`);
    chmodSync(file, 0o600);
    const lab = await startLab(['--token-file', file, '--provider', 'kind']);
    labs.push(lab);
    assert.match(readFileSync(`/proc/${lab.child.pid}/cmdline`, 'utf8'), /--token-file/);
    assert.deepEqual(cmdlinesWith(token), []);
    await assertLabWorks(lab, token);
  });

  test('COREDNS_LAB_TOKEN: no process shows the token; the lab opens with it', async () => {
    const token = `env-token-${process.pid}-abcdefghijk`;
    process.env.COREDNS_LAB_TOKEN = token;
    let lab: LabProcess;
    try {
      lab = await startLab(['--provider', 'kind']);
    } finally {
      delete process.env.COREDNS_LAB_TOKEN;
    }
    labs.push(lab);
    assert.deepEqual(cmdlinesWith(token), []);
    await assertLabWorks(lab, token);
  });
});

describe('serve token options, refused before anything starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-token-usage-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const rows: Array<{ name: string; args: () => string[]; env?: string; message: RegExp }> = [
    { name: 'a missing token file', args: () => ['--token-file', join(dir, 'nope')], message: /--token-file .*nope: no such file/ },
    { name: 'a token file with a short token', args: () => (writeFileSync(join(dir, 'short'), 'abc\n'), ['--token-file', join(dir, 'short')]), message: /the token in .*short must be 16 to 128 characters/ },
    { name: '--token and --token-file', args: () => ['--token', 'a'.repeat(20), '--token-file', join(dir, 'x')], message: /give the token one way, not --token-file and --token/ },
    { name: 'COREDNS_LAB_TOKEN and --token', args: () => ['--token', 'a'.repeat(20)], env: 'b'.repeat(20), message: /give the token one way, not COREDNS_LAB_TOKEN and --token/ },
    { name: 'a short COREDNS_LAB_TOKEN', args: () => [], env: 'short', message: /COREDNS_LAB_TOKEN must be 16 to 128 characters/ },
  ];
  for (const row of rows)
    test(`${row.name} is a usage error`, async () => {
      const { serve } = await import('../../../sandbox/cli/commands/serve.ts');
      const { UsageError } = await import('../../../sandbox/cli/args.ts');
      if (row.env !== undefined) process.env.COREDNS_LAB_TOKEN = row.env;
      try {
        await assert.rejects(serve.run(row.args()), (err: Error) => err instanceof UsageError && row.message.test(err.message));
      } finally {
        delete process.env.COREDNS_LAB_TOKEN;
      }
    });
});
