// The image's run stage, read from dns-server/Dockerfile (there is no Docker engine here to
// build it): it runs as a non-root user and can still bind port 53, as coredns/coredns does.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Instruction {
  op: string;
  args: string;
  line: number;
}

/** Dockerfile instructions: comments dropped, backslash continuations joined. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (!pending && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (pending && line.trimStart().startsWith('#')) return;
    const cont = line.endsWith('\\');
    const body = cont ? line.slice(0, -1) : line;
    pending = pending ? { text: `${pending.text} ${body.trim()}`, line: pending.line } : { text: body.trim(), line: i + 1 };
    if (!cont) {
      const m = /^(\S+)\s*(.*)$/.exec(pending.text)!;
      out.push({ op: m[1]!.toUpperCase(), args: m[2]!, line: pending.line });
      pending = null;
    }
  });
  return out;
}

function lastStage(all: Instruction[]): Instruction[] {
  const from = all.map((x) => x.op).lastIndexOf('FROM');
  return all.slice(from);
}

const ROOT_USERS = new Set(['', '0', 'root']);

describe('dns-server/Dockerfile', () => {
  const text = readFileSync(fileURLToPath(new URL('../../../dns-server/Dockerfile', import.meta.url)), 'utf8');
  const stage = lastStage(parseDockerfile(text));
  const userAt = stage.map((x) => x.op).lastIndexOf('USER');
  const setcapAt = stage.findIndex((x) => x.op === 'RUN' && /\bsetcap\s+cap_net_bind_service=\+ep\b/.test(x.args));

  test('the parser reads stages and continuations (a two-stage file)', () => {
    const parsed = parseDockerfile('FROM a AS b\n# c\nRUN x \\\n  # inner comment\n  && y\nFROM d\nUSER 1:1\n');
    assert.deepEqual(parsed.map((x) => [x.op, x.args]), [['FROM', 'a AS b'], ['RUN', 'x && y'], ['FROM', 'd'], ['USER', '1:1']]);
    assert.deepEqual(lastStage(parsed).map((x) => x.op), ['FROM', 'USER']);
  });

  test('the final stage sets a USER that is not root (user and group)', () => {
    assert.ok(userAt >= 0, 'the final stage has no USER: the server would run as root');
    const [user = '', group] = stage[userAt]!.args.trim().split(':');
    assert.ok(!ROOT_USERS.has(user), `USER ${stage[userAt]!.args} is root`);
    if (group !== undefined) assert.ok(!ROOT_USERS.has(group), `USER ${stage[userAt]!.args} has the root group`);
    assert.equal(user, '65532', 'coredns/coredns runs as nonroot (65532)');
  });

  test('node gets cap_net_bind_service as a file capability, before USER drops root', () => {
    assert.ok(setcapAt >= 0, 'no `setcap cap_net_bind_service=+ep` step in the final stage: port 53 could not be bound');
    assert.match(stage[setcapAt]!.args, /setcap cap_net_bind_service=\+ep "\$\(readlink -f "\$\(command -v node\)"\)"/);
    assert.ok(setcapAt < userAt, 'setcap needs root: it must run before USER');
  });

  test('the entry point is the node binary that carries the capability', () => {
    const entry = stage.find((x) => x.op === 'ENTRYPOINT');
    assert.ok(entry);
    assert.equal(JSON.parse(entry.args)[0], 'node');
    assert.ok(stage.indexOf(entry) > userAt, 'ENTRYPOINT after USER');
  });

  // The step itself, on a copy of this machine's node (the tests run as root, as CI does): uid
  // 65532 binds port 53 with the capability and gets EACCES without it.
  test('the setcap step really lets uid 65532 bind port 53 with that node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-setcap-'));
    try {
      chmodSync(dir, 0o755);
      const withCap = join(dir, 'node');
      copyFileSync(realpathSync(process.execPath), withCap);
      chmodSync(withCap, 0o755);
      const step = /setcap cap_net_bind_service=\+ep/.exec(stage[setcapAt]!.args)![0].split(' ');
      execFileSync(step[0]!, [...step.slice(1), withCap]);
      const script = join(dir, 'bind.cjs');
      // 127.53.x.y: an address of its own, so a resolver on 127.0.0.1:53 does not get in the way
      writeFileSync(script, `const s = require('node:dgram').createSocket('udp4');
s.on('error', (e) => { process.stdout.write(e.code); process.exit(0); });
s.bind(53, '127.53.${process.pid % 250}.${1 + (Date.now() % 250)}', () => { process.stdout.write('bound'); s.close(); });`);
      chmodSync(script, 0o644);
      const run = (node: string) => spawnSync(node, [script], { uid: 65532, gid: 65532, encoding: 'utf8' }).stdout;
      assert.equal(run(withCap), 'bound');
      assert.equal(run(realpathSync(process.execPath)), 'EACCES');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
