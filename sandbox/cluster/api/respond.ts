// Writing responses and reading request bodies the way the API server does: JSON bodies,
// Status objects for every failure.
import type { IncomingMessage, ServerResponse } from 'node:http';
import YAML from 'yaml';
import { decodeKubeProtobuf } from './protobuf/decode.ts';
import { WireError } from './protobuf/wire.ts';
import { groupVersion, type ResourceDef } from '../resources/types.ts';
import { badRequest, internalError, isStatusError, StatusError, type Status } from '../errors.ts';

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private', ...headers });
  res.end(text);
}

/**
 * An object as the apiserver's encoder writes it: kind and apiVersion always set (from the
 * resource being served, whatever the stored copy holds) and first, then the rest in order.
 */
export function typed<T extends object>(def: Pick<ResourceDef, 'group' | 'version' | 'kind'>, obj: T): T & { kind: string; apiVersion: string } {
  const { kind: _k, apiVersion: _a, ...rest } = obj as T & { kind?: string; apiVersion?: string };
  return { kind: def.kind, apiVersion: groupVersion(def), ...rest } as T & { kind: string; apiVersion: string };
}

export function toStatus(e: unknown): Status {
  if (isStatusError(e)) return e.status;
  const err = e as Error;
  return internalError(err?.message ?? String(e)).status;
}

export function sendError(res: ServerResponse, e: unknown): void {
  const st = toStatus(e);
  sendJson(res, st.code, st);
}

const MAX_BODY = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw badRequest('the request body is too large (limit 3 MiB)');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** JSON, or YAML for apply patches and YAML bodies; a clear BadRequest otherwise */
export function decodeBody(body: Buffer, contentType: string): unknown {
  if (contentType === 'application/vnd.kubernetes.protobuf') {
    try {
      return decodeKubeProtobuf(body);
    } catch (e) {
      if (e instanceof WireError) throw badRequest(`the protobuf request body is malformed: ${e.message}`);
      throw e;
    }
  }
  if (contentType.includes('protobuf') || contentType.includes('cbor'))
    throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'UnsupportedMediaType', code: 415, message: `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf` });
  const text = body.toString('utf8');
  if (!text.trim()) throw badRequest('the request body is empty: send the object as JSON (Content-Type: application/json)');
  const yamlish = contentType.includes('yaml');
  try {
    return yamlish ? YAML.parse(text) : JSON.parse(text);
  } catch (e) {
    if (!yamlish) {
      try {
        return YAML.parse(text);
      } catch {
        // fall through to the JSON error, which is the one the client expects
      }
    }
    throw badRequest(`the request body is not valid ${yamlish ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
}
