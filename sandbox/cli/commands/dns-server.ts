import { notYetAvailable } from '../command.ts';

export const dnsServer = notYetAvailable('dns-server', 'the CoreDNS stand-in, with CoreDNS flags (-conf, -dns.port, -version, -plugins)', 'coredns-lab dns-server -conf <Corefile> [-dns.port N]', [], 'the dns-server issue');
