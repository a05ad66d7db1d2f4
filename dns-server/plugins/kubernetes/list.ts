// List requests as plain JSON over node's http/https with the kubeconfig's credentials, in pages
// of 500 as client-go's reflector does. Skipping client-node's typed models and converting each
// page's objects to entries (objects.ts) before the next page is read keeps a 10,000-object
// relist from holding 10,000 full API objects at once.
import http from 'node:http';
import https from 'node:https';
import type { ApiAccess } from './access.ts';
import type { Entry, KubeObject } from './objects.ts';

const PAGE = 500;

export class ListError extends Error {
  readonly code = 'DNS_ERR_KUBE_LIST';
  /** statusMessage: the API's Status message, when it answered with one (what client-go prints) */
  constructor(message: string, readonly statusCode?: number, readonly statusMessage?: string) {
    super(message);
    this.name = 'ListError';
  }
}

interface ListPage {
  metadata?: { resourceVersion?: string; continue?: string; _continue?: string };
  items?: KubeObject[];
}

/** a list as client-node's ListWatch takes it: the snapshot's resourceVersion and the entries */
export interface EntryList<E extends Entry> {
  metadata: { resourceVersion?: string };
  items: E[];
}

export async function listObjects<E extends Entry>(
  api: ApiAccess,
  path: string,
  labelSelector: string | undefined,
  convert: (o: KubeObject) => E,
): Promise<EntryList<E>> {
  const items: E[] = [];
  let cont: string | undefined;
  let resourceVersion: string | undefined;
  do {
    const page = await listPage(api, path, labelSelector, cont);
    // the resourceVersion to watch from is the first page's (a consistent snapshot)
    resourceVersion ??= page.metadata?.resourceVersion ?? '';
    for (const o of Array.isArray(page.items) ? page.items : []) items.push(convert(o));
    cont = page.metadata?.continue ?? page.metadata?._continue;
  } while (cont);
  return { metadata: { resourceVersion }, items };
}

async function listPage(api: ApiAccess, path: string, labelSelector: string | undefined, cont: string | undefined): Promise<ListPage> {
  const url = new URL(api.server + path);
  if (labelSelector) url.searchParams.set('labelSelector', labelSelector);
  url.searchParams.set('limit', String(PAGE));
  if (cont) url.searchParams.set('continue', cont);
  const { agent, headers } = await api.requestOptions();
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { agent, method: 'GET', headers: { ...headers, Accept: 'application/json' } }, (res) => {
      // decoded chunk by chunk: one page never sits in memory as both a Buffer and a string
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (c: string) => (text += c));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode !== 200) {
          let message = text.slice(0, 300);
          let status: string | undefined;
          try {
            status = (JSON.parse(text) as { message?: string }).message;
            message = status ?? message;
          } catch {
            // not a Status object
          }
          reject(new ListError(`GET ${url.pathname}: ${res.statusCode} ${message}`, res.statusCode, status));
          return;
        }
        try {
          resolve(JSON.parse(text) as ListPage);
        } catch (err) {
          reject(new ListError(`GET ${url.pathname}: response is not JSON: ${(err as Error).message}`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
