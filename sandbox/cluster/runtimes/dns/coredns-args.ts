// CoreDNS's command line, parsed the way Go's flag package parses it (-flag value, -flag=value,
// --flag), so a Deployment written for coredns/coredns means the same thing here.

export interface CorednsArgs {
  conf: string;
  dnsPort?: number;
  version: boolean;
  plugins: boolean;
  quiet: boolean;
}

export class CorednsArgsError extends Error {
  readonly code = 'LAB_ERR_COREDNS_ARGS' as const;
  override readonly name = 'CorednsArgsError';
}

const VALUE_FLAGS = new Set(['conf', 'dns.port', 'pidfile', 'p']);
const BOOL_FLAGS = new Set(['version', 'plugins', 'quiet']);

export const COREDNS_USAGE = `Usage of coredns:
  -conf string
    	Corefile to load (default "Corefile")
  -dns.port string
    	Default port (default "53")
  -pidfile string
    	Path to write pid file
  -plugins
    	List installed plugins
  -quiet
    	Quiet mode (no initialization output)
  -version
    	Show version`;

export function parseCorednsArgs(args: string[]): CorednsArgs {
  const out: CorednsArgs = { conf: 'Corefile', version: false, plugins: false, quiet: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-' ) break; // Go's flag stops at the first non-flag
    if (a === '--') break;
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    let value = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (BOOL_FLAGS.has(name)) {
      const v = value === undefined || value === 'true' || value === '1';
      if (name === 'version') out.version = v;
      else if (name === 'plugins') out.plugins = v;
      else out.quiet = v;
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new CorednsArgsError(`flag provided but not defined: -${name}\n${COREDNS_USAGE}`);
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new CorednsArgsError(`flag needs an argument: -${name}\n${COREDNS_USAGE}`);
    }
    if (name === 'conf') out.conf = value;
    else if (name === 'dns.port' || name === 'p') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CorednsArgsError(`invalid value "${value}" for flag -dns.port: must be a port number 0-65535`);
      out.dnsPort = n;
    }
  }
  return out;
}
