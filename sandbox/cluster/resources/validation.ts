// Validation rules shared by several resources, with apimachinery's wording, because the
// learner reads these messages in kubectl's output.
import type { KubeObject } from '../contracts.ts';
import { fieldErr, type FieldError } from '../errors.ts';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const MSG_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const MSG_LABEL_1123 =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const MSG_LABEL_1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

export type NameRule = 'subdomain' | 'label1123' | 'label1035' | 'path';

export function validateName(name: string, rule: NameRule, field = 'metadata.name'): FieldError[] {
  if (rule === 'path') {
    if (name === '.' || name === '..' || /[/%]/.test(name)) return [fieldErr.invalid(field, name, `may not contain '/' or '%'`)];
    return [];
  }
  const [re, msg, max] =
    rule === 'subdomain' ? [SUBDOMAIN, MSG_SUBDOMAIN, 253] : rule === 'label1123' ? [LABEL_1123, MSG_LABEL_1123, 63] : [LABEL_1035, MSG_LABEL_1035, 63];
  const out: FieldError[] = [];
  if (name.length > max) out.push(fieldErr.invalid(field, name, `must be no more than ${max} characters`));
  if (!re.test(name)) out.push(fieldErr.invalid(field, name, msg));
  return out;
}

function validateQualifiedKey(key: string, field: string): FieldError[] {
  const slash = key.indexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : ['', key];
  const out: FieldError[] = [];
  if (slash >= 0 && (prefix.length === 0 || !SUBDOMAIN.test(prefix))) out.push(fieldErr.invalid(field, key, `prefix part ${MSG_SUBDOMAIN}`));
  if (!name || name.length > 63 || !QUALIFIED_NAME.test(name))
    out.push(
      fieldErr.invalid(
        field,
        key,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
    );
  return out;
}

export function validateLabels(labels: unknown, field: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [fieldErr.invalid(field, labels, 'must be a map of string keys to string values')];
  const out: FieldError[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    out.push(...validateQualifiedKey(k, field));
    if (typeof v !== 'string') out.push(fieldErr.invalid(`${field}`, v, 'label values must be strings'));
    else if (v.length > 63 || !LABEL_VALUE.test(v))
      out.push(
        fieldErr.invalid(
          field,
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
  }
  return out;
}

export function validateObjectMeta(obj: KubeObject, rule: NameRule): FieldError[] {
  const m = obj.metadata ?? {};
  const out: FieldError[] = [];
  if (!m.name) out.push(fieldErr.required('metadata.name', 'name or generateName is required'));
  else out.push(...validateName(m.name, rule));
  out.push(...validateLabels(m.labels, 'metadata.labels'));
  (Array.isArray(m.ownerReferences) ? m.ownerReferences : []).forEach((r, i) => {
    for (const f of ['apiVersion', 'kind', 'name', 'uid'] as const)
      if (!r?.[f]) out.push(fieldErr.invalid(`metadata.ownerReferences[${i}].${f}`, r?.[f] ?? '', `${f} must not be empty`));
  });
  if (m.annotations !== undefined && (typeof m.annotations !== 'object' || Array.isArray(m.annotations)))
    out.push(fieldErr.invalid('metadata.annotations', m.annotations, 'must be a map of string keys to string values'));
  return out;
}

export function validatePort(port: unknown, field: string): FieldError[] {
  if (port === undefined || port === null) return [fieldErr.required(field)];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
    return [fieldErr.invalid(field, port, 'must be between 1 and 65535, inclusive')];
  return [];
}

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
