// Who sent a packet. Every pod's sockets live on 127.0.0.1, so the DNS server would log
// 127.0.0.1 for every client; runtimes record each local source port they bind with the pod IP
// it stands for, and the DNS server's mapClient hook asks here.
type Transport = 'udp' | 'tcp';

export class ClientIdentities {
  readonly #byPort = new Map<string, string>();

  /** returns a function that forgets this port */
  register(localPort: number, transport: Transport, podIP: string): () => void {
    const k = `${transport}:${localPort}`;
    this.#byPort.set(k, podIP);
    return () => {
      if (this.#byPort.get(k) === podIP) this.#byPort.delete(k);
    };
  }

  /** the ServerHooks.mapClient shape: unknown senders keep their real address */
  mapClient(address: string, port: number, transport: Transport): { address: string; port: number } {
    const loopback = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
    const podIP = loopback ? this.#byPort.get(`${transport}:${port}`) : undefined;
    return podIP ? { address: podIP, port } : { address, port };
  }
}
