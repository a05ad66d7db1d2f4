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

test('parseArgs: every misuse is an error naming the option', () => {
  const rows: Array<{ name: string; argv: string[]; error: RegExp }> = [
    { name: 'a short option', argv: ['-x'], error: /^unknown option -x for "serve"; see "coredns-lab serve --help"$/ },
    { name: 'a group of short options', argv: ['-jp'], error: /^unknown option -j for "serve"/ },
    { name: 'a value for a flag', argv: ['--json=yes'], error: /^option --json takes no value$/ },
    { name: 'an option where the value should be', argv: ['--port', '--json'], error: /^option --port needs a value; see "coredns-lab serve --help"$/ },
  ];
  for (const r of rows) assert.throws(() => parseArgs(r.argv, specs, 'serve'), (e: unknown) => e instanceof UsageError && r.error.test(e.message), r.name);
});

test('parseArgs: after --, everything is a positional; a value may start with a dash when it is explicit', () => {
  assert.deepEqual(parseArgs(['--', '--json', '-x'], specs, 'check').positionals, ['--json', '-x']);
  assert.equal(parseArgs(['--port=--odd'], specs, 'serve').options.port, '--odd');
  assert.equal(parseArgs(['--port', '-1'], specs, 'serve').options.port, '-1');
  assert.deepEqual(parseArgs(['--port', '1', '--port', '2'], specs, 'serve').options, { port: '2' }, 'the last one wins');
});

test('intOption rejects out-of-range ports', () => {
  assert.equal(intOption('53', 'dns-port'), 53);
  assert.throws(() => intOption('70000', 'dns-port'), /--dns-port must be an integer from 0 to 65535/);
});
