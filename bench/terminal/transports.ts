// The two things the bench measures, behind one shape: a bash reached through the lab server
// (WebSocket + session + mirror + flow control), and a bare node-pty bash in this process
// (the floor: no WebSocket, no mirror).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pty from '@lydell/node-pty';
import { TermClient } from '../../sandbox/terminal/node-client.ts';

export interface Transport {
  name: string;
  write(s: string): void;
  onData(cb: (chunk: Buffer) => void): void;
  close(): Promise<void>;
}

export function barePty(): Transport {
  const p = pty.spawn('bash', ['--noprofile', '--norc', '-i'], {
    name: 'xterm-256color',
    cols: 80,
    rows: 24,
    env: { ...process.env, TERM: 'xterm-256color' } as Record<string, string>,
    encoding: null,
  });
  let listener: (c: Buffer) => void = () => {};
  p.onData((d) => listener(d as unknown as Buffer));
  return {
    name: 'bare node-pty (floor)',
    write: (s) => p.write(s),
    onData: (cb) => (listener = cb),
    close: async () => p.kill('SIGHUP'),
  };
}

export async function labServer(): Promise<Transport> {
  const script = fileURLToPath(new URL('./lab-server-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const { port, token } = JSON.parse(line) as { port: number; token: string };
  const client = await TermClient.open({ base: `http://127.0.0.1:${port}`, token });
  return {
    name: 'lab server (ws + session + mirror)',
    write: (s) => client.type(s),
    onData: (cb) => (client.onData = cb),
    close: async () => {
      client.ws.terminate();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
