// The floor for our server: an echo through the same direct UDP handle path dns-server uses
// (attachFastPath from dns-server/core/udp-listener.ts), with nothing between receive and send
// but setting QR. What it reaches against dnsmasq is the most any server built on Node's UDP
// handle can reach on this machine: ours does the same receive and send plus the DNS work.
//   node --import tsx bench/dns/fast-echo-server.ts PORT
import dgram from 'node:dgram';
import { attachFastPath } from '../../dns-server/core/udp-listener.ts';
import type { Dispatcher, Send } from '../../dns-server/core/dispatch.ts';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`fast-echo-server: usage: node --import tsx bench/dns/fast-echo-server.ts PORT (got ${process.argv[2] ?? 'nothing'})`);
  process.exit(2);
}
const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
socket.on('error', () => {});
const echo = {
  handle(buf: Buffer, address: string, p: number, _transport: 'udp' | 'tcp', send: Send): void {
    buf[2]! |= 0x80;
    send(buf, undefined, undefined, address, p);
  },
} as unknown as Dispatcher;
socket.bind(port, '127.0.0.1', () => {
  if (!attachFastPath(socket, echo)) {
    console.error('fast-echo-server: this node has no direct UDP handle path (dns-server falls back to dgram here too)');
    process.exit(1);
  }
  console.log(`echo on 127.0.0.1:${port}`);
});
process.on('SIGTERM', () => socket.close(() => process.exit(0)));
