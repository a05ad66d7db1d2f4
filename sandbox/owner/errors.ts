// The failures of owning a state dir and of talking to its owner. Each names the running owner
// (pid, what it is, since when, where to reach it) and the command that fixes the problem.
import type { LockInfo } from './lock.ts';

/** "pid 4242: serve since 2026-12-05T09:00:00.000Z, http://127.0.0.1:4321/, KUBECONFIG=/x/kubeconfig" */
export function describeOwner(holder: LockInfo): string {
  const parts = [`pid ${holder.pid}: ${holder.owner ?? 'sandbox up'} since ${holder.startedAt}`];
  if (holder.url) parts.push(holder.url);
  if (holder.apiServer) parts.push(`API ${holder.apiServer}`);
  if (holder.kubeconfig) parts.push(`KUBECONFIG=${holder.kubeconfig}`);
  return parts.join(', ');
}

/** how to stop whoever holds the state dir */
export function howToStop(holder: LockInfo, stateDir: string): string {
  if (holder.owner === 'serve' || holder.owner === 'workshop')
    return `Stop the lab with Ctrl-C in its terminal (or "coredns-lab sandbox down --force --state-dir ${stateDir}")`;
  return `Stop it first with "coredns-lab sandbox down --state-dir ${stateDir}" (or Ctrl-C in its terminal)`;
}

export class SandboxRunningError extends Error {
  readonly code = 'LAB_ERR_SANDBOX_RUNNING';
  readonly pid: number;
  constructor(readonly stateDir: string, readonly holder: LockInfo, action: string, alternative = 'or use another --state-dir') {
    const who = holder.owner === 'serve' ? 'the lab server (coredns-lab serve)' : holder.owner === 'workshop' ? 'a workshop' : 'a sandbox';
    super(`${who} is already running on ${stateDir} (${describeOwner(holder)}), so it cannot ${action}. ${howToStop(holder, stateDir)}, ${alternative}.`);
    this.name = 'SandboxRunningError';
    this.pid = holder.pid;
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

/** the owner's lock is there and its process alive, but its control socket does not answer */
export class OwnerNotAnsweringError extends Error {
  readonly code = 'LAB_ERR_OWNER_NOT_ANSWERING';
  constructor(readonly stateDir: string, readonly holder: LockInfo, cause: string) {
    super(
      `the owner of ${stateDir} (${describeOwner(holder)}) does not answer on its control socket (${cause}). ` +
        (holder.state === 'starting' ? 'It is still starting; try again in a moment.' : `See its terminal, or stop it with "kill ${holder.pid}".`),
    );
    this.name = 'OwnerNotAnsweringError';
  }
}

/** the owner answered with a refusal or a failure; code is the owner's (control-protocol.ts) */
export class ControlError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ControlError';
  }
}
