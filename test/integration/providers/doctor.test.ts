// `coredns-lab doctor` on this machine (a docker CLI without a daemon, no kind, no minikube) and
// on faked machines: docker, kind and minikube executables on PATH that print what the real ones
// print (`docker --version`, `docker info --format {{.ServerVersion}}`, `kind version`,
// `minikube version --short`), with the Docker daemon up, down or hanging.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run, tempDir } from '../sandbox/sandbox-process.ts';
import type { DoctorReport } from '../../../sandbox/cli/commands/doctor.ts';

const CLI = join(ROOT, 'bin', 'coredns-lab.js');

type Daemon = 'up' | 'down' | 'hangs';

/** a bin dir with the tools asked for; each answers only the commands doctor runs, as the real one does */
function fakeBin(root: string, tools: { docker?: Daemon; kind?: boolean; minikube?: boolean }): string {
  const dir = join(root, `bin-${Object.entries(tools).map(([k, v]) => `${k}-${String(v)}`).join('-')}`);
  mkdirSync(dir, { recursive: true });
  const script = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  if (tools.docker) {
    const info = {
      up: 'echo 27.4.1',
      down: 'echo; echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1',
      hangs: 'exec sleep 60',
    }[tools.docker];
    script('docker', `case "$1" in\n  --version) echo "Docker version 27.4.1, build b9d17ea";;\n  info) ${info};;\n  *) echo "unexpected: $*" >&2; exit 2;;\nesac`);
  }
  if (tools.kind) script('kind', 'if [ "$1" = version ]; then echo "kind v0.27.0 go1.23.6 linux/amd64"; else echo "unexpected: $*" >&2; exit 2; fi');
  if (tools.minikube) script('minikube', 'if [ "$1 $2" = "version --short" ]; then echo "v1.35.0"; else echo "unexpected: $*" >&2; exit 2; fi');
  return dir;
}

async function doctor(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await run(process.execPath, [CLI, 'doctor', ...args], { env, timeoutMs: 60_000 });
  return r;
}

async function doctorJson(env: NodeJS.ProcessEnv = {}): Promise<{ code: number; report: DoctorReport }> {
  const r = await doctor(['--json'], env);
  return { code: r.code, report: JSON.parse(r.stdout) as DoctorReport };
}

const tool = (r: DoctorReport, name: string) => r.tools.find((t) => t.name === name)!;
const provider = (r: DoctorReport, name: string) => r.providers.find((p) => p.provider === name)!;

describe('doctor on this machine', () => {
  test('no Docker daemon: it says so; the embedded provider can run and serve picks it; exit 0', async () => {
    const text = await doctor([]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^ {2}docker +\S+ +\/\S+\/docker +daemon not answering: Cannot connect to the Docker daemon/m);
    assert.match(text.stdout, /^ {2}kind +not installed$/m);
    assert.match(text.stdout, /^ {2}kubectl +1\.32\.\d+\S* +\/usr\/bin\/kubectl$/m);
    assert.match(text.stdout, /^ {2}embedded +can run +starts in about 1 s$/m);
    assert.match(text.stdout, /^serve uses embedded \(its default; --provider picks another\): it can run here$/m);
    assert.match(text.stdout, /^ {2}docker daemon +sudo systemctl start docker/m);
    // the columns line up: every tool row puts its second column at the same place
    const rows = text.stdout.split('\n').slice(1, 5);
    assert.equal(new Set(rows.map((l) => /^ {2}\S+ +/.exec(l)![0].length)).size, 1, rows.join('\n'));

    const { code, report } = await doctorJson();
    assert.equal(code, 0);
    assert.equal(tool(report, 'docker').daemon?.up, false);
    assert.equal(tool(report, 'kind').path, undefined);
    assert.equal(tool(report, 'minikube').path, undefined);
    assert.deepEqual(report.serve, { provider: 'embedded', canRun: true });
    assert.equal(provider(report, 'embedded').canRun, true);
    assert.ok(report.fixes.some((f) => f.what === 'kind' && /kind\.sigs\.k8s\.io\/dl\/v0\.27\.0\/kind-linux-/.test(f.how)), JSON.stringify(report.fixes));
    // this machine runs workshops: bubblewrap with user namespaces, and cgroups for seat limits
    assert.equal(report.workshop.bubblewrap.installed, true);
    assert.deepEqual(report.workshop.userNamespaces, { ok: true });
    assert.deepEqual(report.workshop.cgroups.limits, { ok: true });
  });
});

describe('doctor on a faked machine', () => {
  const root = tempDir('doctor-fakes');
  after(() => rmSync(root, { recursive: true, force: true }));
  // /usr/local/bin (this machine's real docker) is left out; kubectl and bwrap are in /usr/bin
  const path = (bin: string) => ({ PATH: [bin, '/usr/bin', '/bin'].join(':') });

  test('docker (daemon up), kind and minikube installed: versions read, nothing to install', async () => {
    const { code, report } = await doctorJson(path(fakeBin(root, { docker: 'up', kind: true, minikube: true })));
    assert.equal(code, 0);
    assert.deepEqual(tool(report, 'docker'), { name: 'docker', path: join(root, 'bin-docker-up-kind-true-minikube-true', 'docker'), version: '27.4.1', daemon: { up: true, message: 'server 27.4.1' } });
    assert.equal(tool(report, 'kind').version, '0.27.0');
    assert.equal(tool(report, 'minikube').version, '1.35.0');
    assert.deepEqual(report.fixes.filter((f) => f.what !== 'bubblewrap'), []);
    const text = await doctor([], path(fakeBin(root, { docker: 'up', kind: true, minikube: true })));
    assert.match(text.stdout, /^ {2}docker +27\.4\.1 +\/\S+ +daemon up \(server 27\.4\.1\)$/m);
    assert.match(text.stdout, /^ {2}minikube +1\.35\.0 +\//m);
    for (const p of ['kind', 'minikube']) assert.match(text.stdout, new RegExp(`^ {2}${p} +can run +starts in about \\d+ s$`, 'm'));
    assert.doesNotMatch(text.stdout, /^to get the rest/m);
  });

  test('the daemon down: docker is installed, its daemon does not answer, and the fix is named', async () => {
    const { code, report } = await doctorJson(path(fakeBin(root, { docker: 'down', kind: true })));
    assert.equal(code, 0);
    assert.deepEqual(tool(report, 'docker').daemon, {
      up: false,
      message: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    });
    assert.deepEqual(report.fixes.map((f) => f.what).filter((w) => w !== 'bubblewrap'), ['docker daemon', 'minikube']);
    const text = await doctor([], path(fakeBin(root, { docker: 'down', kind: true })));
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^ {2}docker +27\.4\.1 +\/\S+ +daemon not answering: Cannot connect to the Docker daemon/m);
    assert.match(text.stdout, /^ {2}kind +cannot run +the Docker daemon does not answer/m);
    assert.match(text.stdout, /^ {2}docker daemon +sudo systemctl start docker/m);
  });

  test('a daemon that hangs: doctor gives up on docker info after its short timeout and says so', async () => {
    const { code, report } = await doctorJson(path(fakeBin(root, { docker: 'hangs' })));
    assert.equal(code, 0);
    assert.equal(tool(report, 'docker').daemon?.up, false);
    assert.match(tool(report, 'docker').daemon!.message!, /did not finish in 5 s/);
  });

  test('no docker at all: not installed, with the command that installs it', async () => {
    const { code, report } = await doctorJson(path(fakeBin(root, { kind: true })));
    assert.equal(code, 0);
    assert.equal(tool(report, 'docker').path, undefined);
    assert.match(report.fixes.find((f) => f.what === 'docker')!.how, /^sudo apt-get install docker\.io/);
    const text = await doctor([], path(fakeBin(root, { kind: true })));
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^ {2}docker +not installed$/m);
    assert.match(text.stdout, /^ {2}kind +cannot run +docker not installed$/m);
    assert.match(text.stdout, /^serve uses embedded \(its default; --provider picks another\): it can run here$/m);
    assert.match(text.stdout, /^ {2}docker +sudo apt-get install docker\.io/m);
  });

  test('the existing provider: the current context and what its guard says of it', async () => {
    const kubeconfig = join(root, 'kubeconfig');
    const config = (current: string) =>
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
          users: [{ name: 'u', user: {} }],
          contexts: ['kind-dev', 'gke_acme_prod', 'ops-sandbox'].map((name) => ({ name, context: { cluster: 'c', user: 'u' } })),
          'current-context': current,
        }),
      );
    const configHome = join(root, 'config');
    mkdirSync(join(configHome, 'coredns-lab'), { recursive: true });
    writeFileSync(join(configHome, 'coredns-lab', 'allowed-contexts'), '# mine, throwaway\nops-sandbox\n');
    const env = { ...path(fakeBin(root, { docker: 'up' })), KUBECONFIG: kubeconfig, XDG_CONFIG_HOME: configHome };
    const allowList = join(configHome, 'coredns-lab', 'allowed-contexts');
    const seen: Record<string, unknown> = {};
    for (const current of ['kind-dev', 'gke_acme_prod', 'ops-sandbox']) {
      config(current);
      seen[current] = (await doctorJson(env)).report.existing;
    }
    assert.deepEqual(seen, {
      'kind-dev': { current: 'kind-dev', allowList, verdict: 'a throwaway cluster by its name' },
      gke_acme_prod: { current: 'gke_acme_prod', allowList, verdict: `refused: not a throwaway name, not on ${allowList}` },
      'ops-sandbox': { current: 'ops-sandbox', allowList, verdict: 'on your allow-list' },
    });
    const text = await doctor([], env);
    assert.match(text.stdout, /^ {2}existing +can run +starts in about 30 s.* +current context ops-sandbox: on your allow-list$/m);
  });

  test('--json only; anything else is a usage error', async () => {
    const r = await doctor(['--verbose']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /unknown option --verbose for "doctor"/);
  });
});
