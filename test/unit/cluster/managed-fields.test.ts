// managedFields after an Update, as a table: who owns which fields once a manager has changed some.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordManagedFields, type ManagedFieldsEntry, type ManagerRef } from '../../../sandbox/cluster/patch/managed-fields.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';

const kubectl: ManagerRef = { manager: 'kubectl', operation: 'Update', apiVersion: 'v1' };
const kubelet: ManagerRef = { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', subresource: 'status' };
const editor: ManagerRef = { manager: 'editor', operation: 'Update', apiVersion: 'v1' };

function pod(spec: Record<string, unknown>, status?: Record<string, unknown>, labels: Record<string, string> = { app: 'a' }): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels }, spec, ...(status ? { status } : {}) } as KubeObject;
}

/** each manager's fields, as sorted dotted paths */
function owners(entries: ManagedFieldsEntry[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const walk = (node: Record<string, unknown>, prefix: string, into: string[]) => {
    const keys = Object.keys(node);
    if (keys.length === 0) into.push(prefix);
    for (const k of keys) walk(node[k] as Record<string, unknown>, prefix ? `${prefix} ${k}` : k, into);
  };
  for (const e of entries) walk(e.fieldsV1, '', (out[e.manager] = []));
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

function update(old: KubeObject, next: KubeObject, by: ManagerRef): KubeObject {
  next.metadata.managedFields = recordManagedFields(old, next, by);
  return next;
}

const containers = (webImage: string) => [{ name: 'web', image: webImage }, { name: 'side', image: 'busybox' }];

const cases: Array<{ name: string; run: () => KubeObject; want: Record<string, string[]> }> = [
  {
    name: 'a create: the creator owns every field but the status',
    run: () => update(undefined as unknown as KubeObject, pod({ replicas: 1 }, { phase: 'Pending' }), kubectl),
    want: { kubectl: ['f:metadata f:labels f:app', 'f:spec f:replicas'] },
  },
  {
    name: 'a status write: the kubelet owns what it changed in status alone',
    run: () => {
      const a = update(undefined as unknown as KubeObject, pod({ replicas: 1 }), kubectl);
      return update(a, pod({ replicas: 1 }, { phase: 'Running' }), kubelet);
    },
    want: { kubectl: ['f:metadata f:labels f:app', 'f:spec f:replicas'], kubelet: ['f:status f:phase'] },
  },
  {
    name: 'one container\'s image changed: that field moves, the rest of the list stays',
    run: () => {
      const a = update(undefined as unknown as KubeObject, pod({ containers: containers('nginx:1.24') }), kubectl);
      return update(a, pod({ containers: containers('nginx:1.25') }), editor);
    },
    want: {
      kubectl: [
        'f:metadata f:labels f:app',
        'f:spec f:containers k:{"name":"side"} .',
        'f:spec f:containers k:{"name":"side"} f:image',
        'f:spec f:containers k:{"name":"side"} f:name',
        'f:spec f:containers k:{"name":"web"} f:name',
      ],
      editor: ['f:spec f:containers k:{"name":"web"} .', 'f:spec f:containers k:{"name":"web"} f:image'],
    },
  },
  {
    name: 'a field removed: no one owns it any more',
    run: () => {
      const a = update(undefined as unknown as KubeObject, pod({ replicas: 1, paused: true }), kubectl);
      return update(a, pod({ replicas: 1 }), editor);
    },
    want: { kubectl: ['f:metadata f:labels f:app', 'f:spec f:replicas'] },
  },
  {
    name: 'a key set to undefined is a change only when it is new',
    run: () => {
      const a = update(undefined as unknown as KubeObject, pod({ replicas: 1, hint: undefined }), kubectl);
      return update(a, pod({ replicas: 1, hint: undefined, extra: undefined }), editor);
    },
    want: { kubectl: ['f:metadata f:labels f:app', 'f:spec f:hint', 'f:spec f:replicas'], editor: ['f:spec f:extra'] },
  },
];

for (const c of cases)
  test(c.name, () => {
    assert.deepEqual(owners(c.run().metadata.managedFields as ManagedFieldsEntry[]), c.want);
  });
