// `coredns-lab workshop`: a room of learners on one machine. Each seat is a lab of its own; the
// instructor's page shows them all. Prints the instructor's URL once every seat has started.
import { join, resolve } from 'node:path';
import { intOption, parseArgs, UsageError, type OptionSpec } from '../args.ts';
import type { Command } from '../command.ts';

const options: OptionSpec[] = [
  { name: 'seats', type: 'string', description: 'how many learners (1 to 200)', default: '4' },
  { name: 'host', type: 'string', description: 'address to listen on; a non-loopback one lets other machines join (trusted networks only)', default: '127.0.0.1' },
  { name: 'port', type: 'string', description: "the instructor's port; seat N listens on port+N (0: free ports)", default: '4400' },
  { name: 'public-host', type: 'string', description: 'the name or address learners type, when --host is 0.0.0.0' },
  { name: 'state-dir', type: 'string', description: 'where the workshop keeps its seats, join links and logs', default: '.coredns-lab-workshop' },
  { name: 'seat-memory', type: 'string', description: "each seat's memory limit in MiB (its lab, cluster and shells together)", default: '1024' },
  { name: 'seat-processes', type: 'string', description: "each seat's process limit", default: '512' },
  { name: 'seat-cpus', type: 'string', description: "each seat's CPU limit in cores (e.g. 0.5)", default: '1' },
  { name: 'seat-sleep-after', type: 'string', description: 'freeze a seat nobody is connected to after this long (e.g. 10m; 0: never); it wakes on its next request', default: '10m' },
  { name: 'tls-cert', type: 'string', description: 'serve every page over HTTPS with this certificate (PEM; with --tls-key)' },
  { name: 'tls-key', type: 'string', description: "the certificate's private key (PEM)" },
  { name: 'tls-lab-ca', type: 'boolean', description: "serve every page over HTTPS with a certificate from the lab's own CA (kept in D/tls/); learners trust D/tls/ca.crt" },
  { name: 'print-manifests', type: 'boolean', description: 'print the Kubernetes manifests of this workshop (seats as pods, the front end) and exit; see sandbox/WORKSHOP.md' },
  { name: 'image', type: 'string', description: 'with --print-manifests: the lab image the pods run', default: 'coredns-lab:0.1.0' },
  { name: 'namespace', type: 'string', description: 'with --print-manifests: the namespace to run in', default: 'coredns-lab-workshop' },
  { name: 'remote-seats', type: 'string', description: 'the seats run elsewhere (seat pods): host:port of each, comma-separated, or a template with {index} (0-based)' },
  { name: 'plan-file', type: 'string', description: "start from this workshop.json when the state dir has none (the front end's Secret)" },
];

export const workshop: Command = {
  name: 'workshop',
  summary: 'run a workshop: a lab per learner on this machine, and a page for the instructor',
  usage: 'coredns-lab workshop [--seats N] [--host H] [--port P] [--state-dir D]',
  description:
    'Starts N seats, each its own lab (cluster, API, token, sandboxed shells), and the instructor\'s\n' +
    'page. Writes D/seats.csv and a printable D/seats.html with a join link and QR code per seat;\n' +
    'learners without one claim a free seat with the code the instructor\'s page shows.',
  options,
  async run(argv) {
    const { options: o, positionals } = parseArgs(argv, options, 'workshop');
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"; see "coredns-lab workshop --help"`);
    const seats = intOption(o.seats, 'seats', 1, 200)!;
    const port = intOption(o.port, 'port', 0, 65535)!;
    if (port !== 0 && port + seats > 65535) throw new UsageError(`--port ${port} leaves no room for ${seats} seat ports above it; pick a lower port`);
    const cpus = Number(o['seat-cpus']);
    if (!(cpus > 0 && cpus <= 64)) throw new UsageError(`--seat-cpus must be a number of cores above 0, e.g. 0.5 or 1, got "${String(o['seat-cpus'])}"`);
    const limits = { memoryBytes: intOption(o['seat-memory'], 'seat-memory', 128, 65536)! * 1048576, pids: intOption(o['seat-processes'], 'seat-processes', 64, 65536)!, cpus };
    const host = String(o.host);
    const { parseDuration } = await import('../../server/duration.ts');
    const sleepAfterMs = String(o['seat-sleep-after']) === '0' ? 0 : parseDuration(String(o['seat-sleep-after']));
    if (sleepAfterMs === null) throw new UsageError(`--seat-sleep-after must be a duration such as 90s or 10m, or 0, got "${String(o['seat-sleep-after'])}"`);
    if ((o['tls-cert'] === undefined) !== (o['tls-key'] === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
    if (o['tls-lab-ca'] && o['tls-cert'] !== undefined) throw new UsageError("--tls-lab-ca makes the workshop's certificate; leave out --tls-cert/--tls-key, or use them alone");
    let tls = o['tls-cert'] !== undefined ? { cert: resolve(String(o['tls-cert'])), key: resolve(String(o['tls-key'])) } : undefined;
    const say = (line: string) => process.stderr.write(`coredns-lab workshop: ${line}\n`);
    const stateDir = resolve(String(o['state-dir']));
    if (o['tls-lab-ca'] && !o['print-manifests']) tls = await labCaTls(stateDir, host, o['public-host'] as string | undefined, say);
    if (o['print-manifests']) {
      const namespace = String(o.namespace);
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) throw new UsageError(`--namespace "${namespace}" is not a valid namespace name (lower case letters, digits and dashes)`);
      const publicHost = o['public-host'] as string | undefined;
      if (!publicHost) throw new UsageError('--print-manifests needs --public-host: the name or address learners will type (the front end Service\'s address)');
      const { loadOrCreatePlan } = await import('../../workshop/plan.ts');
      const { makePrivateDir, usePrivateUmask } = await import('../../private-state.ts');
      const { manifestsYaml } = await import('../../workshop/k8s-manifests.ts');
      usePrivateUmask();
      makePrivateDir(stateDir);
      const plan = loadOrCreatePlan(stateDir, seats);
      process.stdout.write(manifestsYaml({ plan, seats, image: String(o.image), namespace, publicHost, port: port || 4400 }));
      say(`manifests for ${seats} seats in namespace ${namespace}; the seats' secrets are in ${stateDir}/workshop.json (and in the printed Secrets: keep the output private)`);
      return 0;
    }
    let remoteSeats;
    if (o['remote-seats'] !== undefined) {
      const { remoteAddresses } = await import('../../workshop/remote-seat.ts');
      try {
        remoteSeats = remoteAddresses(String(o['remote-seats']), seats);
      } catch (err) {
        throw new UsageError(`--remote-seats: ${(err as Error).message}; e.g. seat-{index}.seats.coredns-lab-workshop.svc.cluster.local:4321`);
      }
    }
    const { isLoopbackHost } = await import('../../server/gate.ts');
    if (!isLoopbackHost(host))
      say(
        `warning: listening on ${host}: anyone on this network who has a seat's link gets a shell on this machine. Use it only on a network you trust` +
          (tls ? '.' : ', and pass --tls-lab-ca (or --tls-cert/--tls-key) so the links and terminals are encrypted.'),
      );
    const { startWorkshop } = await import('../../workshop/workshop.ts');
    let ws;
    try {
      ws = await startWorkshop({
        seats, host, port, stateDir, publicHost: o['public-host'] as string | undefined, limits, sleepAfterMs, tls, say, remoteSeats,
        planFile: o['plan-file'] !== undefined ? resolve(String(o['plan-file'])) : undefined,
      });
    } catch (err) {
      const e = err as Error & { code?: string };
      if (e.code?.startsWith('LAB_ERR_')) {
        process.stderr.write(`coredns-lab workshop: ${e.message}\n`);
        return 1;
      }
      throw err;
    }
    for (const w of ws.warnings) say(`warning: ${w}`);
    const dir = stateDir;
    say(`join links: ${dir}/seats.csv and ${dir}/seats.html (print it); claim code ${ws.plan.code} at ${ws.base}/claim`);
    process.stdout.write(`coredns-lab workshop: instructor ${ws.instructorUrl}\n`);
    return new Promise<number>((resolveExit) => {
      const stop = () => {
        say('stopping every seat (their cluster state is kept)');
        void ws.stop().then(() => resolveExit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};

/** a certificate from the lab's own CA for every name learners may type (the host, the public host, loopback) */
async function labCaTls(
  stateDir: string,
  host: string,
  publicHost: string | undefined,
  say: (line: string) => void,
): Promise<{ cert: string; key: string }> {
  const { isIP } = await import('node:net');
  const { makePrivateDir, usePrivateUmask } = await import('../../private-state.ts');
  const { loadOrCreateServingTls } = await import('../../cluster/auth/pki.ts');
  usePrivateUmask();
  makePrivateDir(stateDir);
  const names = new Set(['127.0.0.1', 'localhost', ...[host, publicHost].filter((n): n is string => !!n && n !== '0.0.0.0' && n !== '::')]);
  const tls = await loadOrCreateServingTls(join(stateDir, 'tls'), {
    dns: [...names].filter((n) => !isIP(n)),
    ips: [...names].filter((n) => isIP(n)),
  });
  say(`HTTPS with the lab's own CA: learners' browsers must trust ${tls.caFile} (copy it to them once; it stays across restarts)`);
  return { cert: tls.certFile, key: tls.keyFile };
}
