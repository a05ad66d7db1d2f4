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
