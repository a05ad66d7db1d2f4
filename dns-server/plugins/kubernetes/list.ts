// List requests as plain JSON over node's http/https with the kubeconfig's credentials, in pages
// of 500 as client-go's reflector does. Skipping client-node's typed models and keeping only
// the fields DNS reads (objects.ts compact) keeps a 10,000-object relist from tripling RSS.
import http from 'node:http';
import https from 'node:https';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { ApiAccess } from './access.ts';
import { compact } from './objects.ts';

const PAGE = 500;

export class ListError extends Error {
  readonly code = 'DNS_ERR_KUBE_LIST';
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'ListError';
  }
}

export async function listObjects(api: ApiAccess, path: string, labelSelector?: string): Promise<KubernetesListObject<KubernetesObject>> {
  const items: KubernetesObject[] = [];
  let cont: string | undefined;
  let first: KubernetesListObject<KubernetesObject> | undefined;
  do {
    const page = await listPage(api, path, labelSelector, cont);
    first ??= page;
    for (const o of page.items ?? []) items.push(compact(o as never) as KubernetesObject);
    cont = page.metadata?._continue ?? (page.metadata as { continue?: string } | undefined)?.continue;
  } while (cont);
  // the resourceVersion to watch from is the first page's (a consistent snapshot)
  return { ...first!, items };
}

async function listPage(api: ApiAccess, path: string, labelSelector: string | undefined, cont: string | undefined): Promise<KubernetesListObject<KubernetesObject>> {
  const url = new URL(api.server + path);
  if (labelSelector) url.searchParams.set('labelSelector', labelSelector);
  url.searchParams.set('limit', String(PAGE));
  if (cont) url.searchParams.set('continue', cont);
  const { agent, headers } = await api.requestOptions();
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { agent, method: 'GET', headers: { ...headers, Accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) {
          let message = text.slice(0, 300);
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? message;
          } catch {
            // not a Status object
          }
          reject(new ListError(`GET ${url.pathname}: ${res.statusCode} ${message}`, res.statusCode));
          return;
        }
        try {
          resolve(JSON.parse(text) as KubernetesListObject<KubernetesObject>);
        } catch (err) {
          reject(new ListError(`GET ${url.pathname}: response is not JSON: ${(err as Error).message}`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
