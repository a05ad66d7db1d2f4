// A token holder sending `hello`s and leaving (sessions never attached again) used to keep a
// bash each for the whole idle timeout, until the lab refused every new terminal. Through the
// real server with real shells: detached sessions are capped per browser and the surplus is
// ended at once with its folders, a reload still restores its screen, and a full lab makes
// room from the longest-detached instead of refusing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabServer, type LabServer } from '../../../sandbox/server/lab-server.ts';
import { browserCookie } from '../../../sandbox/server/auth-token.ts';
import { TermClient } from '../../../sandbox/terminal/node-client.ts';
import { CLOSE } from '../../../sandbox/terminal/protocol.ts';

const PROMPT = /coredns-lab.*:.*lab.*[$#] /;
const CAP = 4;

describe('detached terminals are capped per browser', () => {
  let dir: string;
  let server: LabServer;
  const open = (browser: string, session: string | null = null) =>
    TermClient.open({ base: `http://127.0.0.1:${server.port}`, token: server.token, session, cookie: browserCookie(server.port, browser).split(';')[0] });
  /** a `hello` and straight away a close: a session that is never attached again */
  const helloAndLeave = async (browser: string) => {
    const c = await open(browser);
    assert.ok(c.attached, `hello was refused: ${JSON.stringify(c.closing)}`);
    await c.close();
    return c.attached.session;
  };
  const sessionDirs = () => readdirSync(join(dir, 'sessions'));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-cap-'));
    server = await startLabServer({ host: '127.0.0.1', port: 0, stateDir: dir, idleTimeoutMs: 30 * 60_000, siteDist: null, maxSessions: 12, maxDetachedPerBrowser: CAP });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('20 hellos without attach leave at most the cap, and the reaped sessions\' folders are gone', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await helloAndLeave('attackerAAAAAAAAAAAAAA'));
    const alive = ids.filter((id) => server.sessions.get(id));
    assert.deepEqual(alive, ids.slice(-CAP), 'the newest CAP stay, the older ones are ended');
    assert.equal(server.sessions.detached().length, CAP);
    for (const id of ids.slice(0, -CAP)) assert.equal(existsSync(join(dir, 'sessions', id)), false, `sessions/${id} removed`);
    assert.deepEqual(sessionDirs().sort(), server.sessions.list().map((s) => s.id).sort());
  });

  test('another browser\'s hellos do not reap this browser\'s tab; a reload restores its screen', async () => {
    const mine = await open('ownerBBBBBBBBBBBBBBBBBBB');
    await mine.waitFor(PROMPT);
    mine.type('echo kept-$((6*7))\r');
    await mine.waitFor('kept-42');
    const id = mine.attached!.session;
    await mine.close(); // the page reloads: detached for a moment
    for (let i = 0; i < 10; i++) await helloAndLeave('attackerAAAAAAAAAAAAAA');
    const again = await open('ownerBBBBBBBBBBBBBBBBBBB', id);
    assert.equal(again.attached!.session, id);
    assert.equal(again.attached!.restored, true);
    assert.match(again.attached!.screen, /kept-42/);
    await again.close();
  });

  test('over its cap, a browser loses its longest-detached tab, not the one it is reloading', async () => {
    const closedTabs: string[] = [];
    for (let i = 0; i < CAP; i++) closedTabs.push(await helloAndLeave('reloaderCCCCCCCCCCCCCCC'));
    const tab = await open('reloaderCCCCCCCCCCCCCCC');
    await tab.waitFor(PROMPT);
    const id = tab.attached!.session;
    await tab.close(); // the reload's first half: now CAP + 1 detached
    assert.equal(server.sessions.get(closedTabs[0]!), undefined, 'the longest-detached tab is ended');
    assert.deepEqual(closedTabs.slice(1).filter((t) => server.sessions.get(t)), closedTabs.slice(1));
    const back = await open('reloaderCCCCCCCCCCCCCCC', id);
    assert.equal(back.attached!.session, id);
    assert.equal(back.attached!.restored, true);
    await back.close();
  });

  test('a full lab ends the longest-detached session to start a new one; attached ones are never taken', async () => {
    // distinct browser ids per hello: the per-browser cap alone would let these fill the lab
    for (let i = 0; server.sessions.size < 12; i++) await helloAndLeave(`spray${String(i).padStart(17, 'D')}`);
    const oldest = server.sessions.detached()[0]!.id;
    const owner = await open('latecomerEEEEEEEEEEEEEE');
    assert.ok(owner.attached, `the owner was refused: ${JSON.stringify(owner.closing)}`);
    assert.equal(server.sessions.get(oldest), undefined);
    assert.equal(existsSync(join(dir, 'sessions', oldest)), false);
    // fill the lab with attached tabs: now a new one is refused, and no attached shell is ended
    const tabs: TermClient[] = [owner];
    while (server.sessions.detached().length) tabs.push(await open(`tab${String(tabs.length).padStart(19, 'F')}`));
    const refused = await open('oneTooManyGGGGGGGGGGGGG');
    assert.equal((await refused.closed).code, CLOSE.LAB_TERM_TOO_MANY_SESSIONS);
    assert.equal(tabs.filter((t) => server.sessions.get(t.attached!.session)).length, tabs.length);
    for (const t of tabs) await t.close();
  });
});
