// The shell's working directory, rcfile and environment.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareWorkspace, shellEnv, WorkspaceError } from '../../../sandbox/terminal/workspace.ts';

describe('prepareWorkspace', () => {
  let root: string;
  let templates: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lab-ws-'));
    templates = join(root, 'repo', 'lessons', 'templates');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('creates the layout and links templates/, creating the target if missing', () => {
    const ws = prepareWorkspace(join(root, 'state'), templates);
    assert.equal(readlinkSync(join(ws.dir, 'templates')), templates);
    assert.ok(existsSync(templates));
    assert.ok(existsSync(ws.sessionsDir));
    assert.equal(ws.kubeconfig, join(root, 'state', 'kubeconfig'));
  });

  test('is idempotent and re-points a stale link', () => {
    const other = join(root, 'other-templates');
    mkdirSync(other);
    prepareWorkspace(join(root, 'state'), other);
    const ws = prepareWorkspace(join(root, 'state'), templates);
    assert.equal(readlinkSync(join(ws.dir, 'templates')), templates);
  });

  test('refuses to replace a real templates directory the learner made', () => {
    const state = join(root, 'state2');
    mkdirSync(join(state, 'workspace', 'templates'), { recursive: true });
    assert.throws(() => prepareWorkspace(state, templates), (e: Error) => e instanceof WorkspaceError && e.code === 'LAB_ERR_WORKSPACE' && /not a symlink/.test(e.message));
  });

  test('the rcfile sets the lab prompt in bash, without the learner rc files', () => {
    const ws = prepareWorkspace(join(root, 'state'), templates);
    const home = join(root, 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, '.bashrc'), 'PS1="broken> "\n');
    const out = execFileSync('bash', ['--noprofile', '--rcfile', ws.rcfile, '-i', '-c', 'cd "$LAB_WORKSPACE/templates" 2>/dev/null || cd "$LAB_WORKSPACE"; __lab_pwd; echo "pwd=$LAB_PWD"; echo "ps1=$PS1"'], {
      env: { ...shellEnv(ws, 'sess1234abcd'), HOME: home },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    assert.match(out, /pwd=lab\/templates/);
    assert.match(out, /ps1=.*coredns-lab.*\$\{LAB_PWD\}/);
    assert.doesNotMatch(out, /broken/);
  });

  test("in a workshop seat, a command line runs in the commands CPU group and the prompt moves the shell back", () => {
    const ws = prepareWorkspace(join(root, 'state'), templates);
    // plain files stand in for the two groups' cgroup.procs: each write leaves the pid it wrote
    const interactive = join(root, 'interactive.procs');
    const commands = join(root, 'commands.procs');
    writeFileSync(interactive, '');
    writeFileSync(commands, '');
    const lines = [
      // the command line sees the shell's pid in the commands group already, the interactive one emptied by itself
      ': > "$LAB_CPU_INTERACTIVE"; echo "shell=$$ commands=$(cat "$LAB_CPU_COMMANDS")"',
      // after that line's prompt the shell is back in the interactive group
      'echo "interactive=$(cat "$LAB_CPU_INTERACTIVE")"',
    ];
    const out = execFileSync('bash', ['--noprofile', '--rcfile', ws.rcfile, '-i'], {
      env: { ...shellEnv(ws, 'sess1234abcd'), HOME: root, LAB_CPU_INTERACTIVE: interactive, LAB_CPU_COMMANDS: commands },
      input: `${lines.join('\n')}\n`,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const pid = /shell=(\d+) /.exec(out)?.[1];
    assert.ok(pid, out);
    assert.match(out, new RegExp(`shell=${pid} commands=${pid}\\n`));
    assert.match(out, new RegExp(`interactive=${pid}\\n`));
  });

  test('outside a workshop seat the prompt touches no CPU group and PS0 only marks the command', () => {
    const ws = prepareWorkspace(join(root, 'state'), templates);
    const out = execFileSync('bash', ['--noprofile', '--rcfile', ws.rcfile, '-i', '-c', 'echo "ps0=$PS0"'], {
      env: { ...shellEnv(ws, 'sess1234abcd'), HOME: root },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    assert.equal(out, 'ps0=\\e]133;C\\a\n');
  });

  test('the environment points kubectl at the lab and a per-session cache', () => {
    const ws = prepareWorkspace(join(root, 'state'), templates);
    const env = shellEnv(ws, 'sessABCD1234', { PATH: '/usr/bin', PS1: 'x', PROMPT_COMMAND: 'y', NODE_OPTIONS: '--inspect' });
    assert.equal(env.KUBECONFIG, ws.kubeconfig);
    assert.equal(env.KUBECACHEDIR, join(ws.sessionsDir, 'sessABCD1234', 'kube-cache'));
    assert.ok(existsSync(env.KUBECACHEDIR!));
    assert.equal(env.TERM, 'xterm-256color');
    assert.equal(env.PATH, '/usr/bin');
    assert.equal(env.PS1, undefined);
    assert.equal(env.PROMPT_COMMAND, undefined);
    assert.equal(env.NODE_OPTIONS, undefined);
  });
});
