// Where a pod's port really listens. Pods have cluster IPs (100.96.x.y) that exist only in the
// store; each runtime records, for each port a container opens, the loopback address that serves it.
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface RealAddress {
  host: string;
  port: number;
}

function key(podIP: string, port: number, protocol: Protocol): string {
  return `${podIP}:${port}/${protocol}`;
}

export class BackendRegistry {
  readonly #byKey = new Map<string, RealAddress>();

  /** returns a function that removes exactly this registration (a later re-registration survives it) */
  register(podIP: string, containerPort: number, protocol: Protocol, real: RealAddress): () => void {
    const k = key(podIP, containerPort, protocol);
    const entry = { ...real };
    this.#byKey.set(k, entry);
    return () => {
      if (this.#byKey.get(k) === entry) this.#byKey.delete(k);
    };
  }

  lookup(podIP: string, port: number, protocol: Protocol): RealAddress | undefined {
    const r = this.#byKey.get(key(podIP, port, protocol));
    return r && { ...r };
  }

  /** every registration of one pod IP, for tests and `sandbox status` */
  entriesFor(podIP: string): Array<{ port: number; protocol: Protocol; real: RealAddress }> {
    const out: Array<{ port: number; protocol: Protocol; real: RealAddress }> = [];
    for (const [k, real] of this.#byKey) {
      const m = /^(.*):(\d+)\/(\w+)$/.exec(k);
      if (m && m[1] === podIP) out.push({ port: Number(m[2]), protocol: m[3] as Protocol, real: { ...real } });
    }
    return out;
  }

  removePod(podIP: string): void {
    for (const k of [...this.#byKey.keys()]) if (k.startsWith(`${podIP}:`)) this.#byKey.delete(k);
  }
}
