// What -version, the startup banner and coredns_build_info report. We claim the CoreDNS release
// whose behaviour we follow, and say on the second line that this is the TypeScript stand-in.
export const COREDNS_VERSION = '1.11.3';
export const STAND_IN = 'coredns-lab-dns-server';

export function versionLines(): string[] {
  return [`CoreDNS-${COREDNS_VERSION}`, `linux/amd64, node${process.versions.node}, ${STAND_IN}`];
}
