// registry.k8s.io/goproxy:0.1, the probes page's tcpSocket example: a small Go HTTP proxy (built
// on elazarl/goproxy) listening on 8080, in an image with nothing else (no shell to exec). The
// page probes only the TCP port, which is what matters here: the listener is there from the
// start, so the readiness probe passes and the liveness probe never fails. A plain request (not
// a proxy request) gets goproxy's NonproxyHandler answer, http.Error's 500; proxying onwards is
// not emulated. It logs nothing unless verbose.
import type { ContainerLog } from './container-log.ts';
import type { PodView } from './pod-spec.ts';
import { ProcessHandle } from './process-handle.ts';
import { startHttpListener } from './http-listener.ts';
import { servingProcess } from './idle-container.ts';
import type { RuntimeContext } from './runtime-context.ts';
import { goReply } from './tools/agnhost.ts';

export const NON_PROXY_ANSWER = 'This is a proxy server. Does not respond to non-proxy requests.\n';

export async function startGoproxyContainer(ctx: RuntimeContext, pod: PodView, log: ContainerLog): Promise<ProcessHandle> {
  const h = new ProcessHandle();
  const listeners = pod.podIP ? [await startHttpListener(ctx, pod, 8080, (_req, res) => goReply(res, 500, NON_PROXY_ANSWER))] : [];
  // a Go binary as PID 1 with no SIGTERM handler: the Go runtime's dieFromSignal cannot kill PID 1
  // with the default action and exits 2 instead, at once
  return servingProcess(h, listeners, log, { exitCode: 2, reason: 'Error' });
}
