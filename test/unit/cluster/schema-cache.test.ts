import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lookupSchema, schemaCacheDir } from '../../../sandbox/cluster/schemas/from-types.ts';

const POD = 'io.k8s.api.core.v1.Pod';

test('parsed API types are kept as JSON and a new process reads the same schemas back', () => {
  const parsed = lookupSchema(POD);
  assert.ok(parsed?.properties?.spec, 'the Pod schema has a spec');
  const dir = schemaCacheDir();
  assert.ok(dir, 'the checkout is writable here, so there is a cache');
  const cached = JSON.parse(readFileSync(join(dir, 'core_v1.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(cached[POD], parsed);
  // a fresh process answers from the cache without loading the TypeScript parser
  const script = `
    const { createRequire } = await import('node:module');
    const { lookupSchema } = await import(${JSON.stringify(new URL('../../../sandbox/cluster/schemas/from-types.ts', import.meta.url).href)});
    const s = lookupSchema(${JSON.stringify(POD)});
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/typescript/lib/typescript.js'));
    console.log(JSON.stringify({ s, loaded }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })) as { s: unknown; loaded: boolean };
  assert.deepEqual(out.s, parsed);
  assert.equal(out.loaded, false, 'typescript.js was not loaded');
});
