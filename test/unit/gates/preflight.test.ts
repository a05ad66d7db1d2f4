// test/preflight.mjs, which npm test and .ci/run start with: on this machine every tool is
// there; with an empty PATH on another system it stops with that system's exact install command.
// COREDNS_LAB_PREFLIGHT_OS names the system and also rules out installing, so nothing here
// touches the machine's packages.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../preflight.mjs', import.meta.url));
const empty = mkdtempSync(join(tmpdir(), 'preflight-path-'));
after(() => rmSync(empty, { recursive: true, force: true }));

function preflight(env: Record<string, string>) {
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('here every tool the tests need is present', () => {
  const r = preflight({});
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^preflight: kubectl, chromium, dig, nslookup, dnsperf, busybox, dnsmasq, ps, ip, python3-kubernetes, setcap, bubblewrap: all present$/m);
});

// the sbin folders and /usr/bin/python3 are looked at whatever PATH says, so dnsmasq, ip and
// python3-kubernetes are found here even with an empty PATH; the rest is missing
const rows: Array<{ system: string; command: RegExp; also?: RegExp }> = [
  { system: 'debian', command: /^ {2}(sudo )?apt-get update && (sudo )?apt-get install -y --no-install-recommends chromium bind9-dnsutils dnsperf busybox procps bubblewrap$/m, also: /kubectl is not a Debian package: install it from https:\/\/kubernetes\.io\/docs\/tasks\/tools\// },
  { system: 'fedora', command: /^ {2}(sudo )?dnf install -y kubernetes-client chromium bind-utils dnsperf busybox procps-ng bubblewrap$/m },
  { system: 'darwin', command: /^ {2}brew install kubectl bind dnsperf && brew install --cask chromium$/m, also: /busybox: no brew package on this system/ },
  { system: 'alpine', command: /^ {2}chromium bind9-dnsutils dnsperf busybox procps bubblewrap$/m, also: /This system \(alpine\) has no install recipe here/ },
];
for (const r of rows)
  test(`missing tools on ${r.system}: stop with the install command`, () => {
    const out = preflight({ PATH: empty, COREDNS_LAB_PREFLIGHT_OS: r.system, CHROMIUM_PATH: join(empty, 'chromium') });
    assert.equal(out.code, 1, out.out);
    assert.match(out.out, /the tests need these tools, missing here:\n {2}kubectl {13}the lab drives the real kubectl\n {2}chromium/);
    assert.match(out.out, r.command);
    if (r.also) assert.match(out.out, r.also);
  });
