import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE, closeReasonFromCode, parseClientMessage, ProtocolError, sessionIsGone, type ClientMessage } from '../../../sandbox/terminal/protocol.ts';

describe('parseClientMessage accepts', () => {
  const rows: Array<[string, ClientMessage]> = [
    ['{"t":"hello","session":null,"cols":80,"rows":24}', { t: 'hello', session: null, cols: 80, rows: 24 }],
    ['{"t":"hello","cols":80,"rows":24}', { t: 'hello', session: null, cols: 80, rows: 24 }],
    ['{"t":"hello","session":"abcDEF12_-","cols":2,"rows":1}', { t: 'hello', session: 'abcDEF12_-', cols: 2, rows: 1 }],
    ['{"t":"in","d":"ls\\r"}', { t: 'in', d: 'ls\r' }],
    ['{"t":"resize","cols":120,"rows":40}', { t: 'resize', cols: 120, rows: 40 }],
    ['{"t":"ack","n":4096}', { t: 'ack', n: 4096 }],
  ];
  for (const [text, want] of rows) test(text, () => assert.deepEqual(parseClientMessage(text), want));
});

describe('parseClientMessage refuses, naming the problem', () => {
  const rows: Array<[string, RegExp]> = [
    ['not json', /one JSON object/],
    ['[1,2]', /one JSON object/],
    ['{"t":"boom"}', /unknown message type "boom"/],
    ['{"t":"hello","session":"../../etc","cols":80,"rows":24}', /hello.session/],
    ['{"t":"hello","session":null,"cols":0,"rows":24}', /hello.cols must be an integer from 2 to 1000/],
    ['{"t":"resize","cols":80,"rows":24.5}', /resize.rows must be an integer/],
    ['{"t":"in","d":5}', /in.d must be a string/],
    [JSON.stringify({ t: 'in', d: 'x'.repeat(70_000) }), /longer than 65536/],
    ['{"t":"ack","n":-1}', /ack.n/],
  ];
  for (const [text, message] of rows)
    test(text.slice(0, 60), () =>
      assert.throws(() => parseClientMessage(text), (e: Error) => e instanceof ProtocolError && e.code === 'LAB_TERM_BAD_MESSAGE' && message.test(e.message)),
    );
});

describe('close codes', () => {
  test('are unique, in the application range, and map back to their reason', () => {
    const codes = Object.values(CLOSE);
    assert.equal(new Set(codes).size, codes.length);
    for (const [reason, code] of Object.entries(CLOSE)) {
      assert.ok(code >= 4000 && code <= 4999);
      assert.equal(closeReasonFromCode(code), reason);
    }
    assert.equal(closeReasonFromCode(1006), undefined);
  });
  test('only exit, reaping and spawn failure make the page start a new shell', () => {
    const gone = (Object.keys(CLOSE) as Array<keyof typeof CLOSE>).filter(sessionIsGone).sort();
    assert.deepEqual(gone, ['LAB_TERM_IDLE_REAPED', 'LAB_TERM_SHELL_EXITED', 'LAB_TERM_SPAWN_FAILED']);
  });
});
