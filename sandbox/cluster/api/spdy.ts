// The server side of SPDY/3.1 as kubectl's port-forward speaks it (github.com/moby/spdystream over
// the SPDY/3 draft, http://www.chromium.org/spdy/spdy-protocol/spdy-protocol-draft3): frames on a
// byte stream that is either the upgraded HTTP connection or the binary messages of a WebSocket
// (client-go's TunnelingConnection). Only what a port-forward needs: the client opens streams
// (SYN_STREAM, answered with SYN_REPLY), both sides send DATA and half-close with FIN, RST_STREAM
// ends a stream, PINGs are echoed. spdystream does no flow control, so WINDOW_UPDATE is ignored
// and never sent.
import { inflateSync, constants as zlibConstants } from 'node:zlib';
import { EventEmitter } from 'node:events';

const VERSION = 3;
const enum FrameType {
  SynStream = 1,
  SynReply = 2,
  RstStream = 3,
  Settings = 4,
  Ping = 6,
  GoAway = 7,
  Headers = 8,
  WindowUpdate = 9,
}
const FLAG_FIN = 0x01;
/** RST_STREAM status codes (draft 3 §2.6.3) */
export const RST_CANCEL = 5;
export const RST_PROTOCOL_ERROR = 1;

/**
 * The header-block dictionary of SPDY/3 (draft 3 §2.6.10.1): length-prefixed header names and
 * values, then a run of common strings.
 */
const DICTIONARY_WORDS = [
  'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language',
  'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding',
  'content-language', 'content-length', 'content-location', 'content-md5', 'content-range', 'content-type', 'date', 'etag',
  'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
  'last-modified', 'location', 'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer',
  'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning',
  'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive',
  'origin',
];
const DICTIONARY_TAIL = '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden' +
  '404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,' +
  'publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';
export const SPDY3_DICTIONARY = Buffer.concat([
  ...DICTIONARY_WORDS.map((w) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length);
    return Buffer.concat([len, Buffer.from(w, 'latin1')]);
  }),
  Buffer.from(DICTIONARY_TAIL, 'latin1'),
]);

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of buf) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** a non-final stored deflate block (header bits 000, then LEN and its complement) */
function storedBlock(chunk: Buffer): Buffer {
  const hdr = Buffer.alloc(5);
  hdr.writeUInt16LE(chunk.length, 1);
  hdr.writeUInt16LE(~chunk.length & 0xffff, 3);
  return Buffer.concat([hdr, chunk]);
}

/** name/value pairs as the SPDY/3 header block carries them (multiple values NUL-separated) */
export type SpdyHeaders = Record<string, string>;

function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const entries = Object.entries(headers);
  parts.push(u32(entries.length));
  for (const [k, v] of entries) {
    const name = Buffer.from(k.toLowerCase(), 'utf8');
    const value = Buffer.from(v, 'utf8');
    parts.push(u32(name.length), name, u32(value.length), value);
  }
  return Buffer.concat(parts);
}

function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const out: SpdyHeaders = {};
  let off = 0;
  const u32 = () => {
    if (off + 4 > block.length) throw new Error('truncated header block');
    const n = block.readUInt32BE(off);
    off += 4;
    return n;
  };
  const str = (n: number) => {
    if (off + n > block.length) throw new Error('truncated header block');
    const s = block.subarray(off, off + n).toString('utf8');
    off += n;
    return s;
  };
  const count = u32();
  for (let i = 0; i < count; i++) {
    const name = str(u32());
    out[name] = str(u32());
  }
  return out;
}

/**
 * One direction's header compression context. Inbound: the peer's zlib stream (one per connection,
 * a SYNC_FLUSH after each block) is inflated from its start each time, which keeps this synchronous
 * and is cheap for the few short blocks a port-forward sends. Outbound: stored (uncompressed)
 * deflate blocks behind a zlib header naming the dictionary, which any inflater reads.
 */
class HeaderCodec {
  private inbound: Buffer = Buffer.alloc(0);
  private inflated = 0;
  private outboundStarted = false;

  inflate(block: Buffer): SpdyHeaders {
    this.inbound = Buffer.concat([this.inbound, block]);
    const all = inflateSync(this.inbound, { dictionary: SPDY3_DICTIONARY, finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const fresh = all.subarray(this.inflated);
    this.inflated = all.length;
    return decodeHeaderBlock(fresh);
  }

  deflate(headers: SpdyHeaders): Buffer {
    const raw = encodeHeaderBlock(headers);
    const parts: Buffer[] = [];
    if (!this.outboundStarted) {
      this.outboundStarted = true;
      // CMF 0x78 (deflate, 32K window), FLG 0xBB (FDICT, check bits), then the dictionary's Adler-32
      const head = Buffer.from([0x78, 0xbb, 0, 0, 0, 0]);
      head.writeUInt32BE(adler32(SPDY3_DICTIONARY), 2);
      parts.push(head);
    }
    for (let off = 0; off < raw.length; off += 0xffff) parts.push(storedBlock(raw.subarray(off, off + 0xffff)));
    // the SYNC_FLUSH marker: an empty stored block, on which an inflater hands over what it has
    parts.push(storedBlock(Buffer.alloc(0)));
    return Buffer.concat(parts);
  }
}

export interface SpdyStreamEvent {
  id: number;
  headers: SpdyHeaders;
  /** the client sent FIN with the SYN_STREAM */
  fin: boolean;
}

/**
 * Events: 'stream' (SpdyStreamEvent) for every SYN_STREAM, already answered with a SYN_REPLY;
 * 'data' (id, Buffer); 'fin' (id) when the client half-closes a stream; 'reset' (id) on its
 * RST_STREAM; 'error' (Error) for a malformed frame (the connection is then unusable); 'close'.
 */
export class SpdyServerConnection extends EventEmitter {
  private buf: Buffer = Buffer.alloc(0);
  private readonly codec = new HeaderCodec();
  private closed = false;
  private lastStreamId = 0;

  /** `send` writes bytes to the transport; `end` closes it */
  constructor(private readonly send: (bytes: Buffer) => void, private readonly end: () => void) {
    super();
  }

  /** bytes from the transport, in any split */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    try {
      while (this.buf.length >= 8) {
        const length = this.buf.readUInt32BE(4) & 0xffffff;
        if (this.buf.length < 8 + length) return;
        const frame = this.buf.subarray(0, 8 + length);
        this.buf = this.buf.subarray(8 + length);
        this.frame(frame);
      }
    } catch (e) {
      this.emit('error', e instanceof Error ? e : new Error(String(e)));
      this.close();
    }
  }

  private frame(f: Buffer): void {
    const flags = f[4]!;
    const payload = f.subarray(8);
    if ((f[0]! & 0x80) === 0) {
      const id = f.readUInt32BE(0) & 0x7fffffff;
      if (payload.length > 0) this.emit('data', id, Buffer.from(payload));
      if (flags & FLAG_FIN) this.emit('fin', id);
      return;
    }
    const version = f.readUInt16BE(0) & 0x7fff;
    if (version !== VERSION) throw new Error(`unsupported SPDY version ${version}`);
    switch (f.readUInt16BE(2)) {
      case FrameType.SynStream: {
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const headers = this.codec.inflate(payload.subarray(10));
        this.lastStreamId = Math.max(this.lastStreamId, id);
        this.control(FrameType.SynReply, 0, Buffer.concat([u32(id), this.codec.deflate({})]));
        this.emit('stream', { id, headers, fin: (flags & FLAG_FIN) !== 0 } satisfies SpdyStreamEvent);
        return;
      }
      case FrameType.RstStream:
        this.emit('reset', payload.readUInt32BE(0) & 0x7fffffff);
        return;
      case FrameType.Ping:
        this.control(FrameType.Ping, 0, payload.subarray(0, 4));
        return;
      case FrameType.GoAway:
        this.close();
        return;
      case FrameType.Headers:
        // a client's trailing headers: inflated to keep the compression context in step
        this.codec.inflate(payload.subarray(4));
        if (flags & FLAG_FIN) this.emit('fin', payload.readUInt32BE(0) & 0x7fffffff);
        return;
      default:
        // SETTINGS, WINDOW_UPDATE, SYN_REPLY (a server opens no streams): nothing to do
        return;
    }
  }

  private control(type: FrameType, flags: number, payload: Buffer): void {
    if (this.closed) return;
    const head = Buffer.alloc(8);
    head.writeUInt16BE(0x8000 | VERSION, 0);
    head.writeUInt16BE(type, 2);
    head.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
    this.send(Buffer.concat([head, payload]));
  }

  /** DATA on a stream; `fin` half-closes it from this side */
  data(id: number, bytes: Buffer, fin = false): void {
    if (this.closed) return;
    for (let off = 0; off < bytes.length || (off === 0 && fin); off += 0xffffff) {
      const chunk = bytes.subarray(off, off + 0xffffff);
      const last = off + chunk.length >= bytes.length;
      const head = Buffer.alloc(8);
      head.writeUInt32BE(id & 0x7fffffff, 0);
      head.writeUInt32BE((((last && fin ? FLAG_FIN : 0) << 24) | chunk.length) >>> 0, 4);
      this.send(Buffer.concat([head, chunk]));
      if (bytes.length === 0) break;
    }
  }

  fin(id: number): void {
    this.data(id, Buffer.alloc(0), true);
  }

  reset(id: number, status = RST_CANCEL): void {
    this.control(FrameType.RstStream, 0, Buffer.concat([u32(id & 0x7fffffff), u32(status)]));
  }

  /** GOAWAY (status OK), then the transport is closed */
  close(): void {
    if (this.closed) return;
    this.control(FrameType.GoAway, 0, Buffer.concat([u32(this.lastStreamId), u32(0)]));
    this.closed = true;
    this.end();
    this.emit('close');
  }

  /** the transport went away */
  lost(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
