// The two things the bench measures, behind one shape: a bash reached through the lab server
// (WebSocket + session + mirror + flow control), and a bare node-pty bash in this process
// (the floor: no WebSocket, no mirror).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pty from '@lydell/node-pty';
import WebSocket from 'ws';
import { FLOW, TERMINAL_WS_PATH, type ClientMessage } from '../../sandbox/terminal/protocol.ts';

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
  // a minimal client, like the page minus rendering: the bench measures the server, not a
  // client's string handling (sandbox/terminal/node-client.ts keeps text for matching)
  const ws = new WebSocket(`ws://127.0.0.1:${port}${TERMINAL_WS_PATH}`, {
    headers: { Origin: `http://127.0.0.1:${port}`, Authorization: `Bearer ${token}` },
    perMessageDeflate: false,
  });
  const send = (m: ClientMessage) => ws.send(JSON.stringify(m));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let listener: (c: Buffer) => void = () => {};
  let unacked = 0;
  let ackTimer: NodeJS.Timeout | undefined;
  const flushAck = () => {
    clearTimeout(ackTimer);
    ackTimer = undefined;
    if (unacked) send({ t: 'ack', n: unacked });
    unacked = 0;
  };
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    const buf = data as Buffer;
    listener(buf);
    unacked += buf.length;
    if (unacked >= FLOW.ackEvery) flushAck();
    else ackTimer ??= setTimeout(flushAck, 20);
  });
  send({ t: 'hello', session: null, cols: 80, rows: 24 });
  return {
    name: 'lab server (ws + session + mirror)',
    write: (s) => send({ t: 'in', d: s }),
    onData: (cb) => (listener = cb),
    close: async () => {
      clearTimeout(ackTimer);
      ws.terminate();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
