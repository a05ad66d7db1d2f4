// The container runtime's side of pods/portforward. kops's nodes run Docker, where the kubelet's
// CRI shim forwards with `socat - TCP4:localhost:<port>` inside the pod's network namespace, so
// a port nothing listens on fails with socat's connect error wrapped by the kubelet
// ("error forwarding port %d to pod %s, uid %v: %v", pkg/kubelet/cri/streaming/portforward).
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { KubeObject } from '../contracts.ts';
import type { ServiceProxy } from '../proxy/index.ts';

/** the pod sandbox's container id: the "pod" the kubelet's message names */
function sandboxId(pod: KubeObject): string {
  return createHash('sha256').update(`sandbox/${pod.metadata.uid ?? pod.metadata.name}`).digest('hex');
}

function socatTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function forwardError(pod: KubeObject, port: number, now = new Date()): Error {
  const pid = 1000 + (parseInt(sandboxId(pod).slice(0, 6), 16) + port) % 30000;
  return new Error(`error forwarding port ${port} to pod ${sandboxId(pod)}, uid : exit status 1: ` +
    `${socatTime(now)} socat[${pid}] E connect(5, AF=2 127.0.0.1:${port}, 16): Connection refused\n`);
}

/** a connection to the pod's own listener on `port` (its pod IP's, as localhost in its namespace reaches it) */
export function dialPodPort(proxy: ServiceProxy, pod: KubeObject, port: number): Promise<Socket> {
  const podIP = (pod.status as { podIP?: string } | undefined)?.podIP;
  const real = podIP ? proxy.backends.lookup(podIP, port, 'TCP') : undefined;
  if (!real) return Promise.reject(forwardError(pod, port));
  return new Promise((resolve, reject) => {
    const sock = connect(real.port, real.host);
    sock.once('connect', () => {
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', () => reject(forwardError(pod, port)));
  });
}
