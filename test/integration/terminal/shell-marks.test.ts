// The lab's bash marks prompts and commands with OSC 133 (A prompt, B input, C command runs,
// D;<status> command done), so the page can check a step when a command finishes. The marks
// must be in the live output, and nowhere in the screen a reconnect replays.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabServer, type LabServer } from '../../../sandbox/server/lab-server.ts';
import { TermClient } from '../../../sandbox/terminal/node-client.ts';

const OSC = '\x1b]133;';
const PROMPT_END = `${OSC}B\x07`;
/** a pattern from pieces where `<X>` stands for the mark ESC ] 133 ; X BEL (regex source otherwise) */
const marks = (source: string) => new RegExp(source.replace(/<([A-D](?:;\d+)?)>/g, (_m, x: string) => `\\x1b\\]133;${x}\\x07`));

describe('OSC 133 marks from the lab shell', () => {
  let dir: string;
  let server: LabServer;
  const clients: TermClient[] = [];
  const open = async (session?: string) => {
    const c = await TermClient.open({ base: `http://127.0.0.1:${server.port}`, token: server.token, ...(session ? { session } : {}) });
    clients.push(c);
    return c;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-marks-'));
    server = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: dir, idleTimeoutMs: 60_000, siteDist: null });
  });
  after(async () => {
    for (const c of clients) c.ws.terminate();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows: { name: string; input: string; marks: RegExp }[] = [
    { name: 'a command that succeeds: C, then D;0, then the next prompt (A ... B)', input: 'true\r', marks: marks('<C><D;0>[^]*<A>[^]*coredns-lab[^]*<B>') },
    { name: 'a failing command carries its status', input: 'sh -c "exit 3"\r', marks: marks('<C><D;3>') },
    { name: 'output comes between C and D', input: 'echo mark-$((6*7))\r', marks: marks('<C>mark-42\\r\\n<D;0>') },
    { name: 'an empty line has a D but no C (the page ignores it)', input: '\r', marks: marks('^\\r\\n[^\\x1b]*(\\x1b\\[\\?2004l\\r)?<D;0>') },
  ];
  for (const row of rows) {
    test(row.name, async () => {
      const c = await open();
      await c.waitFor(PROMPT_END);
      const from = c.length;
      c.type(row.input);
      await c.waitFor(PROMPT_END, 10_000, from);
      const out = c.text.slice(c.text.length - (c.length - from));
      assert.match(out, row.marks, JSON.stringify(out));
    });
  }

  test('$? after the prompt is still the command\'s status', async () => {
    const c = await open();
    await c.waitFor(PROMPT_END);
    c.type('false\r');
    c.type('echo status=$?\r');
    await c.waitFor('status=1\r\n');
  });

  test('the screen a reconnect replays has the prompt and output, and no marks', async () => {
    const a = await open();
    await a.waitFor(PROMPT_END);
    a.type('echo replayed-$((2+3))\r');
    await a.waitFor(marks('replayed-5\\r\\n[^]*<B>'));
    await a.close();
    const b = await open(a.attached!.session);
    assert.equal(b.attached!.restored, true);
    assert.match(b.attached!.screen, /replayed-5/);
    assert.match(b.attached!.screen, /coredns-lab/);
    assert.ok(!b.attached!.screen.includes(OSC) && !b.attached!.screen.includes('133;'), JSON.stringify(b.attached!.screen));
    b.type('echo after-$((3+4))\r');
    await b.waitFor(marks('<C>after-7\\r\\n<D;0>'));
  });
});
