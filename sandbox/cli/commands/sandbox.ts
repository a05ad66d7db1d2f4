// `coredns-lab sandbox up|status|reset|down`: start the sandbox cluster in the foreground,
// report on it, return it to the Status Quo, or stop it.
import { resolve } from 'node:path';
import { intOption, parseArgs, UsageError, type OptionSpec } from '../args.ts';
import type { Command } from '../command.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'provider', type: 'string', description: 'embedded, kind, minikube or existing', default: 'embedded' },
  { name: 'state-dir', type: 'string', description: 'where the sandbox keeps its state', default: '.coredns-lab' },
  { name: 'dns-port', type: 'string', description: 'publish the kube-dns Service on 127.0.0.1:<port> for host tools such as dig (up)' },
  { name: 'json', type: 'boolean', description: 'status as JSON (status)' },
  { name: 'in-place', type: 'boolean', description: 'reset the running sandbox without stopping it (reset)' },
];

const SUBCOMMANDS = ['up', 'status', 'reset', 'down'];

/** an error a provider raises for the learner: it carries a code and a message that names the fix */
function isLabError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && (err as unknown as { code: string }).code.startsWith('LAB_ERR_');
}

async function up(stateDir: string, provider: string, dnsPort: number | undefined): Promise<number> {
  const { getProvider } = await import('../../providers/index.ts');
  const p = getProvider(provider);
  const handle = await p.up({ stateDir, dnsPort, onProgress: (line) => process.stderr.write(`sandbox: ${line}\n`) });
  const status = await handle.status();
  process.stdout.write(`sandbox ready: KUBECONFIG=${handle.kubeconfig}\n`);
  process.stderr.write(
    `sandbox: API server ${status.apiServer ?? '?'}` +
      (status.dnsPort !== undefined ? `, kube-dns published on 127.0.0.1:${status.dnsPort}` : '') +
      `; Ctrl-C stops it and keeps its state in ${stateDir}\n`,
  );
  return new Promise<number>((done) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        // a second Ctrl-C means "now": state already on disk is safe, the rest is lost
        process.stderr.write('sandbox: stopping at once\n');
        process.exit(130);
      }
      stopping = true;
      process.stderr.write(`sandbox: ${signal}, stopping (state kept in ${stateDir})\n`);
      handle.stop().then(
        () => done(0),
        (err: unknown) => {
          process.stderr.write(`sandbox: stop failed: ${(err as Error).message}\n`);
          done(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
    // `sandbox reset --in-place` from another terminal
    const resettable = handle as typeof handle & { reset?: () => Promise<void> };
    if (resettable.reset) {
      process.on('SIGUSR2', () => {
        if (stopping) return;
        process.stderr.write('sandbox: resetting to the Status Quo\n');
        resettable.reset!().then(
          () => process.stderr.write('sandbox: reset done\n'),
          (err: unknown) => process.stderr.write(`sandbox: reset failed: ${(err as Error).message}\n`),
        );
      });
    }
  });
}

async function status(stateDir: string, json: boolean): Promise<number> {
  const { embeddedStatus } = await import('../../providers/embedded/index.ts');
  const s = await embeddedStatus(stateDir);
  if (json) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
  else {
    const lines = [`state:      ${s.state}`, `provider:   ${s.provider}`, `kubeconfig: ${s.kubeconfig}`];
    if (s.apiServer) lines.push(`api server: ${s.apiServer}`);
    if (s.dnsPort !== undefined) lines.push(`dns port:   127.0.0.1:${s.dnsPort}`);
    if (s.message) lines.push(`            ${s.message}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return s.state === 'running' ? 0 : s.state === 'stopped' ? 3 : 1;
}

async function reset(stateDir: string, provider: string, inPlace: boolean): Promise<number> {
  if (inPlace) {
    const { resetRunning } = await import('../../providers/embedded/index.ts');
    const pid = await resetRunning(stateDir);
    process.stdout.write(`sandbox reset: the sandbox running on ${stateDir} (pid ${pid}) is back at the chapter's Status Quo\n`);
    return 0;
  }
  const { getProvider } = await import('../../providers/index.ts');
  await getProvider(provider).reset({ stateDir });
  process.stdout.write(`sandbox reset: ${stateDir} holds the chapter's Status Quo again\n`);
  return 0;
}

async function down(stateDir: string): Promise<number> {
  const { stopRunning } = await import('../../providers/embedded/index.ts');
  const pid = await stopRunning(stateDir);
  process.stdout.write(`sandbox stopped (pid ${pid}); its state is kept in ${stateDir}\n`);
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
    '  down    stop the sandbox running on --state-dir',
  ].join('\n'),
  options: OPTIONS,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS, 'sandbox');
    const [sub, ...extra] = positionals;
    if (!sub) throw new UsageError(`say what to do: one of ${SUBCOMMANDS.join(', ')}; see "coredns-lab sandbox --help"`);
    if (!SUBCOMMANDS.includes(sub)) throw new UsageError(`unknown subcommand "${sub}"; use one of ${SUBCOMMANDS.join(', ')}`);
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" after "sandbox ${sub}"`);
    const stateDir = resolve(String(options['state-dir']));
    const provider = String(options.provider);
    const dnsPort = intOption(options['dns-port'], 'dns-port', 0, 65535);
    if (dnsPort !== undefined && sub !== 'up') throw new UsageError('--dns-port only applies to "sandbox up"');
    if (options.json && sub !== 'status') throw new UsageError('--json only applies to "sandbox status"');
    if (options['in-place'] && sub !== 'reset') throw new UsageError('--in-place only applies to "sandbox reset"');
    if (sub === 'up' || sub === 'reset') (await import('../../private-state.ts')).usePrivateUmask();
    try {
      switch (sub) {
        case 'up':
          return await up(stateDir, provider, dnsPort);
        case 'status':
          return await status(stateDir, Boolean(options.json));
        case 'reset':
          return await reset(stateDir, provider, Boolean(options['in-place']));
        default:
          return await down(stateDir);
      }
    } catch (err) {
      if (!isLabError(err)) throw err;
      process.stderr.write(`coredns-lab sandbox ${sub}: ${err.message}\n`);
      return 1;
    }
  },
};
