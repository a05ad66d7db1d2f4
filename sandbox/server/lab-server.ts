// Starts the lab's HTTP server: the express app, the terminal WebSocket behind the same gate,
// and the session manager. Everything it opens, close() closes.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { hostname, networkInterfaces } from 'node:os';
import { STATUS_CODES } from 'node:http';
import { WebSocketServer } from 'ws';
import { createApp } from './app.ts';
import type { ClusterInfo } from '../providers/types.ts';
import { newToken } from './auth-token.ts';
import { BindError, PortInUseError } from './errors.ts';
import { allowedHostsFor, gateUpgrade, type GateConfig } from './gate.ts';
import { SessionManager, type SessionManagerOptions } from '../terminal/session-manager.ts';
import { bridgeSocket } from '../terminal/ws-bridge.ts';
import { TERMINAL_WS_PATH } from '../terminal/protocol.ts';
import { prepareWorkspace, type Workspace } from '../terminal/workspace.ts';
import { ResetEpoch } from '../owner/reset-epoch.ts';
import type { ResetResult } from '../owner/control-protocol.ts';
import type { ControlHandlers } from '../owner/control-server.ts';
import { askOwner } from '../owner/control-client.ts';
import { ProgressStore } from './progress-store.ts';
import { DnsPanelHub } from './dns-panel/routes.ts';

/** a reset in place takes seconds on the embedded cluster, minutes on kind */
const RESET_TIMEOUT_MS = 300_000;

export interface LabServerOptions {
  host: string;
  /** 0 picks a free port */
  port: number;
  stateDir: string;
  token?: string;
  idleTimeoutMs: number;
  maxSessions?: number;
  /** terminals one browser may keep without a tab before the oldest are ended (default 4) */
  maxDetachedPerBrowser?: number;
  /** dist/ to serve, or null while it is being built (see setSiteDist) */
  siteDist: string | null;
  cluster?: () => Promise<ClusterInfo>;
  /** replace bash (tests, bench) */
  shell?: SessionManagerOptions['command'];
  templatesDir?: string;
}

export interface LabServer {
  url: string;
  host: string;
  port: number;
  token: string;
  workspace: Workspace;
  sessions: SessionManager;
  setSiteDist(dist: string | null): void;
  setCluster(fn: () => Promise<ClusterInfo>): void;
  /** the owner's control handlers, offered over HTTP at /api/control (a workshop's remote seats) */
  setControl(h: ControlHandlers): void;
  /** what resetCluster() runs: the provider's reset in place, or null when there is none */
  setClusterReset(fn: (() => Promise<void>) | null): void;
  /**
   * Back to the chapter's Status Quo with the server and the shells kept running. The new epoch
   * shows on GET /api/status, and the page clears its steps' statuses when it sees it. For
   * `sandbox reset --in-place` and the page's "Reset the sandbox" button.
   */
  resetCluster(): Promise<ResetResult>;
  resetState(): { epoch: number; at: string | null };
  close(): Promise<void>;
}

function abortHandshake(socket: Duplex, status: number, body: object): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

function interfaceAddresses(): string[] {
  const out = [hostname()];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address);
  return out;
}

export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') reject(new PortInUseError(host, port));
      else reject(new BindError(host, port, err.code ?? err.message));
    };
    const onListening = () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startLabServer(opts: LabServerOptions): Promise<LabServer> {
  const token = opts.token ?? newToken();
  const workspace = prepareWorkspace(opts.stateDir, opts.templatesDir);
  const sessions = new SessionManager({
    workspace,
    idleTimeoutMs: opts.idleTimeoutMs,
    maxSessions: opts.maxSessions,
    maxDetachedPerClient: opts.maxDetachedPerBrowser,
    command: opts.shell,
  });
  const wildcard = opts.host === '0.0.0.0' || opts.host === '::';
  const gate: GateConfig = {
    token,
    port: opts.port,
    allowedHosts: allowedHostsFor(opts.host, wildcard ? interfaceAddresses() : []),
  };
  let siteDist = opts.siteDist;
  let cluster =
    opts.cluster ??
    (async (): Promise<ClusterInfo> => ({ provider: 'none', state: 'stopped', kubeconfig: workspace.kubeconfig, message: 'no cluster provider started' }));

  const resets = new ResetEpoch();
  let control: ControlHandlers | null = null;
  const progress = new ProgressStore(workspace.stateDir);
  const dnsPanel = new DnsPanelHub(() => cluster());
  const app = createApp({
    control: { handlers: () => control, stateDir: opts.stateDir },
    gate: () => gate,
    resets: () => resets.snapshot(),
    progress,
    // the page resets as `sandbox reset --in-place` does: through the state dir's owner (serve,
    // in this process), which refuses while it starts or stops and says so
    resetSandbox: async () => (await askOwner<ResetResult>(workspace.stateDir, { op: 'reset' }, RESET_TIMEOUT_MS)).result,
    siteDist: () => siteDist,
    cluster: () => cluster(),
    sessions: () => sessions.size,
    dnsPanel,
  });
  const server = createServer(app);
  // no compression: per-message deflate costs 3-4x throughput on pty streams (perf-anchors.md)
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 256 * 1024 });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    const v = gateUpgrade(req, gate);
    if (!v.ok) return abortHandshake(socket, v.status, { error: { code: v.code, message: v.message } });
    if (path !== TERMINAL_WS_PATH)
      return abortHandshake(socket, 404, { error: { code: 'LAB_ERR_NOT_FOUND', message: `no WebSocket endpoint at ${path}; the terminal is at ${TERMINAL_WS_PATH}` } });
    wss.handleUpgrade(req, socket, head, (ws) => bridgeSocket(ws, sessions, v.client));
  });

  let port: number;
  try {
    port = await listen(server, opts.host, opts.port);
    await sessions.ready();
  } catch (err) {
    await sessions.stopAll();
    server.close();
    throw err;
  }
  gate.port = port;
  const shownHost = wildcard ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    host: opts.host,
    port,
    token,
    workspace,
    sessions,
    setSiteDist(dist) {
      siteDist = dist;
    },
    setCluster(fn) {
      cluster = fn;
    },
    setControl(h) {
      control = h;
    },
    setClusterReset(fn) {
      resets.setTarget(fn);
    },
    resetCluster: () =>
      resets.run().then((r) => {
        progress.afterReset();
        return r;
      }),
    resetState: () => resets.snapshot(),
    close() {
      closing ??= (async () => {
        const stopped = sessions.stopAll();
        const dnsStopped = dnsPanel.close();
        for (const c of wss.clients) c.terminate();
        wss.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.all([stopped, closed, dnsStopped]);
      })();
      return closing;
    },
  };
}
