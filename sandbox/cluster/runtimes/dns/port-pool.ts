// Loopback ports free for both UDP and TCP, taken ahead of time: the DNS server asks where to
// listen through a synchronous hook (mapListen), so the runtime must already hold the answer.
import dgram from 'node:dgram';
import net from 'node:net';

async function tryPort(): Promise<number | undefined> {
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  const port = udp.address().port;
  const tcp = net.createServer();
  const ok = await new Promise<boolean>((r) => {
    tcp.once('error', () => r(false));
    tcp.listen(port, '127.0.0.1', () => r(true));
  });
  if (ok) await new Promise<void>((r) => tcp.close(() => r()));
  await new Promise<void>((r) => udp.close(() => r()));
  return ok ? port : undefined;
}

/** n ports that were free on UDP and TCP a moment ago */
export async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let attempts = 0; out.length < n && attempts < n * 10; attempts++) {
    const p = await tryPort();
    if (p !== undefined && !out.includes(p)) out.push(p);
  }
  return out;
}
