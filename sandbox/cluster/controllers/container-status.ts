// The kubelet's memory of one container, and how it reads in pod.status.containerStatuses.
import { createHash, randomBytes } from 'node:crypto';
import type { ContainerProcess } from '../contracts.ts';

export type ContainerPhase =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: string }
  | { kind: 'terminated'; exitCode: number; reason: string; message?: string; startedAt: string; finishedAt: string; containerID: string };

export interface ContainerRecord {
  name: string;
  image: string;
  state: ContainerPhase;
  lastTerminated?: Extract<ContainerPhase, { kind: 'terminated' }>;
  restartCount: number;
  ready: boolean;
  containerID?: string;
  proc?: ContainerProcess;
  /** the next CrashLoopBackOff delay in ms (0: restart at once) */
  backoffMs: number;
  /** the image pull back-off in ms, while the image fails to pull */
  pullBackoffMs?: number;
  /** the readiness probe's verdict while one is declared (undefined: no probe, the runtime's answer counts) */
  probedReady?: boolean;
  /** false until the startup probe succeeds (undefined: no probes) */
  started?: boolean;
  stopProbes?: () => void;
}

export function newContainerId(): string {
  return `docker://${randomBytes(32).toString('hex')}`;
}

/** a stable, plausible image digest: images here are not pulled, so the name is hashed */
export function imageId(image: string): string {
  const ref = image.includes('/') ? image : `docker.io/library/${image}`;
  const repo = ref.replace(/[:@].*$/, '');
  return `docker-pullable://${repo}@sha256:${createHash('sha256').update(image).digest('hex')}`;
}

function renderState(s: ContainerPhase): Record<string, unknown> {
  switch (s.kind) {
    case 'waiting':
      return { waiting: { reason: s.reason, ...(s.message ? { message: s.message } : {}) } };
    case 'running':
      return { running: { startedAt: s.startedAt } };
    case 'terminated':
      return {
        terminated: {
          exitCode: s.exitCode,
          reason: s.reason,
          ...(s.message ? { message: s.message } : {}),
          startedAt: s.startedAt,
          finishedAt: s.finishedAt,
          containerID: s.containerID,
        },
      };
  }
}

export function renderContainerStatus(c: ContainerRecord): Record<string, unknown> {
  const started = c.state.kind === 'running' && c.started !== false;
  return {
    name: c.name,
    state: renderState(c.state),
    lastState: c.lastTerminated ? renderState(c.lastTerminated) : {},
    ready: c.ready,
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.containerID || c.lastTerminated ? imageId(c.image) : '',
    ...(c.containerID ? { containerID: c.containerID } : {}),
    started,
  };
}
