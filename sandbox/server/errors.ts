// The server's error classes. Each carries a literal code; sandbox/server/README.md lists them.

export class PortInUseError extends Error {
  readonly code = 'LAB_ERR_PORT_IN_USE' as const;
  constructor(host: string, port: number) {
    super(`port ${port} on ${host} is already in use (another coredns-lab serve?); stop that process or pick a free port with --port ${port + 1}`);
    this.name = 'PortInUseError';
  }
}

export class BindError extends Error {
  readonly code = 'LAB_ERR_BIND' as const;
  constructor(host: string, port: number, cause: string) {
    super(`cannot listen on ${host}:${port} (${cause}); use --host 127.0.0.1 or an address of this machine`);
    this.name = 'BindError';
  }
}

export class RemoteHostRefusedError extends Error {
  readonly code = 'LAB_ERR_REMOTE_HOST_REFUSED' as const;
  constructor(host: string) {
    super(
      `--host ${host} would let other machines reach a shell on this one; the lab binds 127.0.0.1 by default. ` +
        `Add --allow-remote if you mean it; for a room of learners, "coredns-lab workshop" gives each one a sandboxed seat`,
    );
    this.name = 'RemoteHostRefusedError';
  }
}

export class SiteBuildError extends Error {
  readonly code = 'LAB_ERR_SITE_BUILD' as const;
  constructor(detail: string) {
    super(`building the site failed: ${detail}; run "npm run build:site" to see the whole error`);
    this.name = 'SiteBuildError';
  }
}
