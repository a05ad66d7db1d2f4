// Starts a dns-server for a test on random ports and collects its log lines.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDnsServer, type DnsServerHandle } from '../index.ts';
import type { ServerHooks } from '../core/plugin.ts';

export interface TestServer {
  handle: DnsServerHandle;
  /** the UDP/TCP port of the first DNS listener */
  port: number;
  logs: string[];
  /** real port of an HTTP endpoint */
  http(kind: 'health' | 'ready' | 'metrics'): number;
  /** Corefile path (when written to a temp file) */
  conf: string;
  dir: string;
  stop(): Promise<void>;
  /** resolves once a log line matches */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<string>;
}

export interface TestServerOptions {
  hooks?: ServerHooks;
  env?: Record<string, string | undefined>;
  /** extra files to write next to the Corefile */
  files?: Record<string, string>;
}

/** The Corefile may use ":0" ports; all HTTP endpoints should ask for 127.0.0.1:0. */
export async function startTestServer(corefile: string, o: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dns-server-test-'));
  for (const [name, text] of Object.entries(o.files ?? {})) writeFileSync(join(dir, name), text);
  const conf = join(dir, 'Corefile');
  writeFileSync(conf, corefile.replaceAll('$DIR', dir));
  const logs: string[] = [];
  const waiters: Array<{ re: RegExp; resolve(l: string): void }> = [];
  const log = (line: string) => {
    logs.push(line);
    for (const w of [...waiters]) if (w.re.test(line)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  };
  let handle: DnsServerHandle;
  try {
    handle = await startDnsServer({ conf, log, hooks: o.hooks, env: o.env ?? { ...process.env, DIR: dir } });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const dns = handle.addresses().find((a) => a.kind === 'dns');
  return {
    handle, logs, conf, dir,
    port: dns?.port ?? 0,
    http(kind) {
      const a = handle.addresses().find((x) => x.kind === kind);
      if (!a) throw new Error(`no ${kind} endpoint in ${JSON.stringify(handle.addresses())}`);
      return a.port;
    },
    async stop() {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    waitForLog(re, timeoutMs = 10_000) {
      const found = logs.find((l) => re.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { re, resolve: (l: string) => { clearTimeout(t); resolve(l); } };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no log line matching ${re} within ${timeoutMs} ms; got:\n${logs.join('\n')}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
  };
}
