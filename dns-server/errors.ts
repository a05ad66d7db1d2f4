// Error classes of the dns-server, each with a literal code (listed in README.md).

/** A Corefile that cannot be read or parsed. The message is CoreDNS's: "Corefile:7 - Error during parsing: ...". */
export class CorefileError extends Error {
  readonly code = 'DNS_ERR_COREFILE';
  constructor(readonly file: string, readonly line: number, readonly problem: string) {
    super(`${file}:${line} - Error during parsing: ${problem}`);
    this.name = 'CorefileError';
  }
}

/** A Corefile that could not be read at all (missing file, permissions). */
export class CorefileReadError extends Error {
  readonly code = 'DNS_ERR_COREFILE_READ';
  constructor(readonly file: string, cause: string) {
    super(`Corefile: unable to read ${file}: ${cause}; pass an existing file with -conf FILE`);
    this.name = 'CorefileReadError';
  }
}

/** A listener could not bind (port in use, permission denied for ports below 1024). */
export class ListenError extends Error {
  readonly code = 'DNS_ERR_LISTEN';
  constructor(readonly address: string, cause: string) {
    super(`listen ${address}: ${cause}`);
    this.name = 'ListenError';
  }
}

/** A plugin stopped the server (loop detected a forwarding loop). */
export class FatalError extends Error {
  readonly code = 'DNS_ERR_FATAL';
  constructor(message: string) {
    super(message);
    this.name = 'FatalError';
  }
}
