// The one place the runtimes touch the dns-server package, through its public entry point only.
import { startDnsServer, type StartOptions } from '../../../../dns-server/index.ts';

export interface RunningServer {
  ready(): boolean;
  stop(): Promise<void>;
  /** the server halted on its own (the loop plugin, a listener failure) */
  onFatal(fn: (message: string) => void): void;
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const handle = await startDnsServer(opts);
  return {
    ready: () => handle.ready(),
    stop: () => handle.stop(),
    onFatal: (fn) => {
      void handle.exited.then((err) => { if (err) fn(err.message); });
    },
  };
}
