// The failures a learner can meet when starting, stopping or resetting the embedded sandbox.
// Each names the problem and the command that fixes it.

export class SandboxRunningError extends Error {
  readonly code = 'LAB_ERR_SANDBOX_RUNNING';
  constructor(readonly stateDir: string, readonly pid: number, action: string, alternative = 'or use another --state-dir') {
    super(
      `a sandbox is already running on ${stateDir} (pid ${pid}), so it cannot ${action}. ` +
        `Stop it first with "coredns-lab sandbox down --state-dir ${stateDir}" (or Ctrl-C in its terminal), ` +
        `${alternative}.`,
    );
    this.name = 'SandboxRunningError';
  }
}

export class SandboxNotRunningError extends Error {
  readonly code = 'LAB_ERR_SANDBOX_NOT_RUNNING';
  constructor(readonly stateDir: string) {
    super(`no sandbox is running on ${stateDir}; start one with "coredns-lab sandbox up --state-dir ${stateDir}"`);
    this.name = 'SandboxNotRunningError';
  }
}

export class StateDirError extends Error {
  readonly code = 'LAB_ERR_STATE_DIR';
  constructor(readonly stateDir: string, cause: string) {
    super(`cannot use ${stateDir} as the sandbox state dir: ${cause}. Pick a writable directory with --state-dir.`);
    this.name = 'StateDirError';
  }
}
