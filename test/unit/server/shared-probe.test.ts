import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedFor, STATUS_FRESH_MS } from '../../../sandbox/server/cluster-start.ts';

test('one probe answers every caller until it is freshMs old, then the next caller probes again', async () => {
  let clock = 1_000;
  let probes = 0;
  let release: () => void = () => {};
  const info = sharedFor(
    () => {
      probes++;
      return new Promise<string>((r) => (release = () => r(`probe ${probes}`)));
    },
    STATUS_FRESH_MS,
    () => clock,
  );
  // callers that arrive while the probe runs wait for it instead of starting their own
  const a = info();
  const b = info();
  release();
  assert.deepEqual(await Promise.all([a, b]), ['probe 1', 'probe 1']);
  clock += STATUS_FRESH_MS - 1;
  assert.equal(await info(), 'probe 1');
  assert.equal(probes, 1);
  clock += 1;
  const c = info();
  release();
  assert.equal(await c, 'probe 2');
  assert.equal(probes, 2);
});
