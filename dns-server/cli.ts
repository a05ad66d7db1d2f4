// CoreDNS's command line: -conf, -dns.port, -version, -plugins, -help (Go flag syntax: one or
// two dashes, "-flag value" or "-flag=value").
import { startDnsServer } from './index.ts';
import { versionLines } from './version.ts';
import { PLUGINS } from './plugins/order.ts';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  /** resolves when the process is asked to stop (SIGINT/SIGTERM) */
  signals?: { onStop(cb: () => void): void; onReload(cb: () => void): void };
  /** called once the server is up; `ready` says whether every plugin is ready (what /ready says) */
  started?(ready: () => boolean): void;
}

const USAGE = `Usage of coredns (coredns-lab dns-server):
  -conf string
    \tCorefile to load (default "Corefile")
  -dns.port string
    \tDefault port (default "53")
  -plugins
    \tList installed plugins
  -version
    \tShow version
  -help
    \tShow this help`;

interface Flags {
  conf: string;
  dnsPort: number;
  version: boolean;
  plugins: boolean;
  help: boolean;
}

class FlagError extends Error {
  readonly code = 'DNS_ERR_FLAG';
}

export function parseFlags(argv: string[]): Flags {
  const f: Flags = { conf: 'Corefile', dnsPort: 53, version: false, plugins: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) throw new FlagError(`unexpected argument "${a}": CoreDNS takes only flags, e.g. -conf ${a}`);
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const inline = eq < 0 ? undefined : body.slice(eq + 1);
    const value = () => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new FlagError(`flag needs an argument: -${name}`);
      return v;
    };
    switch (name) {
      case 'conf':
        f.conf = value();
        break;
      case 'dns.port': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new FlagError(`invalid value "${v}" for flag -dns.port: a port is a number from 0 to 65535`);
        f.dnsPort = Number(v);
        break;
      }
      case 'version':
      case 'plugins':
      case 'help':
      case 'h':
        if (inline !== undefined && inline !== 'true' && inline !== 'false') throw new FlagError(`invalid boolean value "${inline}" for -${name}`);
        f[name === 'h' ? 'help' : name] = inline !== 'false';
        break;
      default:
        throw new FlagError(`flag provided but not defined: -${name}`);
    }
  }
  return f;
}

export function pluginList(): string {
  const names = PLUGINS.map((p) => p.name).sort();
  return ['Server types:', '  dns', '', 'Caddyfile loaders:', '  flag', '  default', '', 'Other plugins:', ...names.map((n) => `  dns.${n}`)].join('\n');
}

/** Runs like the coredns binary; resolves to the exit status. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags(argv);
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (flags.help) {
    io.out(USAGE + '\n');
    return 0;
  }
  if (flags.version) {
    io.out(versionLines().join('\n') + '\n');
    return 0;
  }
  if (flags.plugins) {
    io.out(pluginList() + '\n');
    return 0;
  }
  let handle;
  try {
    handle = await startDnsServer({ conf: flags.conf, dnsPort: flags.dnsPort, env: io.env, log: (line) => io.out(line + '\n') });
  } catch (err) {
    const e = err as Error & { code?: string };
    io.err(e.code?.startsWith('DNS_ERR_') ? `${e.message}\n` : `${e.stack ?? e.message}\n`);
    return 1;
  }
  const h = handle;
  io.started?.(() => h.ready());
  io.signals?.onReload(() => void h.reload());
  io.signals?.onStop(() => void h.stop());
  const fatal = await h.exited;
  return fatal ? 1 : 0;
}

/** process-level glue for main.ts and the lab CLI */
export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: process.env,
    signals: {
      onStop(cb) {
        process.once('SIGINT', cb);
        process.once('SIGTERM', cb);
      },
      onReload(cb) {
        process.on('SIGUSR1', cb);
      },
    },
  };
}
