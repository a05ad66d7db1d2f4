// `npm install` runs this (the package's prepare script): it builds once what the first
// `npm start` or `sandbox up` would otherwise build while the learner waits: the CLI bundle and
// the dns-server bundle the DNS pods load. A bundle that cannot be built fails the install with
// the reason (the lab could not start without it).
import { cliBundle, dnsServerBundle } from '../../build/bundle.mjs';

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
