#!/usr/bin/env node
// The system tools the tests drive for real, checked before any test runs (`npm test` and
// .ci/run both start with `node test/preflight.mjs`). On Debian or Ubuntu, as root or with
// passwordless sudo, the missing packages are installed (and named as they are); anywhere else
// the check stops at once with the exact command for that system, instead of letting a test
// fail minutes later on a missing binary. Plain JS with no imports outside Node: it runs before
// `npm ci` in CI.
//
//   node test/preflight.mjs            check, and install on Debian/Ubuntu when allowed
//   COREDNS_LAB_PREFLIGHT_INSTALL=0    never install, only say what is missing
//   COREDNS_LAB_PREFLIGHT_OS=<id>      take the system to be <id> (debian, ubuntu, fedora, darwin, ...)
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Each tool: how to find it, and the package that brings it on each system. `null` means the
 * system has no such package (said so in the message rather than guessed).
 */
const TOOLS = [
  { name: 'kubectl', bins: ['kubectl'], apt: null, dnf: 'kubernetes-client', brew: 'kubectl', why: 'the lab drives the real kubectl' },
  // where test/e2e/support/browser.ts looks, and only there
  { name: 'chromium', bins: [], paths: () => [process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'], apt: 'chromium', dnf: 'chromium', brew: '--cask chromium', why: 'the end-to-end tests, at $CHROMIUM_PATH or /usr/bin/chromium' },
  { name: 'dig', bins: ['dig'], apt: 'bind9-dnsutils', dnf: 'bind-utils', brew: 'bind', why: 'DNS answers checked with dig' },
  { name: 'nslookup', bins: ['nslookup'], apt: 'bind9-dnsutils', dnf: 'bind-utils', brew: 'bind', why: 'DNS answers checked with nslookup' },
  { name: 'dnsperf', bins: ['dnsperf'], apt: 'dnsperf', dnf: 'dnsperf', brew: 'dnsperf', why: 'the DNS load tests' },
  { name: 'busybox', bins: ['busybox'], apt: 'busybox', dnf: 'busybox', brew: null, why: "the busybox pod's nslookup" },
  { name: 'dnsmasq', bins: ['dnsmasq'], apt: 'dnsmasq-base', dnf: 'dnsmasq', brew: 'dnsmasq', why: "kube-dns's dnsmasq and the DNS benchmark's reference" },
  { name: 'ps', bins: ['ps'], apt: 'procps', dnf: 'procps-ng', brew: null, why: 'process checks in the sandbox tests' },
  { name: 'ip', bins: ['ip'], apt: 'iproute2', dnf: 'iproute', brew: null, why: 'network checks in the sandbox tests' },
  { name: 'python3-kubernetes', probe: pythonKubernetes, apt: 'python3-kubernetes', dnf: 'python3-kubernetes', brew: null, why: "/usr/bin/python3's kubernetes client, a second real client of the API" },
  { name: 'setcap', bins: ['setcap'], apt: 'libcap2-bin', dnf: 'libcap', brew: null, why: "the Dockerfile test runs its setcap step (port 53 for a non-root user)" },
  { name: 'bubblewrap', bins: ['bwrap'], apt: 'bubblewrap', dnf: 'bubblewrap', brew: null, why: 'the pods\' sandboxed processes (Linux only)' },
];

const KUBECTL_HELP = 'kubectl is not a Debian package: install it from https://kubernetes.io/docs/tasks/tools/ (for example `curl -LO "https://dl.k8s.io/release/v1.32.0/bin/linux/amd64/kubectl" && sudo install kubectl /usr/local/bin/`), or Google\'s apt repository (package kubectl)';

/** PATH plus the sbin folders (dnsmasq and ip live there, often outside a user's PATH) */
function searchDirs() {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const d of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!dirs.includes(d)) dirs.push(d);
  return dirs;
}

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pythonKubernetes() {
  // find_spec answers without importing the client (an import takes most of a second)
  const r = spawnSync('/usr/bin/python3', ['-c', "import importlib.util, sys; sys.exit(importlib.util.find_spec('kubernetes') is None)"], { stdio: 'ignore', timeout: 5000 });
  return r.status === 0;
}

function present(tool, dirs) {
  if (tool.probe) return tool.probe();
  for (const p of tool.paths?.() ?? []) if (p && executable(p)) return true;
  return tool.bins.some((b) => dirs.some((d) => executable(join(d, b))));
}

/** debian, ubuntu, fedora, rhel, darwin, ... (ID and ID_LIKE of /etc/os-release on Linux) */
function systemIds() {
  const forced = process.env.COREDNS_LAB_PREFLIGHT_OS;
  if (forced) return [forced];
  if (process.platform !== 'linux') return [process.platform];
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const field = (k) => (new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '').split(/\s+/).filter(Boolean);
    return [...field('ID'), ...field('ID_LIKE')];
  } catch {
    return ['linux'];
  }
}

function packageManager(ids) {
  if (ids.some((i) => i === 'debian' || i === 'ubuntu')) return 'apt';
  if (ids.some((i) => ['fedora', 'rhel', 'centos', 'rocky', 'almalinux'].includes(i))) return 'dnf';
  if (ids.includes('darwin')) return 'brew';
  return null;
}

const unique = (xs) => [...new Set(xs)];

/** the exact command that installs `missing` on a system using `pm`, and what it cannot install */
function installCommand(pm, missing, asRoot) {
  const pkgs = unique(missing.map((t) => t[pm]).filter(Boolean));
  const none = missing.filter((t) => !t[pm]);
  const sudo = asRoot ? '' : 'sudo ';
  let cmd = null;
  if (pkgs.length && pm === 'apt') cmd = `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
  if (pkgs.length && pm === 'dnf') cmd = `${sudo}dnf install -y ${pkgs.join(' ')}`;
  if (pkgs.length && pm === 'brew') {
    const casks = pkgs.filter((p) => p.startsWith('--cask ')).map((p) => p.slice(7));
    const formulae = pkgs.filter((p) => !p.startsWith('--cask '));
    cmd = [formulae.length ? `brew install ${formulae.join(' ')}` : '', casks.length ? `brew install --cask ${casks.join(' ')}` : ''].filter(Boolean).join(' && ');
  }
  return { cmd, pkgs, none };
}

function canInstall(pm) {
  if (pm !== 'apt' || process.env.COREDNS_LAB_PREFLIGHT_INSTALL === '0' || process.env.COREDNS_LAB_PREFLIGHT_OS) return null;
  if (process.getuid?.() === 0) return [];
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 2000 });
  return sudo.status === 0 ? ['sudo', '-n'] : null;
}

function run(prefix, args) {
  const [cmd, ...rest] = [...prefix, ...args];
  const r = spawnSync(cmd, rest, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error(`${[cmd, ...rest].join(' ')} exited with ${r.status ?? r.signal}`);
}

function describe(missing) {
  return missing.map((t) => `  ${t.name.padEnd(20)}${t.why}`).join('\n');
}

export function main() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    process.stderr.write(`preflight: Node ${process.versions.node} is too old: the lab supports Node 20.19 or newer, 22 and 24\n`);
    return 1;
  }
  const dirs = searchDirs();
  let missing = TOOLS.filter((t) => !present(t, dirs));
  if (!missing.length) {
    process.stdout.write(`preflight: ${TOOLS.map((t) => t.name).join(', ')}: all present\n`);
    return 0;
  }
  const ids = systemIds();
  const pm = packageManager(ids);
  const sudo = pm ? canInstall(pm) : null;
  let tried = false;
  if (pm && sudo) {
    const { pkgs } = installCommand(pm, missing, true);
    if (pkgs.length) {
      process.stdout.write(`preflight: missing:\n${describe(missing)}\npreflight: installing with apt-get: ${pkgs.join(' ')}\n`);
      tried = true;
      run(sudo, ['apt-get', 'update', '-qq']);
      run(sudo, ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...pkgs]);
      missing = TOOLS.filter((t) => !present(t, searchDirs()));
      if (!missing.length) {
        process.stdout.write('preflight: installed; all tools present\n');
        return 0;
      }
    }
  }
  const lines = [tried ? 'preflight: apt-get ran, but these are still not found (on PATH, /usr/sbin or /sbin):' : 'preflight: the tests need these tools, missing here:', describe(missing), ''];
  if (pm) {
    const { cmd, none } = installCommand(pm, missing, process.getuid?.() === 0);
    if (cmd) lines.push(`Install them with:`, `  ${cmd}`);
    if (pm === 'brew' && missing.some((t) => t.name === 'chromium')) lines.push('then: export CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium');
    for (const t of none) {
      if (t.name === 'kubectl') lines.push(KUBECTL_HELP);
      else lines.push(`${t.name}: no ${pm} package on this system${pm === 'brew' ? ' (the tests that need it run on Linux; use a Debian container or VM)' : ''}`);
    }
    if (pm === 'apt' && !sudo && missing.some((t) => t.apt)) lines.push('(run as root or with passwordless sudo and this preflight installs them itself)');
  } else {
    lines.push(`This system (${ids.join(', ') || 'unknown'}) has no install recipe here. On Debian or Ubuntu this preflight installs them itself; the Debian packages are:`,
      `  ${unique(missing.map((t) => t.apt).filter(Boolean)).join(' ')}`);
    if (missing.some((t) => t.name === 'kubectl')) lines.push(KUBECTL_HELP);
  }
  process.stderr.write(lines.join('\n') + '\n');
  return 1;
}

process.exitCode = main();
