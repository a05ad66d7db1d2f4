// `coredns-lab dns-server ...`: the dns-server's own CLI, with CoreDNS's single-dash flags.
import type { Command } from '../command.ts';
import { runCli, processIo } from '../../../dns-server/cli.ts';

export const dnsServer: Command = {
  name: 'dns-server',
  summary: 'the CoreDNS stand-in, with CoreDNS flags (-conf, -dns.port, -version, -plugins)',
  usage: 'coredns-lab dns-server -conf <Corefile> [-dns.port N] | -version | -plugins | -help',
  options: [],
  description: 'Runs the CoreDNS stand-in in the foreground. Flags are CoreDNS\'s own; see "coredns-lab dns-server -help".',
  run: (argv) => runCli(argv, processIo()),
};
