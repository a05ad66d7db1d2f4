// `coredns-lab serve`: builds the site if needed, starts the cluster provider and the lab
// server, prints the URL line once everything is ready, and stops it all on SIGINT/SIGTERM.
import { resolve } from 'node:path';
import { intOption, parseArgs, UsageError, type OptionSpec } from '../args.ts';
import type { Command } from '../command.ts';
import type { ProviderName, SandboxHandle } from '../../providers/types.ts';
import type { LabServer } from '../../server/lab-server.ts';
import type { StateDirOwner } from '../../owner/owner.ts';
import type { OwnerStatus } from '../../owner/control-protocol.ts';
import type { ControlHandlers } from '../../owner/control-server.ts';
import type { ServeUpOptions } from '../../server/cluster-start.ts';
import { EXISTING_CONSENT } from './sandbox.ts';

const options: OptionSpec[] = [
  { name: 'host', type: 'string', description: 'address to listen on; anything but loopback needs --allow-remote', default: '127.0.0.1' },
  { name: 'port', type: 'string', description: 'port to listen on (0 picks a free one)', default: '4321' },
  { name: 'provider', type: 'string', description: 'cluster provider: embedded, kind, minikube or existing', default: 'embedded' },
  { name: 'context', type: 'string', description: 'with --provider existing: the kubeconfig context to use (default: the current one)' },
  { name: EXISTING_CONSENT, type: 'boolean', description: 'with --provider existing: you know the lab replaces kube-system\'s DNS objects on that cluster' },
  { name: 'state-dir', type: 'string', description: 'where the lab keeps its kubeconfig, workspace and sessions', default: '.coredns-lab' },
  { name: 'token-file', type: 'string', description: 'read the access token from this file (or set COREDNS_LAB_TOKEN); default: a new random one per start' },
  { name: 'token', type: 'string', description: 'the access token itself; it shows in the process list (ps), so prefer --token-file' },
  { name: 'idle-timeout', type: 'string', description: 'close a terminal after this long without input (e.g. 90s, 30m, 2h)', default: '30m' },
  { name: 'allow-remote', type: 'boolean', description: 'allow --host to be a non-loopback address (anyone who can reach it and has the token gets a shell)' },
  { name: 'shell-sandbox', type: 'string', description: 'run the terminals\' shells in a bubblewrap sandbox (bwrap) or not (none); workshops use bwrap', default: 'none' },
  { name: 'shell-hide', type: 'string', description: 'with --shell-sandbox bwrap: a dir the shells must not see (a workshop\'s root)' },
  { name: 'shell-cgroup', type: 'string', description: 'cgroup.procs files (comma-separated) each shell enters before it starts (a workshop seat\'s shells group)' },
  {
    name: 'shell-cpu-groups',
    type: 'string',
    description: 'two cgroup.procs files, INTERACTIVE,COMMANDS: a shell waits for keys in the first CPU group and runs each command line in the second (a workshop seat\'s)',
  },
];

export const serve: Command = {
  name: 'serve',
  summary: 'serve the lab in your browser: lessons beside a live terminal',
  usage: 'coredns-lab serve [options]',
  description:
    'Serve the lab on http://127.0.0.1:4321/. The page shows the chapter beside a real shell whose\n' +
    'kubectl talks to the lab cluster. Prints "coredns-lab: open <url>" when ready; Ctrl+C stops it.',
  options,
  async run(argv) {
    const { options: o, positionals } = parseArgs(argv, options, 'serve');
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"; see "coredns-lab serve --help"`);
    const { isLoopbackHost } = await import('../../server/gate.ts');
    const { parseDuration } = await import('../../server/duration.ts');
    const { PROVIDER_NAMES } = await import('../../server/cluster-start.ts');
    const host = String(o.host);
    const port = intOption(o.port, 'port', 0, 65535)!;
    const provider = String(o.provider) as ProviderName;
    if (!PROVIDER_NAMES.includes(provider))
      throw new UsageError(`--provider must be one of ${PROVIDER_NAMES.join(', ')}, got "${provider}"`);
    if ((o.context !== undefined || o[EXISTING_CONSENT]) && provider !== 'existing')
      throw new UsageError(`--context and --${EXISTING_CONSENT} go with --provider existing`);
    const existing: ServeUpOptions = {
      ...(o.context !== undefined ? { context: String(o.context) } : {}),
      changesKubeSystem: Boolean(o[EXISTING_CONSENT]),
    };
    const idleTimeoutMs = parseDuration(String(o['idle-timeout']));
    if (idleTimeoutMs === null) throw new UsageError(`--idle-timeout must be a duration such as 90s, 30m or 2h, got "${String(o['idle-timeout'])}"`);
    const { token, from } = await chosenToken(o);
    if (token !== undefined && !/^[A-Za-z0-9_-]{16,128}$/.test(token))
      throw new UsageError(`${from} must be 16 to 128 characters of A-Z, a-z, 0-9, "_" or "-"; leave it out to get a random one`);
    if (from === '--token')
      process.stderr.write('coredns-lab: warning: --token shows in the process list of every user (ps, /proc/<pid>/cmdline); use --token-file or COREDNS_LAB_TOKEN\n');
    if (!isLoopbackHost(host) && !o['allow-remote']) {
      const { RemoteHostRefusedError } = await import('../../server/errors.ts');
      throw new UsageError(new RemoteHostRefusedError(host).message);
    }
    const stateDir = resolve(String(o['state-dir']));
    const cpuGroups = shellCpuGroups(o['shell-cpu-groups']);
    let shell = await shellFor(String(o['shell-sandbox']), stateDir, o['shell-hide'] === undefined ? [] : [resolve(String(o['shell-hide']))], cpuGroups ?? []);
    if (o['shell-cgroup'] !== undefined) shell = await inShellGroup(String(o['shell-cgroup']).split(',').filter(Boolean), shell, stateDir);
    return runServe({ host, port, provider, stateDir, token, idleTimeoutMs, shell, existing });
  },
};

export const TOKEN_ENV = 'COREDNS_LAB_TOKEN';

/**
 * The token from --token-file, COREDNS_LAB_TOKEN or --token (in that order of preference; two
 * of them at once is an error). The variable is removed from this process's environment, so
 * nothing the lab starts (shells, kubectl) inherits it.
 */
async function chosenToken(o: Record<string, string | boolean | undefined>): Promise<{ token?: string; from?: string }> {
  const env = process.env[TOKEN_ENV];
  delete process.env[TOKEN_ENV];
  const given = [o['token-file'] !== undefined && '--token-file', env !== undefined && TOKEN_ENV, o.token !== undefined && '--token'].filter(Boolean);
  if (given.length > 1) throw new UsageError(`give the token one way, not ${given.join(' and ')}`);
  if (o.token !== undefined) return { token: String(o.token), from: '--token' };
  if (env !== undefined) return { token: env.trim(), from: TOKEN_ENV };
  if (o['token-file'] === undefined) return {};
  const file = String(o['token-file']);
  const { readFileSync } = await import('node:fs');
  try {
    return { token: readFileSync(file, 'utf8').trim(), from: `the token in ${file}` };
  } catch (err) {
    throw new UsageError(`--token-file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

/**
 * --shell-cpu-groups: the shells' rcfile moves each shell between the two groups (workspace.ts),
 * told where they are by the environment every shell inherits from this process
 */
function shellCpuGroups(value: string | boolean | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const files = String(value).split(',');
  if (files.length !== 2 || files.some((f) => !f.endsWith('/cgroup.procs')))
    throw new UsageError(`--shell-cpu-groups takes two cgroup.procs files, INTERACTIVE,COMMANDS; got "${String(value)}"`);
  process.env.LAB_CPU_INTERACTIVE = files[0];
  process.env.LAB_CPU_COMMANDS = files[1];
  return files;
}

async function shellFor(mode: string, stateDir: string, hide: string[], writable: string[]): Promise<ServeConfig['shell']> {
  if (mode === 'none') {
    if (hide.length) throw new UsageError('--shell-hide needs --shell-sandbox bwrap');
    return undefined;
  }
  if (mode !== 'bwrap') throw new UsageError(`--shell-sandbox must be bwrap or none, got "${mode}"`);
  const { probeShellSandbox, sandboxedShell } = await import('../../terminal/shell-sandbox.ts');
  const probe = probeShellSandbox();
  if (!probe.ok) throw new UsageError(`--shell-sandbox bwrap: ${probe.why}`);
  return sandboxedShell({ stateDir, hide, writable, hostname: 'coredns-lab' });
}

/**
 * The shell enters its cgroups before it runs (a workshop seat's `shells` group, whose lower
 * limits keep headroom for this server): a fork loop in a shell then never starves the server.
 */
async function inShellGroup(procsFiles: string[], shell: ServeConfig['shell'], stateDir: string): Promise<ServeConfig['shell']> {
  const { inGroup } = await import('../../workshop/limits.ts');
  const { labBash } = await import('../../terminal/workspace.ts');
  const cmd = shell ?? labBash(stateDir);
  return inGroup(procsFiles, cmd.file, cmd.args);
}

interface ServeConfig {
  host: string;
  port: number;
  provider: ProviderName;
  /** --context and the consent flag, for --provider existing */
  existing: ServeUpOptions;
  stateDir: string;
  token?: string;
  idleTimeoutMs: number;
  /** the terminals' shell, when not the plain lab bash (a sandboxed one) */
  shell?: { file: string; args: string[] };
}

async function runServe(cfg: ServeConfig): Promise<number> {
  const { startLabServer } = await import('../../server/lab-server.ts');
  const { ensureSiteBuilt, siteLayout } = await import('../../server/site-build.ts');
  const { startCluster } = await import('../../server/cluster-start.ts');
  const { REPO_ROOT } = await import('../../terminal/workspace.ts');
  const { ownStateDir } = await import('../../owner/owner.ts');
  const { ControlError, describeOwner } = await import('../../owner/errors.ts');
  const { ControlErrorCode } = await import('../../owner/control-protocol.ts');
  const say = (line: string) => process.stderr.write(`coredns-lab: ${line}\n`);
  (await import('../../private-state.ts')).usePrivateUmask();

  let server: LabServer | undefined;
  let handle: SandboxHandle | null = null;
  let clusterSettled = false;
  let clusterWarning: string | null = null;
  let stopping = false;
  let shutdown: (why: string) => void = () => {};
  let owner: StateDirOwner;
  let handlers: ControlHandlers;
  try {
    // the state dir first: a second serve on it is refused before it listens on anything
    owner = await ownStateDir(cfg.stateDir, 'serve', (handlers = {
      async status(): Promise<OwnerStatus> {
        const s = handle ? await handle.status().catch(() => undefined) : undefined;
        const state = stopping ? 'stopping' : !clusterSettled ? 'starting' : s?.state === 'running' ? 'running' : 'error';
        return {
          provider: cfg.provider,
          state,
          owner: 'serve',
          pid: process.pid,
          since: owner.lock.holder.startedAt,
          kubeconfig: s?.kubeconfig ?? server?.workspace.kubeconfig ?? resolve(cfg.stateDir, 'kubeconfig'),
          ...(s?.context ? { context: s.context } : {}),
          ...(s?.apiServer ? { apiServer: s.apiServer } : {}),
          ...(s?.dnsPort !== undefined ? { dnsPort: s.dnsPort } : {}),
          ...(server ? { url: pageUrl(server) } : {}),
          resetEpoch: server?.resetState().epoch ?? 0,
          ...(clusterWarning ? { message: clusterWarning } : {}),
          ...(server ? terminalActivity(server) : {}),
        };
      },
      async reset() {
        if (!server || !clusterSettled || stopping) throw new ControlError(ControlErrorCode.NOT_READY, stopping ? 'the lab is stopping' : 'the lab is still starting; try again once it has printed its URL');
        say('resetting the cluster to the Status Quo (terminals keep running)');
        const r = await server.resetCluster();
        say(`reset ${r.resetEpoch} done`);
        return r;
      },
      async notice(text, level) {
        return { pages: server ? server.sessions.notice(level, text) : 0 };
      },
      async down(force) {
        if (!clusterSettled) throw new ControlError(ControlErrorCode.NOT_READY, 'the lab is still starting; try again once it has printed its URL');
        if (!force)
          throw new ControlError(
            ControlErrorCode.OWNER_IS_SERVE,
            `the lab server owns ${cfg.stateDir} (${describeOwner(owner.lock.holder)}); stopping its cluster would stop the lab and its terminals. ` +
              `Stop the lab with Ctrl-C in its terminal, or run "coredns-lab sandbox down --force --state-dir ${cfg.stateDir}".`,
          );
        return { result: { pid: process.pid, owner: 'serve' }, after: () => shutdown('sandbox down --force') };
      },
    }));
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code?.startsWith('LAB_ERR_')) {
      process.stderr.write(`coredns-lab serve: ${e.message}\n`);
      return 1;
    }
    throw err;
  }

  try {
    // listen next: a port clash is reported at once, before any build
    server = await startLabServer({
      host: cfg.host,
      port: cfg.port,
      stateDir: cfg.stateDir,
      token: cfg.token,
      idleTimeoutMs: cfg.idleTimeoutMs,
      siteDist: null,
      shell: cfg.shell,
    });
  } catch (err) {
    await owner.release();
    const e = err as Error & { code?: string };
    if (e.code?.startsWith('LAB_ERR_')) {
      process.stderr.write(`coredns-lab serve: ${e.message}\n`);
      return 1;
    }
    throw err;
  }
  const lab = server;
  lab.setControl(handlers);
  owner.lock.update({ url: pageUrl(lab) });
  const layout = siteLayout(REPO_ROOT);
  const [built, cluster] = await Promise.allSettled([
    ensureSiteBuilt(layout, say),
    startCluster(cfg.provider, cfg.stateDir, lab.workspace.kubeconfig, (l) => say(`${cfg.provider}: ${l}`), cfg.existing),
  ]);
  handle = cluster.status === 'fulfilled' ? cluster.value.handle : null;
  clusterSettled = true;
  const stopAll = async () => {
    stopping = true;
    owner.lock.update({ state: 'stopping' });
    await lab.close();
    if (handle) await handle.stop().catch((err: Error) => say(`stopping the cluster failed: ${err.message}`));
    await owner.release();
  };
  if (built.status === 'rejected') {
    process.stderr.write(`coredns-lab serve: ${(built.reason as Error).message}\n`);
    await stopAll();
    return 1;
  }
  lab.setSiteDist(layout.dist);
  if (cluster.status === 'fulfilled') {
    lab.setCluster(cluster.value.info);
    clusterWarning = cluster.value.warning;
    if (clusterWarning) say(`warning: ${clusterWarning}`);
  }
  if (handle) {
    const running = handle;
    lab.setClusterReset(() => running.reset());
    const s = await handle.status();
    owner.lock.update({ state: 'running', apiServer: s.apiServer, kubeconfig: s.kubeconfig, dnsPort: s.dnsPort });
  } else owner.lock.update({ state: 'running' });

  const { isLoopbackHost } = await import('../../server/gate.ts');
  if (!isLoopbackHost(cfg.host))
    say(`warning: listening on ${cfg.host}:${lab.port}; anyone who can reach it and has the token gets a shell on this machine`);
  process.stdout.write(`coredns-lab: open ${lab.url}\n`);
  return new Promise<number>((resolveExit) => {
    shutdown = (why: string) => {
      if (stopping) return;
      say(`${why}: stopping (terminals end, cluster state is kept)`);
      void stopAll().then(() => resolveExit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}

function terminalActivity(server: LabServer): Pick<OwnerStatus, 'terminals' | 'lastInputAt'> {
  const last = server.sessions.lastInputAt();
  return { terminals: server.sessions.size, ...(last !== null ? { lastInputAt: new Date(last).toISOString() } : {}) };
}

/** the page's address without its token: what the lock and `sandbox status` show */
function pageUrl(server: LabServer): string {
  return server.url.split('?')[0]!;
}
