// The floor for a Node DNS server: a bare node:dgram echo through the public API, with nothing
// between receive and send (it sets QR on the query and sends it back, so dnsperf counts an
// answer). Same socket options as dns-server's UDP listener. bench/dns runs it pinned beside ours
// and dnsmasq, so ours/echo says how much of what Node can do per core is left on the table.
//   node bench/dns/echo-server.mjs PORT
import dgram from 'node:dgram';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`echo-server: usage: node bench/dns/echo-server.mjs PORT (got ${process.argv[2] ?? 'nothing'})`);
  process.exit(2);
}
const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20, lookup: (a, _o, cb) => cb(null, a, 4) });
socket.on('error', () => {});
socket.on('message', (msg, rinfo) => {
  msg[2] |= 0x80;
  socket.send(msg, rinfo.port, rinfo.address);
});
socket.bind(port, '127.0.0.1', () => console.log(`echo on 127.0.0.1:${port}`));
process.on('SIGTERM', () => socket.close(() => process.exit(0)));
