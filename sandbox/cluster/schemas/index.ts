// Checks of request bodies against Kubernetes 1.32's own schemas (upstream.ts): the unknown-field
// check behind fieldValidation=Strict|Warn, and the type errors Go's decoder reports whatever it says.
import { lookupSchema, schemaNameOf, type Schema } from './upstream.ts';

export { lookupSchema, schemaNameOf, upstreamV2, upstreamV3, upstreamV3Hash, SHIPPED_V3, type Schema, type OpenApiV3Document, type SwaggerDocument } from './upstream.ts';

function kindSchema(apiVersion: string, kind: string): Schema | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const name = schemaNameOf(group, version, kind);
  return name ? lookupSchema(name) : undefined;
}

function resolve(s: Schema | undefined): Schema | undefined {
  if (!s) return undefined;
  const ref = s.$ref ?? s.allOf?.[0]?.$ref;
  return ref ? lookupSchema(String(ref).replace('#/components/schemas/', '')) : s;
}

function walk(value: unknown, schema: Schema | undefined, path: string, out: string[]): void {
  const s = resolve(schema);
  if (!s || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (s.type === 'array') value.forEach((v, i) => walk(v, s.items, `${path}[${i}]`, out));
    return;
  }
  if (typeof value !== 'object' || s['x-kubernetes-preserve-unknown-fields']) return;
  if (s.properties) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in s.properties)) out.push(p);
      else walk(v, s.properties[k], p, out);
    }
  } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, s.additionalProperties, `${path}[${k}]`, out);
  }
}

/** dotted paths of fields the kind does not declare ("spec.foo"); empty when the kind is unknown */
export function unknownFields(apiVersion: string, kind: string, obj: unknown): string[] {
  const top = kindSchema(apiVersion, kind);
  const out: string[] = [];
  walk(obj, top, '', out);
  return out;
}

const GO_TYPE: Record<string, string> = { integer: 'int32', string: 'string', boolean: 'bool', number: 'float64', int64: 'int64', double: 'float64' };
const goType = (s: Schema) => GO_TYPE[s.format ?? ''] ?? GO_TYPE[s.type ?? ''];

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

function refName(s: Schema | undefined): string | undefined {
  const ref = s?.$ref ?? s?.allOf?.[0]?.$ref;
  return ref ? String(ref).split('.').pop() : undefined;
}

/**
 * The first value whose JSON type the API types cannot take, worded like Go's decoder
 * ("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32").
 * The real API server fails decoding on these whatever fieldValidation says.
 */
function typeError(value: unknown, schema: Schema | undefined, path: string, owner: string): string | undefined {
  const s = resolve(schema);
  if (!s || value === null || value === undefined) return undefined;
  const name = refName(schema) ?? owner;
  const where = () => `Go struct field ${owner}.${path} of type`;
  // IntOrString and Quantity: a number or a string (upstream's v3 says so with oneOf)
  if (s.oneOf) {
    return typeof value === 'number' || typeof value === 'string' ? undefined : `json: cannot unmarshal ${jsonKind(value)} into ${where()} ${s.format === 'int-or-string' ? 'intstr.IntOrString' : 'resource.Quantity'}`;
  }
  if (s.type === 'integer' || s.type === 'number') {
    if (typeof value !== 'number' || (s.type === 'integer' && !Number.isInteger(value))) return `json: cannot unmarshal ${jsonKind(value)} into ${where()} ${goType(s)}`;
    return undefined;
  }
  if (s.type === 'string' || s.type === 'boolean') {
    return typeof value === (s.type === 'string' ? 'string' : 'boolean') ? undefined : `json: cannot unmarshal ${jsonKind(value)} into ${where()} ${goType(s)}`;
  }
  if (s.type === 'array') {
    if (!Array.isArray(value)) {
      const item = resolve(s.items);
      return `json: cannot unmarshal ${jsonKind(value)} into ${where()} []${refName(s.items) ?? (item ? goType(item) : undefined) ?? 'interface {}'}`;
    }
    for (const v of value) {
      const e = typeError(v, s.items, path, refName(s.items) ?? owner);
      if (e) return e;
    }
    return undefined;
  }
  if (s.type === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) return `json: cannot unmarshal ${jsonKind(value)} into ${where()} ${s.properties ? name : 'map[string]string'}`;
    if (s['x-kubernetes-preserve-unknown-fields']) return undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const sub = s.properties ? s.properties[k] : s.additionalProperties;
      if (!sub || typeof sub !== 'object') continue;
      // Go names map values by the map's field, not by their key
      const at = s.properties ? (path ? `${path}.${k}` : k) : path;
      const e = typeError(v, sub, at, s.properties ? name : owner);
      if (e) return e;
    }
  }
  return undefined;
}

/** a decode error message when obj has a value of the wrong JSON type, else undefined */
export function decodeError(apiVersion: string, kind: string, obj: unknown): string | undefined {
  const top = kindSchema(apiVersion, kind);
  if (!top) return undefined;
  return typeError(obj, top, '', kind);
}
