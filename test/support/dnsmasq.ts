// A real nameserver for tests to stand in for the host's upstream (what a node's /etc/resolv.conf
// names): Debian's dnsmasq on 127.0.0.1 and a free port, answering the names it is given and
// NXDOMAIN for every other name, as the internet's resolvers do for names that do not exist (no
// upstream of its own, no /etc/hosts). Up once it answers its first name; `stop()` ends it.
import { spawn } from 'node:child_process';
import { query } from '../../dns-server/test-support/client.ts';
import { onFreePort } from './free-port.ts';
import { waitFor } from './wait.ts';

export interface Dnsmasq {
  host: '127.0.0.1';
  port: number;
  /** what dnsmasq printed (with --log-queries: one line per query it got) */
  output(): string;
  stop(): Promise<void>;
}

export function startDnsmasq(opts: { addresses: Record<string, string> }): Promise<Dnsmasq> {
  return onFreePort((port) => startOn(port, opts.addresses));
}

async function startOn(port: number, addresses: Record<string, string>): Promise<Dnsmasq> {
  const child = spawn('dnsmasq', [
    '-k', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--log-queries', '--log-facility=-', `--port=${port}`,
    '--listen-address=127.0.0.1', '--bind-interfaces', '--pid-file=', '--user=root',
    ...Object.entries(addresses).map(([name, ip]) => `--address=/${name}/${ip}`),
    '--address=/#/',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const [first, ip] = Object.entries(addresses)[0] ?? [];
  try {
    await waitFor(async () => !first || (await query(port, first, 'A', { timeoutMs: 300 })).answers?.some((a) => a.data === ip), {
      what: 'dnsmasq to answer', show: () => out, failIf: () => child.exitCode !== null && `dnsmasq exited ${child.exitCode}: ${out}`,
    });
  } catch (err) {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
