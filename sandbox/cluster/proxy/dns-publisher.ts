// Publishes a Service's DNS port on the host (`sandbox up --dns-port N`), so host tools such as
// dig reach cluster DNS. Each UDP query and each TCP connection asks the proxy for a backend at
// that moment, so repointing the Service (kube-dns -> CoreDNS) takes effect on the next query.
import dgram from 'node:dgram';
import net from 'node:net';
import { PublishError } from './errors.ts';
import type { RealAddress } from './backend-registry.ts';

export interface PublishedDns {
  host: string;
  port: number;
  close(): Promise<void>;
}

export type BackendPicker = (protocol: 'UDP' | 'TCP') => RealAddress | undefined;

/** UDP flows are forgotten after this much silence (conntrack's UDP timeout is 30 s too) */
const UDP_FLOW_IDLE_MS = 30_000;

/**
 * One client's flow: a socket of its own on loopback, so replies find their way back. It takes
 * replies only from the backends it forwarded this client's queries to; a datagram from any
 * other address or port (another local process guessing the flow's port) is dropped, as
 * conntrack would not match it either.
 */
interface UdpFlow { socket: dgram.Socket; timer: NodeJS.Timeout; peers: Set<string> }

const FLOW_HOST = '127.0.0.1';

function listenError(err: NodeJS.ErrnoException, host: string, port: number): PublishError {
  if (err.code === 'EADDRINUSE') return new PublishError(`cannot publish DNS on ${host}:${port}: the port is in use; choose another with --dns-port`);
  if (err.code === 'EACCES') return new PublishError(`cannot publish DNS on ${host}:${port}: ports below 1024 need privileges; use --dns-port 1053`);
  return new PublishError(`cannot publish DNS on ${host}:${port}: ${err.message}`);
}

export async function publishDns(pick: BackendPicker, port: number, host = '127.0.0.1'): Promise<PublishedDns> {
  const udp = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const flows = new Map<string, UdpFlow>();

  const flowFor = (address: string, clientPort: number): UdpFlow => {
    const k = `${address}:${clientPort}`;
    let flow = flows.get(k);
    if (!flow) {
      const socket = dgram.createSocket('udp4');
      const peers = new Set<string>();
      socket.on('message', (reply, from) => {
        if (peers.has(`${from.address}:${from.port}`)) udp.send(reply, clientPort, address);
      });
      socket.on('error', () => undefined);
      // backends listen on loopback only; sends wait until the bind completes
      socket.bind(0, FLOW_HOST);
      const timer = setTimeout(() => undefined, 0);
      flow = { socket, timer, peers };
      flows.set(k, flow);
    }
    clearTimeout(flow.timer);
    const f = flow;
    f.timer = setTimeout(() => { flows.delete(k); f.socket.close(); }, UDP_FLOW_IDLE_MS);
    f.timer.unref();
    return f;
  };

  udp.on('message', (msg, rinfo) => {
    const backend = pick('UDP');
    // no ready endpoint: dropped, as kube-proxy rejects it; the client times out or retries
    if (!backend) return;
    const flow = flowFor(rinfo.address, rinfo.port);
    flow.peers.add(`${backend.host}:${backend.port}`);
    flow.socket.send(msg, backend.port, backend.host);
  });
  udp.on('error', () => undefined);

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const backend = pick('TCP');
    if (!backend) { client.destroy(); return; }
    const upstream = net.connect(backend.port, backend.host);
    sockets.add(upstream);
    upstream.on('close', () => { sockets.delete(upstream); client.destroy(); });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    tcp.once('error', (e) => reject(listenError(e, host, port)));
    tcp.listen(port, host, () => resolve());
  });
  const realPort = (tcp.address() as net.AddressInfo).port;
  await new Promise<void>((resolve, reject) => {
    udp.once('error', (e) => { tcp.close(); reject(listenError(e, host, realPort)); });
    udp.bind(realPort, host, () => resolve());
  });

  return {
    host,
    port: realPort,
    async close() {
      for (const f of flows.values()) { clearTimeout(f.timer); f.socket.close(); }
      flows.clear();
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => tcp.close(() => r())),
        new Promise<void>((r) => udp.close(() => r())),
      ]);
    },
  };
}
