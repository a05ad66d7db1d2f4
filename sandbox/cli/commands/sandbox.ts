// `coredns-lab sandbox up|status|reset|down`: start the sandbox cluster in the foreground,
// report on it, return it to the Status Quo, or stop it.
import { resolve } from 'node:path';
import { intOption, parseArgs, UsageError, type OptionSpec } from '../args.ts';
import type { Command } from '../command.ts';
import type { SandboxHandle } from '../../providers/types.ts';
import type { DownResult, OwnerStatus, ResetResult } from '../../owner/control-protocol.ts';
import type { ClusterProfile, UpOptions } from '../../providers/types.ts';
import type { LockInfo } from '../../owner/lock.ts';

import { CONSENT_FLAG } from '../../providers/existing/guard.ts';

/** the flag `existing` needs, defined beside its guard */
export const EXISTING_CONSENT = CONSENT_FLAG;

const OPTIONS: OptionSpec[] = [
  { name: 'provider', type: 'string', description: 'embedded, kind, minikube or existing (default: the one that made the state dir\'s cluster, else embedded)' },
  { name: 'state-dir', type: 'string', description: 'where the sandbox keeps its state', default: '.coredns-lab' },
  { name: 'dns-port', type: 'string', description: 'publish the kube-dns Service on 127.0.0.1:<port> for host tools such as dig (up, embedded)' },
  { name: 'profile', type: 'string', description: 'the fresh cluster the embedded provider plays: kops (the chapter\'s), kind or minikube (up, reset)' },
  { name: 'context', type: 'string', description: 'the kubeconfig context the existing provider uses (up; default: the current one)' },
  { name: EXISTING_CONSENT, type: 'boolean', description: 'the existing provider replaces kube-system\'s DNS objects: say you know (up)' },
  { name: 'restore', type: 'boolean', description: 'put back the DNS objects the lab replaced, from its backup, instead of deleting the cluster (down)' },
  { name: 'json', type: 'boolean', description: 'status as JSON (status)' },
  { name: 'in-place', type: 'boolean', description: 'reset the running sandbox without stopping it (reset)' },
  { name: 'force', type: 'boolean', description: 'stop the state dir\'s owner even when it is the lab server, `serve` (down)' },
];

const SUBCOMMANDS = ['up', 'status', 'reset', 'down'];

/** an error a provider raises for the learner: it carries a code and a message that names the fix */
function isLabError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && (err as unknown as { code: string }).code.startsWith('LAB_ERR_');
}

async function up(stateDir: string, provider: string, upOptions: Omit<UpOptions, 'stateDir' | 'onProgress'>): Promise<number> {
  const { getProvider } = await import('../../providers/index.ts');
  const { ownStateDir } = await import('../../owner/owner.ts');
  const { ResetEpoch } = await import('../../owner/reset-epoch.ts');
  const { ControlError } = await import('../../owner/errors.ts');
  const { ControlErrorCode } = await import('../../owner/control-protocol.ts');
  const p = getProvider(provider);
  let handle: SandboxHandle | undefined;
  let stopping = false;
  let requestStop: (why: string) => void = () => {};
  const resets = new ResetEpoch();
  const owner = await ownStateDir(stateDir, 'sandbox up', {
    async status(): Promise<OwnerStatus> {
      const s = handle ? await handle.status() : undefined;
      return {
        provider,
        state: stopping ? 'stopping' : s ? (s.state === 'running' ? 'running' : 'error') : 'starting',
        owner: 'sandbox up',
        pid: process.pid,
        since: owner.lock.holder.startedAt,
        kubeconfig: s?.kubeconfig ?? resolve(stateDir, 'kubeconfig'),
        ...(s?.context ? { context: s.context } : {}),
        ...(s?.apiServer ? { apiServer: s.apiServer } : {}),
        ...(s?.dnsPort !== undefined ? { dnsPort: s.dnsPort } : {}),
        resetEpoch: resets.snapshot().epoch,
      };
    },
    async reset() {
      if (stopping) throw new ControlError(ControlErrorCode.NOT_READY, 'the sandbox is stopping');
      process.stderr.write('sandbox: resetting to the Status Quo\n');
      const r = await resets.run();
      process.stderr.write('sandbox: reset done\n');
      return r;
    },
    async down() {
      if (!handle) throw new ControlError(ControlErrorCode.NOT_READY, 'the sandbox is still starting; run "sandbox down" again once it has printed "sandbox ready"');
      return { result: { pid: process.pid, owner: 'sandbox up' }, after: () => requestStop('sandbox down') };
    },
  });
  try {
    handle = await p.up({ stateDir, ...upOptions, onProgress: (line) => process.stderr.write(`sandbox: ${line}\n`) });
  } catch (err) {
    await owner.release();
    throw err;
  }
  const running = handle;
  resets.setTarget(() => running.reset());
  const status = await running.status();
  owner.lock.update({ state: 'running', apiServer: status.apiServer, kubeconfig: running.kubeconfig, dnsPort: status.dnsPort });
  process.stdout.write(`sandbox ready: KUBECONFIG=${running.kubeconfig}\n`);
  process.stderr.write(
    `sandbox: API server ${status.apiServer ?? '?'} (${provider}, context ${running.context})` +
      (status.dnsPort !== undefined ? `, kube-dns published on 127.0.0.1:${status.dnsPort}` : '') +
      `; Ctrl-C stops it and keeps its state in ${stateDir}\n`,
  );
  return new Promise<number>((done) => {
    requestStop = (why: string) => {
      if (stopping) {
        // a second Ctrl-C means "now": state already on disk is safe, the rest is lost
        process.stderr.write('sandbox: stopping at once\n');
        process.exit(130);
      }
      stopping = true;
      owner.lock.update({ state: 'stopping' });
      process.stderr.write(`sandbox: ${why}, stopping (state kept in ${stateDir})\n`);
      running
        .stop()
        .finally(() => owner.release())
        .then(
          () => done(0),
          (err: unknown) => {
            process.stderr.write(`sandbox: stop failed: ${(err as Error).message}\n`);
            done(1);
          },
        );
    };
    process.on('SIGINT', requestStop);
    process.on('SIGTERM', requestStop);
    process.on('SIGHUP', requestStop);
  });
}

/** what `status` prints when the owner cannot be asked (nobody there, or its socket is silent) */
async function statusWithoutOwner(stateDir: string, err: Error & { code?: string }): Promise<StatusReport> {
  const kubeconfig = resolve(stateDir, 'kubeconfig');
  const { readProviderRecord } = await import('../../providers/record.ts');
  const record = readProviderRecord(stateDir);
  const provider = record?.provider ?? 'embedded';
  if (err.code === 'LAB_ERR_SANDBOX_NOT_RUNNING') {
    // a kind, minikube or existing cluster runs on without the lab: ask it
    if (provider !== 'embedded') {
      const { getProvider } = await import('../../providers/index.ts');
      const s = await getProvider(provider).status({ stateDir });
      return { ...s, message: s.message ?? `no lab process owns ${stateDir}; the ${provider} cluster is ${s.state}` };
    }
    return { provider, state: 'stopped', kubeconfig, message: `no sandbox is running on ${stateDir}` };
  }
  const { readLock } = await import('../../owner/lock.ts');
  const holder = readLock(stateDir);
  return {
    provider,
    state: holder?.state === 'starting' ? 'starting' : 'error',
    kubeconfig: holder?.kubeconfig ?? kubeconfig,
    ...(holder ? { owner: holder.owner ?? 'sandbox up', pid: holder.pid, since: holder.startedAt } : {}),
    ...(holder?.apiServer ? { apiServer: holder.apiServer } : {}),
    ...(holder?.dnsPort !== undefined ? { dnsPort: holder.dnsPort } : {}),
    message: err.message,
  };
}

type StatusReport = Omit<OwnerStatus, 'state' | 'owner' | 'pid' | 'since' | 'resetEpoch'> & {
  state: OwnerStatus['state'] | 'stopped';
  owner?: OwnerStatus['owner'];
  pid?: number;
  since?: string;
  resetEpoch?: number;
};

async function status(stateDir: string, json: boolean): Promise<number> {
  const { askOwner } = await import('../../owner/control-client.ts');
  let s: StatusReport;
  try {
    s = (await askOwner<OwnerStatus>(stateDir, { op: 'status' }, 5_000)).result;
  } catch (err) {
    if (!isLabError(err)) throw err;
    s = await statusWithoutOwner(stateDir, err);
  }
  if (json) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
  else {
    const lines = [`state:      ${s.state}`, `provider:   ${s.provider}`];
    if (s.context) lines.push(`context:    ${s.context}`);
    if (s.owner) lines.push(`owner:      ${s.owner} (pid ${s.pid}, since ${s.since})`);
    if (s.url) lines.push(`page:       ${s.url}`);
    lines.push(`kubeconfig: ${s.kubeconfig}`);
    if (s.apiServer) lines.push(`api server: ${s.apiServer}`);
    if (s.dnsPort !== undefined) lines.push(`dns port:   127.0.0.1:${s.dnsPort}`);
    if (s.message) lines.push(`            ${s.message}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return s.state === 'running' ? 0 : s.state === 'stopped' ? 3 : 1;
}

async function reset(stateDir: string, provider: string, inPlace: boolean, profile: ClusterProfile | undefined): Promise<number> {
  const start = provider === 'embedded' ? "the chapter's Status Quo" : "the chapter's starting state";
  if (inPlace) {
    const { askOwner } = await import('../../owner/control-client.ts');
    // a reset deletes every object and waits for the seed to be written: allow it a while
    const { holder, result } = await askOwner<ResetResult>(stateDir, { op: 'reset' }, 120_000);
    process.stdout.write(
      `sandbox reset: the sandbox running on ${stateDir} (pid ${holder.pid}, ${holder.owner ?? 'sandbox up'}) is back at ${start} (reset ${result.resetEpoch})\n`,
    );
    return 0;
  }
  const { getProvider } = await import('../../providers/index.ts');
  await getProvider(provider).reset({ stateDir, profile, onProgress: (line) => process.stderr.write(`sandbox: ${line}\n`) });
  process.stdout.write(provider === 'embedded' ? `sandbox reset: ${stateDir} holds ${start} again\n` : `sandbox reset: the ${provider} cluster is back at ${start}\n`);
  return 0;
}

async function down(stateDir: string, provider: string, force: boolean, restore: boolean): Promise<number> {
  const { askOwner, waitForRelease } = await import('../../owner/control-client.ts');
  let holder: LockInfo | undefined;
  try {
    holder = (await askOwner<DownResult>(stateDir, { op: 'down', force })).holder;
  } catch (err) {
    // a kind, minikube or existing cluster outlives the lab process that started it
    if (provider === 'embedded' || (err as { code?: string }).code !== 'LAB_ERR_SANDBOX_NOT_RUNNING') throw err;
  }
  if (holder) {
    const what = holder.owner === 'serve' ? 'the lab server' : 'sandbox';
    if (!(await waitForRelease(stateDir, holder, 30_000))) {
      process.stderr.write(`coredns-lab sandbox down: ${what} (pid ${holder.pid}) said it would stop but still holds ${stateDir} after 30 s; see its terminal\n`);
      return 1;
    }
    process.stdout.write(`${what === 'sandbox' ? 'sandbox' : 'lab server'} stopped (pid ${holder.pid})${provider === 'embedded' ? `; its state is kept in ${stateDir}` : ''}\n`);
  }
  const { getProvider } = await import('../../providers/index.ts');
  const said = await getProvider(provider).down({ stateDir, restore, onProgress: (line) => process.stderr.write(`sandbox: ${line}\n`) });
  if (provider !== 'embedded' || restore) process.stdout.write(`sandbox down: ${said}\n`);
  return 0;
}

export const sandbox: Command = {
  name: 'sandbox',
  summary: 'start, inspect, reset or stop the sandbox cluster',
  usage: 'coredns-lab sandbox up|status|reset|down [options]',
  description: [
    'start, inspect, reset or stop the sandbox cluster',
    '',
    '  up      start it in the foreground; prints "sandbox ready: KUBECONFIG=<path>"; Ctrl-C stops it, keeping its state',
    '  status  is it running? (exit 0 running, 3 stopped, 1 starting or not answering)',
    '  reset   back to the chapter\'s starting state (stopped sandbox; --in-place resets a running one)',
    '  down    stop the sandbox running on --state-dir (the lab server, serve, only with --force); kind and minikube',
    '          delete their cluster; --restore puts back the DNS objects the lab replaced instead',
    '',
    'status, reset --in-place and down ask the state dir\'s owner over its control socket.',
  ].join('\n'),
  options: OPTIONS,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS, 'sandbox');
    const [sub, ...extra] = positionals;
    if (!sub) throw new UsageError(`say what to do: one of ${SUBCOMMANDS.join(', ')}; see "coredns-lab sandbox --help"`);
    if (!SUBCOMMANDS.includes(sub)) throw new UsageError(`unknown subcommand "${sub}"; use one of ${SUBCOMMANDS.join(', ')}`);
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" after "sandbox ${sub}"`);
    const stateDir = resolve(String(options['state-dir']));
    const dnsPort = intOption(options['dns-port'], 'dns-port', 0, 65535);
    if (dnsPort !== undefined && sub !== 'up') throw new UsageError('--dns-port only applies to "sandbox up"');
    const { isProviderName, PROVIDER_NAMES } = await import('../../providers/index.ts');
    const { readProviderRecord } = await import('../../providers/record.ts');
    const given = options.provider === undefined ? undefined : String(options.provider);
    if (given !== undefined && !isProviderName(given)) throw new UsageError(`unknown provider "${given}"; choose one of ${PROVIDER_NAMES.join(', ')}`);
    // after `up`, the state dir remembers which provider made its cluster
    const provider = given ?? (sub === 'up' ? 'embedded' : readProviderRecord(stateDir)?.provider ?? 'embedded');
    const profile = options.profile === undefined ? undefined : String(options.profile);
    const { isClusterProfile } = await import('../../cluster/status-quo/profiles.ts');
    if (profile !== undefined) {
      if (!isClusterProfile(profile)) throw new UsageError(`--profile must be kops, kind or minikube, got "${profile}"`);
      if (sub !== 'up' && sub !== 'reset') throw new UsageError('--profile only applies to "sandbox up" and "sandbox reset"');
      if (provider !== 'embedded') throw new UsageError(`--profile is for the embedded provider (it plays a fresh kops, kind or minikube cluster); --provider ${provider} makes a real one`);
    }
    if (options.context !== undefined && (sub !== 'up' || provider !== 'existing')) throw new UsageError('--context only applies to "sandbox up --provider existing"');
    if (options[EXISTING_CONSENT] && (sub !== 'up' || provider !== 'existing')) throw new UsageError(`--${EXISTING_CONSENT} only applies to "sandbox up --provider existing"`);
    if (options.restore && sub !== 'down') throw new UsageError('--restore only applies to "sandbox down"');
    if (options.json && sub !== 'status') throw new UsageError('--json only applies to "sandbox status"');
    if (options['in-place'] && sub !== 'reset') throw new UsageError('--in-place only applies to "sandbox reset"');
    if (options.force && sub !== 'down') throw new UsageError('--force only applies to "sandbox down"');
    if (sub === 'up' || sub === 'reset') (await import('../../private-state.ts')).usePrivateUmask();
    try {
      switch (sub) {
        case 'up':
          return await up(stateDir, provider, {
            dnsPort,
            profile: profile as ClusterProfile | undefined,
            ...(options.context !== undefined ? { context: String(options.context) } : {}),
            changesKubeSystem: Boolean(options[EXISTING_CONSENT]),
          });
        case 'status':
          return await status(stateDir, Boolean(options.json));
        case 'reset':
          return await reset(stateDir, provider, Boolean(options['in-place']), profile as ClusterProfile | undefined);
        default:
          return await down(stateDir, provider, Boolean(options.force), Boolean(options.restore));
      }
    } catch (err) {
      if (!isLabError(err)) throw err;
      process.stderr.write(`coredns-lab sandbox ${sub}: ${err.message}\n`);
      return 1;
    }
  },
};
