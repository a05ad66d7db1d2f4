// The one way a test starts something that needs a fixed port number (a Corefile's `.:PORT`,
// dnsmasq's --port, a server's -dns.port): a number free on both UDP and TCP at the moment it is
// probed, then the start, tried again on another number when the port was taken in between (the
// runner runs four files at once, and their servers and kubectl take ports too).

import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

/** a port free on both UDP and TCP at 0.0.0.0 right now (another process may take it at any time) */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '0.0.0.0', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const ok = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '0.0.0.0', () => u.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no port free on both UDP and TCP found in 20 tries');
}

const IN_USE = /EADDRINUSE|address already in use/i;

/**
 * `start(port)` on a free port; when it fails because the port was taken meanwhile (its error
 * says EADDRINUSE or "address already in use"), again on another, up to three times in all.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (err) {
      if (attempt >= 3 || !IN_USE.test(err instanceof Error ? err.message : String(err))) throw err;
    }
  }
}
