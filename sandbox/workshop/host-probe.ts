// What a workshop needs from the machine, as `doctor` reports it: bubblewrap, user namespaces
// (an unprivileged bwrap needs them), the shell sandbox exactly as seats run it, and cgroups the
// lab may make seat groups in (limits.ts) and freeze (sleep.ts). Each probe does the real thing
// once and undoes it; none is inferred from a version number.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BWRAP, probeShellSandbox, type SandboxProbe } from '../terminal/shell-sandbox.ts';
import { DEFAULT_LIMITS, seatGroup } from './limits.ts';
import { seatFreezer } from './sleep.ts';

export interface WorkshopHost {
  bubblewrap: { installed: boolean; version?: string };
  /** can `bwrap --unshare-user --unshare-pid` make its namespaces (what a non-root workshop needs) */
  userNamespaces: SandboxProbe;
  /** the seats' shell sandbox as `serve --shell-sandbox bwrap` starts it */
  shellSandbox: SandboxProbe;
  cgroups: { hierarchy: 'v1' | 'v2' | 'hybrid' | 'none'; limits: SandboxProbe; freezer: boolean };
}

function sysctl(name: string): string | undefined {
  try {
    return readFileSync(join('/proc/sys', ...name.split('.')), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** the kernel settings that turn unprivileged user namespaces off, as the fix to name */
function usernsBlockers(): string[] {
  const out: string[] = [];
  if (sysctl('user.max_user_namespaces') === '0') out.push('user.max_user_namespaces is 0 (sudo sysctl -w user.max_user_namespaces=15000)');
  if (sysctl('kernel.unprivileged_userns_clone') === '0')
    out.push('kernel.unprivileged_userns_clone is 0 (sudo sysctl -w kernel.unprivileged_userns_clone=1)');
  if (sysctl('kernel.apparmor_restrict_unprivileged_userns') === '1')
    out.push('AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1; allow bwrap with an AppArmor profile)');
  return out;
}

function probeUserNamespaces(): SandboxProbe {
  const r = spawnSync(BWRAP, ['--unshare-user', '--unshare-pid', '--ro-bind', '/', '/', '--', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { ok: false, why: code === 'ENOENT' ? 'bubblewrap is not installed, so it cannot be tried' : `bwrap did not run: ${r.error.message}` };
  }
  if (r.status === 0) return { ok: true };
  const said = (r.stderr || '').trim().split('\n').pop() || `exit code ${r.status}`;
  const blockers = usernsBlockers();
  return { ok: false, why: `bwrap --unshare-user failed (${said})${blockers.length ? `: ${blockers.join('; ')}` : ''}` };
}

function bubblewrapVersion(): WorkshopHost['bubblewrap'] {
  const r = spawnSync(BWRAP, ['--version'], { encoding: 'utf8', timeout: 5_000 });
  if (r.error) return { installed: false };
  const v = /(\d+\.\d+(\.\d+)?)/.exec(r.stdout)?.[1];
  return { installed: true, ...(v ? { version: v } : {}) };
}

function hierarchy(root = '/sys/fs/cgroup'): WorkshopHost['cgroups']['hierarchy'] {
  const v2 = existsSync(join(root, 'cgroup.controllers'));
  const v1 = existsSync(join(root, 'memory')) || existsSync(join(root, 'pids'));
  if (v1 && existsSync(join(root, 'unified'))) return 'hybrid';
  return v2 ? 'v2' : v1 ? 'v1' : 'none';
}

/** makes and removes a seat group (and its freezer), as a workshop does for each seat */
function probeCgroups(): WorkshopHost['cgroups'] {
  const name = `doctor-${process.pid}`;
  const setup = seatGroup(name, DEFAULT_LIMITS);
  let freezer = false;
  if (setup.ok) {
    const f = seatFreezer(name, setup.group.v2Dir ?? null);
    freezer = f !== null;
    f?.remove();
    setup.group.remove();
  }
  return { hierarchy: hierarchy(), limits: setup.ok ? { ok: true } : { ok: false, why: setup.why }, freezer };
}

export function probeWorkshopHost(): WorkshopHost {
  return {
    bubblewrap: bubblewrapVersion(),
    userNamespaces: probeUserNamespaces(),
    shellSandbox: probeShellSandbox(),
    cgroups: probeCgroups(),
  };
}
