// A UDP socket feeding the dispatcher. The lookup is synchronous because the address we
// send to is always the IP a packet came from: no resolver, no extra tick per answer.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Dispatcher } from './dispatch.ts';
import { ListenError } from '../errors.ts';

const lookup4 = (addr: string, _opts: unknown, cb: (err: Error | null, address: string, family: number) => void) => cb(null, addr, 4);
const lookup6 = (addr: string, _opts: unknown, cb: (err: Error | null, address: string, family: number) => void) => cb(null, addr, 6);

export async function listenUdp(host: string, port: number, dispatcher: Dispatcher): Promise<dgram.Socket> {
  const v6 = isIPv6(host);
  const socket = dgram.createSocket({
    type: v6 ? 'udp6' : 'udp4',
    recvBufferSize: 1 << 20,
    lookup: (v6 ? lookup6 : lookup4) as unknown as dgram.SocketOptions['lookup'],
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (err) => reject(new ListenError(`udp ${host}:${port}`, err.message)));
    socket.bind(port, host, () => resolve());
  });
  socket.on('error', () => {
    // ICMP errors for one client (port unreachable) must not stop the socket
  });
  socket.on('message', (msg, rinfo) => {
    dispatcher.handle(msg, rinfo.address, rinfo.port, 'udp', (head, tail, opt) => {
      try {
        socket.send(tail === undefined ? head : opt === undefined ? [head, tail] : [head, tail, opt], rinfo.port, rinfo.address);
      } catch {
        // the socket closed while the answer was being computed (stop or reload)
      }
    });
  });
  return socket;
}
