import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, intOption, UsageError } from '../../../sandbox/cli/args.ts';

const specs = [
  { name: 'port', type: 'string' as const, description: 'port', default: '4321' },
  { name: 'json', type: 'boolean' as const, description: 'json' },
];

test('parseArgs reads values, booleans, defaults and positionals', () => {
  const a = parseArgs(['up', '--port=99', '--json', 'x'], specs, 'sandbox');
  assert.deepEqual(a, { options: { port: '99', json: true }, positionals: ['up', 'x'] });
  assert.equal(parseArgs([], specs, 'serve').options.port, '4321');
});

test('parseArgs names an unknown option and the help to read', () => {
  assert.throws(() => parseArgs(['--nope'], specs, 'serve'), (e: unknown) => e instanceof UsageError && /--nope.*coredns-lab serve --help/.test(e.message));
  assert.throws(() => parseArgs(['--port'], specs, 'serve'), /needs a value/);
});

test('intOption rejects out-of-range ports', () => {
  assert.equal(intOption('53', 'dns-port'), 53);
  assert.throws(() => intOption('70000', 'dns-port'), /--dns-port must be an integer from 0 to 65535/);
});
