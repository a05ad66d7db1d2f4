// An OpenAPI v2 (Swagger) document in gnostic's protobuf model (openapi.v2.Document), the form
// kubectl asks /openapi/v2 for. The model is gnostic's compiler output, field by field: maps are
// messages with repeated Named* pairs, `x-` keys are vendor_extension entries whose value is the
// YAML text (kubectl parses it back), alternatives are one-of wrappers (ParametersItem,
// Parameter, NonBodyParameter, ResponseValue, SchemaItem, AdditionalPropertiesItem).
import { kubeDescriptors, type MessageDesc } from './protobuf/descriptors.ts';
import { encodeMessage } from './protobuf/encode.ts';

type Json = Record<string, unknown>;

const V2 = 'openapi.v2';
const snake = (k: string) => (k === '$ref' ? '_ref' : k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON is YAML: gnostic's Any keeps a value as YAML text */
const anyOf = (v: unknown) => ({ yaml: `${JSON.stringify(v)}\n` });

/** messages that stand for a JSON object with free keys, and the repeated field that holds the pairs */
const MAPS: Record<string, string> = {
  Definitions: 'additional_properties', Properties: 'additional_properties', ParameterDefinitions: 'additional_properties',
  ResponseDefinitions: 'additional_properties', SecurityDefinitions: 'additional_properties', Headers: 'additional_properties',
  Examples: 'additional_properties', Oauth2Scopes: 'additional_properties', SecurityRequirement: 'additional_properties',
  Default: 'additional_properties', VendorExtension: 'additional_properties', Paths: 'path', Responses: 'response_code',
};

function convert(type: string, v: unknown, all: Map<string, MessageDesc>): unknown {
  const short = type.slice(V2.length + 1);
  switch (short) {
    case 'Any':
      return anyOf(v);
    case 'TypeItem':
      return { value: Array.isArray(v) ? v : [v] };
    case 'StringArray':
      return { value: v };
    case 'ItemsItem':
      return { schema: (Array.isArray(v) ? v : [v]).map((s) => convert(`${V2}.Schema`, s, all)) };
    case 'AdditionalPropertiesItem':
      return typeof v === 'boolean' ? { boolean: v } : { schema: convert(`${V2}.Schema`, v, all) };
    case 'SchemaItem':
      return isObject(v) && v.type === 'file' ? { file_schema: convert(`${V2}.FileSchema`, v, all) } : { schema: convert(`${V2}.Schema`, v, all) };
    case 'ResponseValue':
      return isObject(v) && '$ref' in v ? { json_reference: convert(`${V2}.JsonReference`, v, all) } : { response: convert(`${V2}.Response`, v, all) };
    case 'ParametersItem':
      return isObject(v) && '$ref' in v ? { json_reference: convert(`${V2}.JsonReference`, v, all) } : { parameter: convert(`${V2}.Parameter`, v, all) };
    case 'Parameter': {
      const p = v as Json;
      if (p.in === 'body') return { body_parameter: convert(`${V2}.BodyParameter`, p, all) };
      const sub = p.in === 'formData' ? 'form_data' : String(p.in);
      return { non_body_parameter: { [`${sub}_parameter_sub_schema`]: convert(`${V2}.${sub === 'form_data' ? 'FormData' : sub[0].toUpperCase() + sub.slice(1)}ParameterSubSchema`, p, all) } };
    }
    case 'SecurityDefinitionsItem': {
      const s = v as Json;
      const which = s.type === 'apiKey' ? 'ApiKeySecurity' : s.type === 'basic' ? 'BasicAuthenticationSecurity' : `Oauth2${String(s.flow)[0].toUpperCase()}${String(s.flow).slice(1)}Security`;
      return { [snake(which[0].toLowerCase() + which.slice(1))]: convert(`${V2}.${which}`, s, all) };
    }
  }
  const desc = all.get(type);
  if (!desc || !isObject(v)) return {};
  const byName = new Map([...desc.fields.values()].map((f) => [f.name, f]));
  const pairs = MAPS[short];
  const out: Json = {};
  const extensions: Json[] = [];
  for (const [k, value] of Object.entries(v)) {
    if (k.startsWith('x-') && byName.has('vendor_extension')) {
      extensions.push({ name: k, value: anyOf(value) });
      continue;
    }
    if (pairs) {
      const named = byName.get(pairs)!.typeName!;
      const valueType = [...all.get(named)!.fields.values()].find((f) => f.name === 'value')!;
      const entry = { name: k, value: valueType.typeName ? convert(valueType.typeName, value, all) : value };
      ((out[pairs] ??= []) as Json[]).push(entry);
      continue;
    }
    const f = byName.get(snake(k));
    if (!f) continue;
    if (!f.typeName) out[f.name] = value;
    else if (f.repeated && Array.isArray(value)) out[f.name] = value.map((x) => convert(f.typeName!, x, all));
    else out[f.name] = convert(f.typeName, value, all);
  }
  if (extensions.length) out.vendor_extension = extensions;
  // in field-number order, as Go's marshaller writes them
  const order = (k: string) => byName.get(k)?.number ?? 0;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => order(a) - order(b)));
}

/** a Swagger 2.0 document as gnostic's openapi.v2.Document on the wire */
export function swaggerToProtobuf(doc: Json, all: Map<string, MessageDesc> = kubeDescriptors()): Buffer {
  return encodeMessage(`${V2}.Document`, convert(`${V2}.Document`, doc, all) as Json, all);
}
