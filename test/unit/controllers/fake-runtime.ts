// A ContainerRuntimeHost for controller tests: the edge between the kubelet and the pod runtimes,
// faked so a test decides when a container becomes ready or exits.
import { PassThrough } from 'node:stream';
import type { ContainerProcess, ContainerRuntimeHost, KubeObject } from '../../../sandbox/cluster/contracts.ts';

export class FakeContainer implements ContainerProcess {
  readonly exited: Promise<{ exitCode: number; reason: string; message?: string }>;
  private resolveExit!: (v: { exitCode: number; reason: string; message?: string }) => void;
  isReady: boolean;
  stoppedWithGrace?: number;
  done = false;

  constructor(readonly pod: KubeObject, readonly container: string, ready: boolean) {
    this.isReady = ready;
    this.exited = new Promise((r) => (this.resolveExit = r));
  }

  ready(): boolean {
    return this.isReady && !this.done;
  }

  exit(exitCode: number, reason = exitCode === 0 ? 'Completed' : 'Error'): void {
    if (this.done) return;
    this.done = true;
    this.resolveExit({ exitCode, reason });
  }

  async stop(graceMs: number): Promise<void> {
    this.stoppedWithGrace = graceMs;
    this.exit(143, 'Error');
    await this.exited;
  }
}

export class FakeRuntime implements ContainerRuntimeHost {
  readonly started: FakeContainer[] = [];
  readonly forgotten: string[] = [];
  /** containers start ready unless a test says otherwise */
  readyOnStart = true;
  /** images whose start rejects */
  failImages = new Set<string>();

  async startContainer(pod: KubeObject, containerName: string): Promise<ContainerProcess> {
    const image = ((pod.spec as { containers: Array<{ name: string; image: string }> }).containers.find((c) => c.name === containerName))?.image ?? '';
    if (this.failImages.has(image)) throw new Error(`cannot start ${image}`);
    const c = new FakeContainer(pod, containerName, this.readyOnStart);
    this.started.push(c);
    return c;
  }

  running(podName: string): FakeContainer[] {
    return this.started.filter((c) => c.pod.metadata.name === podName && !c.done);
  }

  forgetPod(uid: string): void {
    this.forgotten.push(uid);
  }

  async close(): Promise<void> {
    for (const c of this.started) c.exit(137);
  }

  async exec(): Promise<number> {
    return 0;
  }

  async attach(): Promise<number> {
    return 0;
  }

  logs() {
    const s = new PassThrough();
    s.end();
    return s;
  }
}
