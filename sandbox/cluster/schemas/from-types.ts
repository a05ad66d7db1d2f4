// OpenAPI v3 component schemas built from the `kubernetes-types` package (the upstream API
// types, with their documentation, as TypeScript declarations). Each declaration file is parsed
// once, on first use, with the TypeScript parser: interfaces become object schemas, their doc
// comments descriptions, `?` optionality the required lists.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceStamp } from '../../../build/bundle-cache.mjs';
import type * as TS from 'typescript';

/** an OpenAPI v3 schema object, as far as the lab writes and reads one (the rest passes through) */
export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  default?: unknown;
  $ref?: string;
  allOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-lab-quantity'?: boolean;
  [extension: string]: unknown;
}

const require = createRequire(import.meta.url);
// the TypeScript parser is loaded on first use, keeping it off the API server's start-up path
let ts: typeof TS;
let root: string | undefined;
function typesRoot(): string {
  root ??= dirname(require.resolve('kubernetes-types/package.json'));
  return root;
}

/** kubernetes-types module ("core/v1", "meta/v1") -> the OpenAPI name prefix upstream uses */
export function prefixFor(module: string): string {
  switch (module) {
    case 'meta/v1':
      return 'io.k8s.apimachinery.pkg.apis.meta.v1';
    case 'api/resource':
      return 'io.k8s.apimachinery.pkg.api.resource';
    case 'runtime':
      return 'io.k8s.apimachinery.pkg.runtime';
    case 'version':
      return 'io.k8s.apimachinery.pkg.version';
    default:
      return `io.k8s.api.${module.replace('/', '.')}`;
  }
}

/** the kubernetes-types module for an API group/version */
export function moduleFor(group: string, version: string): string {
  return `${group ? group.split('.')[0] : 'core'}/${version}`;
}

interface ParsedModule {
  schemas: Map<string, Schema>;
}

const modules = new Map<string, ParsedModule>();

function docOf(node: TS.Node): string | undefined {
  const docs = (node as unknown as { jsDoc?: TS.JSDoc[] }).jsDoc;
  if (!docs?.length) return undefined;
  const c = docs[docs.length - 1].comment;
  if (!c) return undefined;
  return typeof c === 'string' ? c : c.map((p) => p.text).join('');
}

/**
 * Parsed modules are kept as JSON under dist/schema-cache/, keyed by the kubernetes-types version
 * and this file: loading and running the TypeScript parser costs ~0.6 s of CPU, which the first
 * `kubectl create` (it fetches the OpenAPI document to validate) would otherwise pay while the
 * sandbox is still starting its DNS pods.
 */
let cacheDir: string | null | undefined;
export function schemaCacheDir(): string | null {
  if (cacheDir !== undefined) return cacheDir;
  try {
    const version = (JSON.parse(readFileSync(join(typesRoot(), 'package.json'), 'utf8')) as { version: string }).version;
    const self = fileURLToPath(import.meta.url);
    cacheDir = join(fileURLToPath(new URL('../../../dist/schema-cache/', import.meta.url)), `${version}-${sourceStamp([self])}`);
  } catch {
    cacheDir = null;
  }
  return cacheDir;
}

function parseModule(module: string): ParsedModule {
  const hit = modules.get(module);
  if (hit) return hit;
  const dir = schemaCacheDir();
  const file = dir && join(dir, `${module.replace('/', '_')}.json`);
  if (file) {
    try {
      const cached: ParsedModule = { schemas: new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Schema>)) };
      modules.set(module, cached);
      return cached;
    } catch {
      // not cached yet (or unreadable): parse below
    }
  }
  const parsed = parseWithTypeScript(module);
  modules.set(module, parsed);
  if (file) {
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(Object.fromEntries(parsed.schemas)));
      renameSync(tmp, file);
    } catch {
      // a read-only checkout parses again next time
    }
  }
  return parsed;
}

function parseWithTypeScript(module: string): ParsedModule {
  ts ??= require('typescript') as typeof TS;
  const parsed: ParsedModule = { schemas: new Map() };
  const file = join(typesRoot(), `${module}.d.ts`);
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const imported = new Map<string, string>();
  const prefix = prefixFor(module);
  const refTo = (name: string): string => {
    const from = imported.get(name);
    return `${from ? prefixFor(from) : prefix}.${name}`;
  };
  const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${refTo(name)}` });

  const convert = (t: TS.TypeNode | undefined): Schema => {
    if (!t) return {};
    switch (t.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'integer', format: 'int32' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.LiteralType:
        return { type: 'string' };
      case ts.SyntaxKind.ArrayType:
        return { type: 'array', items: convert((t as TS.ArrayTypeNode).elementType) };
      case ts.SyntaxKind.UnionType: {
        const kinds = (t as TS.UnionTypeNode).types.map((x) => x.kind);
        if (kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) return { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
        return convert((t as TS.UnionTypeNode).types[0]);
      }
      case ts.SyntaxKind.TypeLiteral: {
        const idx = (t as TS.TypeLiteralNode).members.find(ts.isIndexSignatureDeclaration);
        return { type: 'object', additionalProperties: idx ? convert(idx.type) : {} };
      }
      case ts.SyntaxKind.TypeReference: {
        const r = t as TS.TypeReferenceNode;
        const name = r.typeName.getText();
        if (name === 'Array' && r.typeArguments?.length) return { type: 'array', items: convert(r.typeArguments[0]) };
        const target = refTo(name);
        if (target.endsWith('.Time') || target.endsWith('.MicroTime')) return { type: 'string', format: 'date-time' };
        // quantities are strings in the schema, but the API also takes plain numbers ("cpu: 1")
        if (target.endsWith('.Quantity')) return { type: 'string', 'x-lab-quantity': true };
        return ref(name);
      }
      default:
        return {};
    }
  };

  for (const st of src.statements) {
    if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
      const spec = (st.moduleSpecifier as TS.StringLiteral).text;
      const target = posix.normalize(posix.join(posix.dirname(module), spec));
      for (const el of st.importClause.namedBindings.elements) imported.set(el.name.text, target);
    }
  }
  for (const st of src.statements) {
    if (ts.isTypeAliasDeclaration(st)) {
      const s = convert(st.type);
      if (st.name.text.endsWith('Time')) s.format = 'date-time';
      parsed.schemas.set(`${prefix}.${st.name.text}`, { description: docOf(st), ...s });
      continue;
    }
    if (!ts.isInterfaceDeclaration(st)) continue;
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    let apiVersion: string | undefined;
    let kind: string | undefined;
    for (const m of st.members) {
      if (!ts.isPropertySignature(m)) continue;
      const name = m.name.getText().replace(/^"|"$/g, '');
      let s = convert(m.type);
      if (s.$ref) s = { default: {}, allOf: [s] };
      if (s.type === 'array' && s.items?.$ref) s.items = { default: {}, allOf: [s.items] };
      const d = docOf(m);
      properties[name] = d ? { description: d, ...s } : s;
      if (!m.questionToken) required.push(name);
      if (m.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) {
        if (name === 'apiVersion') apiVersion = m.type.literal.text;
        if (name === 'kind') kind = m.type.literal.text;
      }
    }
    const schema: Schema = { description: docOf(st), type: 'object' };
    if (Object.keys(properties).length === 0) schema['x-kubernetes-preserve-unknown-fields'] = true;
    else schema.properties = properties;
    if (required.length) schema.required = required;
    if (apiVersion && kind) {
      const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      schema['x-kubernetes-group-version-kind'] = [{ group: g, kind, version: v }];
    }
    parsed.schemas.set(`${prefix}.${st.name.text}`, schema);
  }
  return parsed;
}

const PREFIX_TO_MODULE: Array<[string, string]> = [
  ['io.k8s.apimachinery.pkg.apis.meta.v1.', 'meta/v1'],
  ['io.k8s.apimachinery.pkg.api.resource.', 'api/resource'],
  ['io.k8s.apimachinery.pkg.runtime.', 'runtime'],
  ['io.k8s.apimachinery.pkg.version.', 'version'],
];

export function lookupSchema(fullName: string): Schema | undefined {
  let module = PREFIX_TO_MODULE.find(([p]) => fullName.startsWith(p))?.[1];
  if (!module) {
    const m = /^io\.k8s\.api\.([^.]+)\.([^.]+)\./.exec(fullName);
    if (!m) return undefined;
    module = `${m[1]}/${m[2]}`;
  }
  try {
    return parseModule(module).schemas.get(fullName);
  } catch {
    return undefined;
  }
}

/** a schema and every schema it references, by name */
export function closure(names: string[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const queue = [...names];
  while (queue.length) {
    const n = queue.pop()!;
    if (out[n]) continue;
    const s = lookupSchema(n);
    if (!s) continue;
    out[n] = s;
    JSON.stringify(s, (k, v) => {
      if (k === '$ref' && typeof v === 'string') queue.push(v.replace('#/components/schemas/', ''));
      return v;
    });
  }
  return out;
}
