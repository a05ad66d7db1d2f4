// The lab's bash completes kubectl with kubectl's own script (cached in the state dir), also where
// the bash-completion package is not installed, and every file the templates' comments mention
// is in the terminal's folder.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabServer, type LabServer } from '../../../sandbox/server/lab-server.ts';
import { TermClient } from '../../../sandbox/terminal/node-client.ts';
import { COMPLETION_FILE, kubectlIdentity, REPO_ROOT, refreshCompletion } from '../../../sandbox/terminal/workspace.ts';

const PROMPT_END = '\x1b]133;B\x07';

describe('the lab shell: kubectl completion and the templates\' files', () => {
  let dir: string;
  let server: LabServer;
  const clients: TermClient[] = [];
  const open = async () => {
    const c = await TermClient.open({ base: `http://127.0.0.1:${server.port}`, token: server.token });
    clients.push(c);
    await c.waitFor(PROMPT_END);
    return c;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-completion-'));
    server = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: dir, idleTimeoutMs: 60_000, siteDist: null });
  });
  after(async () => {
    for (const c of clients) c.ws.terminate();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('Tab completes a kubectl subcommand and a manifest under templates/ (no bash-completion package needed)', async () => {
    const c = await open();
    const from = c.length;
    c.type('kubectl versi\t');
    await c.waitFor('kubectl version ', 15_000, from);
    c.type('\x15kubectl create -f templates/busy\t');
    await c.waitFor('templates/busybox.yaml', 15_000, from);
    c.type('\x15echo done-$((40+2))\r');
    await c.waitFor('done-42', 15_000, from);
    const out = c.text.slice(c.text.length - (c.length - from));
    assert.doesNotMatch(out, /command not found/, JSON.stringify(out));
    assert.ok(existsSync(join(dir, 'kubectl-completion.bash')), 'the completion script is cached in the state dir');
  });

  test('a shell that starts before the cached script is there makes it itself, on the first Tab', async () => {
    rmSync(join(dir, 'kubectl-completion.bash'), { force: true });
    const c = await open();
    // the shell's start does not make it (nothing waits for kubectl before the prompt)
    assert.ok(!existsSync(join(dir, 'kubectl-completion.bash')), 'made at the start of the shell');
    const from = c.length;
    c.type('kubectl api-reso\t');
    await c.waitFor('kubectl api-resources ', 15_000, from);
    c.type('\x15');
    assert.ok(existsSync(join(dir, 'kubectl-completion.bash')));
  });

  test('every file the templates\' comments mention is in the terminal\'s folder', async () => {
    const templates = join(REPO_ROOT, 'lessons', 'templates');
    const mentioned = new Set<string>();
    for (const name of readdirSync(templates)) {
      for (const line of readFileSync(join(templates, name), 'utf8').split('\n')) {
        const comment = /(^|\s)#(.*)$/.exec(line)?.[2];
        for (const m of comment?.matchAll(/(?<![\w/.-])([\w-][\w./-]*\.(?:md|ya?ml|json|txt))\b/g) ?? []) mentioned.add(m[1]!);
      }
    }
    assert.ok(mentioned.has('README.md'), [...mentioned].join(', '));
    const workspace = join(dir, 'workspace');
    const missing = [...mentioned].filter((f) => !existsSync(join(workspace, f)) && !existsSync(join(workspace, 'templates', f)));
    assert.deepEqual(missing, []);
    // and the shell reads it from there
    const c = await open();
    const from = c.length;
    c.type('head -1 README.md\r');
    await c.waitFor('# lessons/', 15_000, from);
  });

  test('the cached script is kept while kubectl stays the same file, and made again when it changes', async () => {
    // the real kubectl, copied into a PATH dir of its own, so the test can change it (an upgrade
    // rewrites the file: another size or modification time)
    const system = kubectlIdentity();
    assert.ok(system, 'kubectl on PATH');
    const bin = join(dir, 'kubectl-bin');
    mkdirSync(bin);
    copyFileSync(realpathSync(system.file), join(bin, 'kubectl'));
    const state = join(dir, 'cache-state');
    mkdirSync(state);
    const script = join(state, COMPLETION_FILE);
    assert.equal(await refreshCompletion(state, bin), 'made');
    assert.match(readFileSync(script, 'utf8'), /__start_kubectl/);
    // a mark in the cached script: a start that reuses it keeps the mark
    writeFileSync(script, `${readFileSync(script, 'utf8')}\n# cached-mark\n`);
    assert.equal(await refreshCompletion(state, bin), 'reused');
    assert.match(readFileSync(script, 'utf8'), /# cached-mark/);
    // kubectl replaced: the script is made again from it
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(bin, 'kubectl'), later, later);
    assert.equal(await refreshCompletion(state, bin), 'made');
    const again = readFileSync(script, 'utf8');
    assert.doesNotMatch(again, /# cached-mark/);
    assert.match(again, /__start_kubectl/);
    // no kubectl on PATH: nothing cached that a later kubectl would not have made
    assert.equal(await refreshCompletion(state, join(dir, 'no-such-bin')), 'no-kubectl');
    assert.ok(!existsSync(script));
  });
});
