// A UDP socket feeding the dispatcher. The lookup is synchronous because the address we
// send to is always the IP a packet came from: no resolver, no extra tick per answer.
//
// Per packet, node's public dgram path costs an EventEmitter emit, an rinfo property write, and
// in send() argument normalisation, a lookup closure, a new SendWrap and async-id bookkeeping.
// Where node's internals look the way they do in Node 18-22, this listener talks to the socket's
// UDP handle directly instead (handle.onmessage in, handle.send out, one SendWrap reused while
// sends complete synchronously, as they nearly always do). Measured in the same run (two
// servers sharing one core, bench/dns): about 5-8% more answers per CPU-second for a bare echo.
// Each piece is checked once at listen time; anything unexpected (or DNS_UDP_FASTPATH=0) keeps
// the public API, which behaves the same.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Dispatcher, Send } from './dispatch.ts';
import { ListenError } from '../errors.ts';

const lookup4 = (addr: string, _opts: unknown, cb: (err: Error | null, address: string, family: number) => void) => cb(null, addr, 4);
const lookup6 = (addr: string, _opts: unknown, cb: (err: Error | null, address: string, family: number) => void) => cb(null, addr, 6);

export async function listenUdp(
  host: string,
  port: number,
  dispatcher: Dispatcher,
  env: Record<string, string | undefined> = process.env,
): Promise<dgram.Socket> {
  const v6 = isIPv6(host);
  const socket = dgram.createSocket({
    type: v6 ? 'udp6' : 'udp4',
    recvBufferSize: 1 << 20,
    lookup: (v6 ? lookup6 : lookup4) as unknown as dgram.SocketOptions['lookup'],
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (err) => reject(new ListenError(`udp ${host}:${port}`, err.message)));
    socket.bind(port, host, () => resolve());
  });
  socket.on('error', () => {
    // ICMP errors for one client (port unreachable) must not stop the socket
  });
  if (env.DNS_UDP_FASTPATH === '0' || !attachFastPath(socket, dispatcher)) {
    const send: Send = (head, tail, opt, address, port) => {
      try {
        socket.send(tail === undefined ? head : opt === undefined ? [head, tail] : [head, tail, opt], port, address);
      } catch {
        // the socket closed while the answer was being computed (stop or reload)
      }
    };
    socket.on('message', (msg, rinfo) => dispatcher.handle(msg, rinfo.address, rinfo.port, 'udp', send));
  }
  return socket;
}

/** the parts of node's UDP handle (src/udp_wrap.cc) the fast path uses */
interface UdpHandle {
  onmessage: (nread: number, handle: unknown, buf: Buffer, rinfo: { address: string; port: number }) => void;
  /** returns bytes+1 when sent synchronously, 0 when queued (req then owns list), <0 on error */
  send(req: object, list: Buffer[], count: number, port: number, address: string, hasCallback: boolean): number;
}
interface SocketState {
  handle: UdpHandle | null;
}
type SendWrapCtor = new () => { list?: Buffer[] };

let sendWrapCtor: SendWrapCtor | null | undefined;

/** node's SendWrap constructor, or null where it cannot be had */
function sendWrap(): SendWrapCtor | null {
  if (sendWrapCtor !== undefined) return sendWrapCtor;
  sendWrapCtor = null;
  try {
    // process.binding is the documented-deprecated (DEP0111) way in; it only warns under --pending-deprecation
    const binding = (process as unknown as { binding(name: string): Record<string, unknown> }).binding('udp_wrap');
    const ctor = binding.SendWrap;
    if (typeof ctor === 'function') {
      new (ctor as SendWrapCtor)();
      sendWrapCtor = ctor as SendWrapCtor;
    }
  } catch {
    // a runtime without the binding (or with process.binding removed): public API
  }
  return sendWrapCtor;
}

/** dgram's private per-socket state (lib/dgram.js kStateSymbol), if it looks as expected */
function socketState(socket: dgram.Socket): SocketState | undefined {
  const sym = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
  const state = sym === undefined ? undefined : (socket as unknown as Record<symbol, SocketState | undefined>)[sym];
  const h = state?.handle;
  if (!h || typeof h.onmessage !== 'function' || h.onmessage.length !== 4 || typeof h.send !== 'function') return undefined;
  return state;
}

/** installs the direct path on a bound socket; false (nothing changed) when node's internals differ */
export function attachFastPath(socket: dgram.Socket, dispatcher: Dispatcher): boolean {
  const SendWrap = sendWrap();
  const state = socketState(socket);
  if (SendWrap === null || state === undefined) return false;
  const handle = state.handle!;
  let spare = new SendWrap();
  const send: Send = (head, tail, opt, address, port) => {
    const h = state.handle;
    if (h === null) return; // closed (stop or reload) while the answer was being computed
    const list = tail === undefined ? [head] : opt === undefined ? [head, tail] : [head, tail, opt];
    const req = spare;
    // the buffers must live as long as a queued send: the request object holds them
    req.list = list;
    const r = h.send(req, list, list.length, port, address, false);
    // 0: queued, node now owns req until the send completes; <0: failed (dropped, as socket.send
    // without a callback drops it)
    if (r <= 0) spare = new SendWrap();
  };
  handle.onmessage = (nread, _h, buf, rinfo) => {
    if (nread < 0) {
      socket.emit('error', Object.assign(new Error(`recvmsg ${nread}`), { errno: nread, syscall: 'recvmsg' }));
      return;
    }
    dispatcher.handle(buf, rinfo.address, rinfo.port, 'udp', send);
  };
  return true;
}
