// A container's HTTP port on the emulated network: a node:http server on a loopback port,
// registered with the service proxy under the pod IP and the container port, so probes, Services
// and other pods' wget/curl reach it at <podIP>:<port>. Clients show up with their pod IP (or the
// node's for the kubelet's probes) through the proxy's client identities.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PodView } from './pod-spec.ts';
import type { RuntimeContext } from './runtime-context.ts';

export type HttpHandler = (req: http.IncomingMessage, res: http.ServerResponse, client: string) => void;

export interface HttpListener {
  close(): Promise<void>;
}

// only the proxy and the pod IP are used, so a process inside a container (agnhost's servers) can open one too
export async function startHttpListener(
  ctx: Pick<RuntimeContext, 'proxy'>, pod: Pick<PodView, 'podIP'>, port: number, handler: HttpHandler,
): Promise<HttpListener> {
  const server = http.createServer((req, res) => {
    const s = req.socket;
    const client = ctx.proxy.clients.mapClient(s.remoteAddress ?? '127.0.0.1', s.remotePort ?? 0, 'tcp').address;
    handler(req, res, client);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const real = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
  const unregister = ctx.proxy.backends.register(pod.podIP, port, 'TCP', real);
  return {
    close: () => {
      unregister();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
