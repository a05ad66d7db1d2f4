// The owner's end of the control channel: a Unix socket (mode 0600) in the state dir, or in a
// private 0700 dir under the runtime dir when the state dir's path is too long for sun_path.
import { chmodSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONTROL_OPS,
  CONTROL_SOCKET,
  ControlErrorCode,
  MAX_NOTICE_CHARS,
  MAX_REQUEST_BYTES,
  type ControlRequest,
  type ControlResponse,
} from './control-protocol.ts';
import { ControlError } from './errors.ts';

/** sun_path is 108 bytes on Linux and 104 on macOS, both counting the terminating NUL */
const SUN_PATH_MAX = process.platform === 'linux' ? 107 : 103;

export interface ControlReply {
  result: unknown;
  /** runs once the response is written (down: stop the owner) */
  after?: () => void;
}

export interface ControlHandlers {
  status(): Promise<unknown>;
  reset(): Promise<unknown>;
  down(force: boolean): Promise<ControlReply>;
  /** owners with pages (serve) pass a notice on to them */
  notice?(text: string, level: 'info' | 'warning'): Promise<unknown>;
}

export interface ControlServer {
  /** the socket's path, to record in the lock */
  path: string;
  close(): Promise<void>;
}

function socketPath(stateDir: string): { path: string; privateDir?: string } {
  const inStateDir = join(stateDir, CONTROL_SOCKET);
  if (Buffer.byteLength(inStateDir) <= SUN_PATH_MAX) return { path: inStateDir };
  const base = process.env.XDG_RUNTIME_DIR || tmpdir();
  const privateDir = mkdtempSync(join(base, 'coredns-lab-')); // mode 0700
  return { path: join(privateDir, CONTROL_SOCKET), privateDir };
}

function parseRequest(line: string): ControlRequest {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new ControlError(ControlErrorCode.BAD_REQUEST, 'a request is one JSON object per line');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ControlError(ControlErrorCode.BAD_REQUEST, 'a request is one JSON object per line');
  const r = v as Record<string, unknown>;
  if (typeof r.op !== 'string') throw new ControlError(ControlErrorCode.BAD_REQUEST, 'a request needs "op"');
  if (!(CONTROL_OPS as readonly string[]).includes(r.op)) throw new ControlError(ControlErrorCode.UNKNOWN_OP, `unknown op "${r.op}"; use one of ${CONTROL_OPS.join(', ')}`);
  if (r.force !== undefined && typeof r.force !== 'boolean') throw new ControlError(ControlErrorCode.BAD_REQUEST, '"force" must be true or false');
  if (r.id !== undefined && typeof r.id !== 'number' && typeof r.id !== 'string') throw new ControlError(ControlErrorCode.BAD_REQUEST, '"id" must be a number or a string');
  if (r.op === 'notice') {
    if (typeof r.text !== 'string' || !r.text.trim()) throw new ControlError(ControlErrorCode.BAD_REQUEST, 'notice needs "text", a non-empty string');
    if (r.text.length > MAX_NOTICE_CHARS) throw new ControlError(ControlErrorCode.BAD_REQUEST, `"text" is at most ${MAX_NOTICE_CHARS} characters`);
    if (r.level !== undefined && r.level !== 'info' && r.level !== 'warning') throw new ControlError(ControlErrorCode.BAD_REQUEST, '"level" must be "info" or "warning"');
  }
  return r as unknown as ControlRequest;
}

function idOf(line: string): number | string | undefined {
  try {
    const id = (JSON.parse(line) as { id?: unknown }).id;
    return typeof id === 'number' || typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** one request line's answer, as the socket sends it (control-routes.ts answers HTTP with it too) */
export async function answer(line: string, handlers: ControlHandlers): Promise<{ response: ControlResponse; after?: () => void }> {
  const id = idOf(line);
  try {
    const req = parseRequest(line);
    if (req.op === 'status') return { response: { id, ok: true, result: await handlers.status() } };
    if (req.op === 'reset') return { response: { id, ok: true, result: await handlers.reset() } };
    if (req.op === 'notice') {
      if (!handlers.notice) throw new ControlError(ControlErrorCode.NOT_SUPPORTED, 'this owner has no pages to show a notice on; notices go to a `serve` owner');
      return { response: { id, ok: true, result: await handlers.notice(req.text!.trim(), req.level ?? 'info') } };
    }
    const reply = await handlers.down(req.force === true);
    return { response: { id, ok: true, result: reply.result }, after: reply.after };
  } catch (err) {
    const code = err instanceof ControlError ? (err.code as ControlErrorCode) : ControlErrorCode.INTERNAL;
    return { response: { id, ok: false, error: { code, message: (err as Error).message } } };
  }
}

export function startControlServer(stateDir: string, handlers: ControlHandlers): Promise<ControlServer> {
  const { path, privateDir } = socketPath(stateDir);
  // the owner holds the state dir's lock, so a socket file left here is a dead owner's
  try {
    unlinkSync(path);
  } catch {
    // none
  }
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8');
    let buffer = '';
    let queue = Promise.resolve();
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST_BYTES && !buffer.includes('\n')) {
        const res: ControlResponse = { ok: false, error: { code: ControlErrorCode.BAD_REQUEST, message: `a request line is at most ${MAX_REQUEST_BYTES} bytes` } };
        socket.end(JSON.stringify(res) + '\n');
        buffer = '';
        return;
      }
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        // one request at a time per connection, so responses come back in order
        queue = queue.then(async () => {
          const { response, after } = await answer(line, handlers);
          if (!socket.destroyed) socket.write(JSON.stringify(response) + '\n', () => after?.());
          else after?.();
        });
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => {
      if (privateDir) rmSync(privateDir, { recursive: true, force: true });
      reject(err);
    });
    // the socket is created 0600 from the start (the umask covers bind), not chmod-ed after
    const oldMask = process.umask(0o177);
    try {
      server.listen(path, () => {
        chmodSync(path, 0o600);
        let closing: Promise<void> | undefined;
        resolve({
          path,
          close() {
            closing ??= new Promise<void>((done) => {
              server.close(() => done());
              for (const c of connections) c.end();
              setTimeout(() => {
                for (const c of connections) c.destroy();
              }, 1000).unref();
            }).finally(() => {
              try {
                unlinkSync(path);
              } catch {
                // the server removed it
              }
              if (privateDir) rmSync(privateDir, { recursive: true, force: true });
            });
            return closing;
          },
        });
      });
    } finally {
      process.umask(oldMask);
    }
  });
}
