// `npm install` runs this (the package's prepare script): it builds once what the first
// `npm start` or `sandbox up` would otherwise build while the learner waits: the CLI bundle, the
// dns-server bundle the DNS pods load, and the API schemas kubectl validates against. A bundle
// that cannot be built fails the install with the reason (the lab could not start without it);
// the schema cache is optional, as the API server parses the schemas on first use.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cliBundle, dnsServerBundle } from '../../build/bundle.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const step = async (what, fn, optional = false) => {
  const t = performance.now();
  process.stdout.write(`coredns-lab: ${what} ... `);
  try {
    await fn();
    process.stdout.write(`done (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  } catch (err) {
    if (optional) {
      process.stdout.write(`skipped (${String(err?.message ?? err).split('\n')[0]}); it is built on first use instead\n`);
      return;
    }
    process.stdout.write('failed\n');
    process.stderr.write(`${err?.message ?? err}\n`);
    process.exitCode = 1;
  }
};

await step('bundling the CLI', async () => {
  if (!(await cliBundle())) throw new Error('COREDNS_LAB_FROM_SOURCE=1: the CLI runs from its sources');
}, process.env.COREDNS_LAB_FROM_SOURCE === '1');
await step('bundling the DNS server for the sandbox pods', () => dnsServerBundle());
await step('reading the Kubernetes API schemas', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', "const { warmSchemaCache } = await import('./sandbox/cluster/schemas/index.ts'); warmSchemaCache();"], { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr || `exit ${r.status}`);
}, true);
