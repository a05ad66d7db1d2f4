// A pod's HTTP client connects from 127.0.0.1 like every socket here; recording its local port
// with the pod IP (proxy/client-identity.ts) makes the server it reaches see the pod, as a real
// server behind a ClusterIP does (kube-proxy DNATs the destination only): nginx's access log
// then names the curl or wget pod, not 127.0.0.1.
import type http from 'node:http';
import type { ServiceProxy } from '../../proxy/index.ts';

export function connectAsPod(ctx: { proxy: ServiceProxy; podIP: string }, req: http.ClientRequest): void {
  req.once('socket', (sock) => {
    const record = () => {
      if (!sock.localPort) return;
      const forget = ctx.proxy.clients.register(sock.localPort, 'tcp', ctx.podIP);
      sock.once('close', forget);
    };
    // a socket the agent kept alive is connected already
    if (sock.localPort) record(); else sock.once('connect', record);
  });
}
