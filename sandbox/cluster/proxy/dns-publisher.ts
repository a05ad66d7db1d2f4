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

/** with port 0, how many free TCP ports to try before giving up on finding the same UDP port free */
const FREE_PORT_ATTEMPTS = 5;

export async function publishDns(pick: BackendPicker, port: number, host = '127.0.0.1'): Promise<PublishedDns> {
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

  const query = (msg: Buffer, rinfo: dgram.RemoteInfo) => {
    const backend = pick('UDP');
    // no ready endpoint: dropped, as kube-proxy rejects it; the client times out or retries
    if (!backend) return;
    const flow = flowFor(rinfo.address, rinfo.port);
    flow.peers.add(`${backend.host}:${backend.port}`);
    flow.socket.send(msg, backend.port, backend.host);
  };
  const udpSocket = () => dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4').on('message', query).on('error', () => undefined);
  let udp = udpSocket();

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

  // TCP picks the port (or takes the one asked for), then UDP binds the same number. With port 0
  // another process may hold that number for UDP alone: try another free TCP port then.
  let realPort = port;
  for (let attempt = 1; ; attempt++) {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', (e) => reject(listenError(e, host, port)));
      tcp.listen(port, host, () => resolve());
    });
    realPort = (tcp.address() as net.AddressInfo).port;
    const bound = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      udp.once('error', resolve);
      udp.bind(realPort, host, () => resolve(undefined));
    });
    if (!bound) break;
    await new Promise<void>((r) => tcp.close(() => r()));
    udp.close();
    if (port !== 0 || bound.code !== 'EADDRINUSE' || attempt === FREE_PORT_ATTEMPTS) throw listenError(bound, host, realPort);
    udp = udpSocket();
  }

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
