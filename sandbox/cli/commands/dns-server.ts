// `coredns-lab dns-server ...`: the dns-server's own CLI, with CoreDNS's single-dash flags.
import type { Command } from '../command.ts';

export const dnsServer: Command = {
  name: 'dns-server',
  summary: 'the CoreDNS stand-in, with CoreDNS flags (-conf, -dns.port, -version, -plugins)',
  usage: 'coredns-lab dns-server -conf <Corefile> [-dns.port N] | -version | -plugins | -help',
  options: [],
  description: 'Runs the CoreDNS stand-in in the foreground. Flags are CoreDNS\'s own; see "coredns-lab dns-server -help".',
  // loaded on use: every other command would otherwise pay for the whole DNS server at start-up
  async run(argv) {
    const { runCli, processIo } = await import('../../../dns-server/cli.ts');
    return runCli(argv, processIo());
  },
};
