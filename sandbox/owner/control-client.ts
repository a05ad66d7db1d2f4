// The other end of the control channel, for `sandbox status|reset|down`: find the owner from the
// state dir's lock, ask it over its socket, and return its answer. Never a signal.
import { connect } from 'node:net';
import { resolve } from 'node:path';
import type { ControlRequest, ControlResponse } from './control-protocol.ts';
import { ControlError, OwnerNotAnsweringError, SandboxNotRunningError } from './errors.ts';
import { readLock, type LockInfo } from './lock.ts';

export interface OwnerAnswer<T> {
  holder: LockInfo;
  result: T;
}

/** send one request to the socket at path and resolve with the response line */
export function request(path: string, req: ControlRequest, timeoutMs: number): Promise<ControlResponse> {
  return new Promise((resolveReply, reject) => {
    const socket = connect(path);
    let buffer = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(JSON.stringify({ id: 1, ...req }) + '\n'));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      socket.end();
      try {
        resolveReply(JSON.parse(buffer.slice(0, nl)) as ControlResponse);
      } catch {
        reject(new Error('the owner answered something that is not JSON'));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error('the owner closed the connection without answering'));
    });
  });
}

/**
 * Ask the owner of stateDir. Throws SandboxNotRunningError when nobody owns it,
 * OwnerNotAnsweringError when its socket does not answer, ControlError with the owner's code
 * when it refuses.
 */
export async function askOwner<T>(stateDirInput: string, req: ControlRequest, timeoutMs = 10_000): Promise<OwnerAnswer<T>> {
  const stateDir = resolve(stateDirInput);
  const holder = readLock(stateDir);
  if (!holder) throw new SandboxNotRunningError(stateDir);
  if (!holder.control) throw new OwnerNotAnsweringError(stateDir, holder, 'it has not opened its control socket yet');
  let res: ControlResponse;
  try {
    res = await request(holder.control, req, timeoutMs);
  } catch (err) {
    throw new OwnerNotAnsweringError(stateDir, holder, (err as Error).message);
  }
  if (!res.ok) throw new ControlError(res.error.code, res.error.message);
  return { holder, result: res.result as T };
}

/** wait until the owner that held stateDir has let go of it */
export async function waitForRelease(stateDir: string, holder: LockInfo, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = readLock(stateDir);
    if (!now || now.pid !== holder.pid || now.startTime !== holder.startTime) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
