// A seat that runs elsewhere: a seat pod on Kubernetes (k8s-manifests.ts), started and stopped by its
// StatefulSet, not by the workshop. The front end only waits for it to answer, forwards its
// learner's traffic to it, and asks it what the instructor's page shows.
import { remoteControl, type SeatControl } from './seat-control.ts';
import type { SeatState } from './seat-process.ts';
import type { Backend } from './seat-proxy.ts';
import { parseHostHeader } from '../server/gate.ts';

/** how often a remote seat that does not answer yet is asked again */
const POLL_MS = 2000;

export class RemoteSeat {
  readonly id: string;
  /** where the front end keeps this seat's files (none: its state lives in its pod) */
  readonly stateDir: string;
  state: SeatState = 'starting';
  backend: Backend | null = null;
  message: string | null = null;
  readonly hits: string[] = [];
  readonly control: SeatControl;
  private stopped = false;

  constructor(
    seat: { id: string; token: string },
    private readonly address: Backend,
    stateDir: string,
    private readonly waitMs = 10 * 60_000,
  ) {
    this.id = seat.id;
    this.stateDir = stateDir;
    this.control = remoteControl(address, seat.token);
  }

  /** resolves once the seat's server answers with the seat's token; its pod may still be starting */
  async start(): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (this.stopped) throw new Error(`${this.id}: the workshop stopped`);
      try {
        const s = await this.control.status(3000);
        if (s.state === 'running') {
          this.backend = this.address;
          this.state = 'running';
          this.message = null;
          return;
        }
        this.message = `its lab is ${s.state}`;
      } catch (err) {
        this.message = `not answering at ${this.address.host}:${this.address.port} yet (${(err as Error).message})`;
      }
      if (Date.now() > deadline) {
        this.state = 'failed';
        throw new Error(`${this.id} did not answer within ${Math.round(this.waitMs / 60000)} min: ${this.message}`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.state = 'stopped';
  }
}

/**
 * Where each remote seat listens: a template with {index} (0-based, as a StatefulSet names its
 * pods), e.g. "seat-{index}.seats.coredns-lab.svc.cluster.local:4321", or a comma-separated list.
 */
export function remoteAddresses(spec: string, count: number): Backend[] {
  const one = (hostPort: string): Backend => {
    const hp = parseHostHeader(hostPort);
    if (!hp || hp.port === null) throw new RangeError(`"${hostPort}" is not host:port`);
    return { host: hp.name, port: hp.port };
  };
  if (spec.includes('{index}')) return Array.from({ length: count }, (_, i) => one(spec.replaceAll('{index}', String(i))));
  const list = spec.split(',').filter((x) => x.trim());
  if (list.length !== count) throw new RangeError(`--remote-seats lists ${list.length} address${list.length === 1 ? '' : 'es'} for ${count} seats`);
  return list.map(one);
}
