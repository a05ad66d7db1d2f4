// The lab shell inside a bubblewrap sandbox, for workshops where many learners share one machine:
// a read-only system, a private /tmp and home, its own PID, IPC and UTS namespaces, no
// capabilities, and the workshop's other seats hidden under an empty tmpfs. Only the seat's own
// state dir (workspace, kubeconfig, sessions) is mounted back, writable, and the repo's lessons/
// (what the workspace links to) read-only.
//
// The network is shared on purpose: kubectl reaches the seat's API on loopback. Another seat's
// API and page answer 401 without that seat's token, and its token lives in a hidden dir.
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { labBash, REPO_ROOT } from './workspace.ts';

export interface ShellSandboxOptions {
  /** the seat's state dir: mounted back writable */
  stateDir: string;
  /** dirs to hide behind an empty tmpfs (the workshop's root, which holds every seat) */
  hide: string[];
  /** files bound back writable over the read-only system (a seat's two CPU groups' cgroup.procs) */
  writable?: string[];
  /** the sandbox's host name, so the learner can tell where the shell runs */
  hostname: string;
}

export const BWRAP = 'bwrap';

/** bwrap's arguments up to (not including) the command it runs */
export function bwrapArgs(opts: ShellSandboxOptions): string[] {
  const home = homedir();
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
  // the server's home holds the instructor's files (ssh keys, kube configs of real clusters)
  if (home && home !== '/') args.push('--tmpfs', home);
  // the workspace's templates/ and README.md link into the repo's lessons/, which the tmpfs above
  // hide when the repo was cloned under /tmp or the home; mounted back read-only (before the
  // hidden dirs, so a workshop root inside the repo stays hidden)
  const lessons = join(REPO_ROOT, 'lessons');
  args.push('--ro-bind', lessons, lessons);
  for (const dir of opts.hide) args.push('--tmpfs', dir);
  args.push('--bind', opts.stateDir, opts.stateDir);
  for (const file of opts.writable ?? []) args.push('--bind', file, file);
  args.push(
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--hostname', opts.hostname,
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--chdir', join(opts.stateDir, 'workspace'),
  );
  return args;
}

/** the lab's bash (as session.ts starts it) inside the sandbox */
export function sandboxedShell(opts: ShellSandboxOptions): { file: string; args: string[] } {
  const bash = labBash(opts.stateDir);
  return { file: BWRAP, args: [...bwrapArgs(opts), '--', bash.file, ...bash.args] };
}

export type SandboxProbe = { ok: true } | { ok: false; why: string };

/**
 * Can bubblewrap make its namespaces here? It needs user namespaces (or root) and the bwrap
 * binary; containers often lack one or the other.
 */
export function probeShellSandbox(): SandboxProbe {
  const r = spawnSync(BWRAP, ['--ro-bind', '/', '/', '--unshare-pid', '--cap-drop', 'ALL', '--', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { ok: false, why: code === 'ENOENT' ? 'bubblewrap is not installed (apt-get install bubblewrap)' : `bwrap did not run: ${r.error.message}` };
  }
  if (r.status !== 0) {
    const msg = (r.stderr || '').trim().split('\n').pop() || `exit code ${r.status}`;
    return { ok: false, why: `bwrap cannot create its sandbox here (${msg}); user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone=1)` };
  }
  return { ok: true };
}
