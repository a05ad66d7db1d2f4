// OpenAPI schemas for the served kinds (from the kubernetes-types package, see from-types.ts):
// the components of each /openapi/v3 group-version document, and the unknown-field check
// behind fieldValidation=Strict|Warn.
import { RESOURCES } from '../resources/index.ts';
import { closure, lookupSchema, moduleFor, prefixFor, type Schema } from './from-types.ts';

const schemaNameOf = (group: string, version: string, kind: string) => `${prefixFor(moduleFor(group, version))}.${kind}`;

export function componentSchemas(group: string, version: string): Record<string, unknown> {
  const kinds = RESOURCES.filter((d) => d.group === group && d.version === version).map((d) => schemaNameOf(d.group, d.version, d.kind));
  return closure(kinds);
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
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const top = lookupSchema(schemaNameOf(group, version, kind));
  const out: string[] = [];
  walk(obj, top, '', out);
  return out;
}

const GO_TYPE: Record<string, string> = { integer: 'int32', string: 'string', boolean: 'bool', number: 'float64' };

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
  if (s['x-kubernetes-int-or-string'] || s['x-lab-quantity']) {
    return typeof value === 'number' || typeof value === 'string' ? undefined : `json: cannot unmarshal ${jsonKind(value)} into ${where()} ${s['x-lab-quantity'] ? 'resource.Quantity' : 'intstr.IntOrString'}`;
  }
  if (s.type === 'integer' || s.type === 'number') {
    if (typeof value !== 'number' || (s.type === 'integer' && !Number.isInteger(value))) return `json: cannot unmarshal ${jsonKind(value)} into ${where()} ${GO_TYPE[s.type]}`;
    return undefined;
  }
  if (s.type === 'string' || s.type === 'boolean') {
    return typeof value === (s.type === 'string' ? 'string' : 'boolean') ? undefined : `json: cannot unmarshal ${jsonKind(value)} into ${where()} ${GO_TYPE[s.type]}`;
  }
  if (s.type === 'array') {
    if (!Array.isArray(value)) return `json: cannot unmarshal ${jsonKind(value)} into ${where()} []${refName(s.items) ?? GO_TYPE[resolve(s.items)?.type ?? ''] ?? 'interface {}'}`;
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
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const top = lookupSchema(schemaNameOf(group, version, kind));
  if (!top) return undefined;
  return typeError(obj, top, '', kind);
}

/** parses (or reads back from dist/schema-cache) the schemas of every served group/version */
export function warmSchemaCache(): number {
  const gvs = new Set(RESOURCES.map((d) => `${d.group}/${d.version}`));
  for (const gv of gvs) {
    const [group, version] = gv.split('/') as [string, string];
    componentSchemas(group, version);
  }
  return gvs.size;
}
