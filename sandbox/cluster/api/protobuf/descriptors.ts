// The Kubernetes protobuf schemas, read from the real kubectl binary: Go's protobuf code
// embeds each generated.proto as a gzipped FileDescriptorProto. kubectl sends protobuf bodies
// for typed commands (create namespace, create deployment, auth can-i ...), and those schemas
// are exactly the ones it encodes with.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, existsSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { gunzipSync, constants } from 'node:zlib';
import { fields, readVarint, utf8 } from './wire.ts';

export interface FieldDesc {
  name: string;
  number: number;
  repeated: boolean;
  /** descriptor.proto FieldDescriptorProto.Type */
  type: number;
  /** fully qualified, without the leading dot */
  typeName?: string;
}

export interface MessageDesc {
  name: string;
  fields: Map<number, FieldDesc>;
  mapEntry: boolean;
}

function parseMessage(buf: Uint8Array, prefix: string, out: Map<string, MessageDesc>): void {
  let name = '';
  const fieldBufs: Uint8Array[] = [];
  const nested: Uint8Array[] = [];
  let mapEntry = false;
  for (const f of fields(buf)) {
    if (f.number === 1) name = utf8(f.bytes);
    else if (f.number === 2) fieldBufs.push(f.bytes!);
    else if (f.number === 3) nested.push(f.bytes!);
    else if (f.number === 7) for (const o of fields(f.bytes!)) if (o.number === 7 && o.num) mapEntry = true;
  }
  const full = `${prefix}.${name}`;
  const desc: MessageDesc = { name: full, fields: new Map(), mapEntry };
  for (const fb of fieldBufs) {
    const fd: FieldDesc = { name: '', number: 0, repeated: false, type: 0 };
    for (const f of fields(fb)) {
      if (f.number === 1) fd.name = utf8(f.bytes);
      else if (f.number === 3) fd.number = f.num!;
      else if (f.number === 4) fd.repeated = f.num === 3;
      else if (f.number === 5) fd.type = f.num!;
      else if (f.number === 6) fd.typeName = utf8(f.bytes).replace(/^\./, '');
    }
    desc.fields.set(fd.number, fd);
  }
  out.set(full, desc);
  for (const n of nested) parseMessage(n, full, out);
}

function parseFile(buf: Uint8Array, out: Map<string, MessageDesc>): void {
  let pkg = '';
  const messages: Uint8Array[] = [];
  for (const f of fields(buf)) {
    if (f.number === 2) pkg = utf8(f.bytes);
    else if (f.number === 4) messages.push(f.bytes!);
  }
  // the Kubernetes types, and gnostic's OpenAPI v2 document (the /openapi/v2 wire format)
  if (!pkg.startsWith('k8s.io.') && pkg !== 'openapi.v2') return;
  for (const m of messages) parseMessage(m, pkg, out);
}

const GZIP = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00]);

/** every k8s.io message descriptor embedded in a Go binary */
export function descriptorsFromBinary(path: string): Map<string, MessageDesc> {
  const bin = readFileSync(path);
  const out = new Map<string, MessageDesc>();
  let i = 0;
  while ((i = bin.indexOf(GZIP, i)) >= 0) {
    try {
      const raw = gunzipSync(bin.subarray(i, i + 262144), { finishFlush: constants.Z_SYNC_FLUSH });
      if (raw.subarray(0, 80).includes('generated.proto') || raw.subarray(0, 80).includes('openapiv2/OpenAPIv2.proto')) parseFile(raw, out);
    } catch {
      // not a descriptor: keep scanning
    }
    i += GZIP.length;
  }
  // newer protobuf code (gnostic's OpenAPI v2 model) embeds its descriptor uncompressed
  const name = Buffer.from('openapiv2/OpenAPIv2.proto');
  const at = bin.indexOf(Buffer.concat([Buffer.from([0x0a, name.length]), name]));
  if (at >= 0) parseFile(rawDescriptorPrefix(bin.subarray(at, at + 262144)), out);
  return out;
}

/** the bytes of an uncompressed FileDescriptorProto: its fields, up to the first that cannot be one */
function rawDescriptorPrefix(buf: Uint8Array): Uint8Array {
  let end = 0;
  try {
    for (const f of fieldsWithEnd(buf)) {
      if (f.number < 1 || f.number > 14) break;
      end = f.end;
    }
  } catch {
    // ran into the bytes after the descriptor
  }
  return buf.subarray(0, end);
}

function* fieldsWithEnd(buf: Uint8Array): Generator<{ number: number; end: number }> {
  let pos = 0;
  while (pos < buf.length) {
    let tag: number;
    [tag, pos] = readVarint(buf, pos);
    const number = Math.floor(tag / 8);
    const wt = tag & 7;
    if (wt === 0) [, pos] = readVarint(buf, pos);
    else if (wt === 2) {
      let len: number;
      [len, pos] = readVarint(buf, pos);
      pos += len;
    } else return;
    if (pos > buf.length) return;
    yield { number, end: pos };
  }
}

/** kubectl on PATH, through the dispatcher's symlink to the real binaries */
export function findKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, 'kubectl');
    if (!existsSync(p)) continue;
    const real = realpathSync(p);
    const versioned = join(dirname(real), 'kubectl.1.32');
    if (existsSync(versioned)) return versioned;
    const any = readdirSync(dirname(real)).find((n) => /^kubectl\.1\.\d+$/.test(n));
    return any ? join(dirname(real), any) : real;
  }
  return undefined;
}

let cached: Map<string, MessageDesc> | undefined;

type Serialized = Array<[string, { name: string; mapEntry: boolean; fields: FieldDesc[] }]>;

/** scanning the binary takes about a second, so the result is kept per binary in the temp dir */
function cacheFile(bin: string): string {
  const st = statSync(bin);
  const key = createHash('sha256').update(`${bin}:${st.size}:${st.mtimeMs}:2`).digest('hex').slice(0, 16);
  return join(tmpdir(), `coredns-lab-k8s-proto-${key}.json`);
}

export function kubeDescriptors(): Map<string, MessageDesc> {
  if (cached) return cached;
  const bin = process.env.LAB_PROTO_DESCRIPTOR_BINARY ?? findKubectl();
  if (!bin) return (cached = new Map());
  const file = cacheFile(bin);
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Serialized;
    cached = new Map(
      data.map(([k, v]) => [k, { name: v.name, mapEntry: v.mapEntry, fields: new Map(v.fields.map((f) => [f.number, f])) }]),
    );
    if (cached.size > 0) return cached;
  } catch {
    // no cache yet
  }
  cached = descriptorsFromBinary(bin);
  try {
    const data: Serialized = [...cached].map(([k, v]) => [k, { name: v.name, mapEntry: v.mapEntry, fields: [...v.fields.values()] }]);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, file);
  } catch {
    // a read-only temp dir only costs the rescan next time
  }
  return cached;
}
