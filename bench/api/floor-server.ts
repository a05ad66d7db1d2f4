// The floor: a bare node:http server doing no work per request. GETs are answered with bytes
// recorded once from the real API server (<upstream>), so kubectl and the LIST client get
// identical responses; a POST to a collection is echoed back and broadcast as an ADDED event
// to the open watches on that collection, the least any watch round trip can cost.
// argv: <upstream URL>. Prints {port, rss, heapUsed} when listening.
import { createServer, type ServerResponse } from 'node:http';

const upstream = process.argv[2]!;
interface Canned { status: number; headers: Record<string, string>; body: Buffer }
const cache = new Map<string, Canned>();
const watchers = new Map<string, Set<ServerResponse>>();

const KEPT_HEADERS = ['content-type', 'vary', 'cache-control', 'x-varied-accept'];

async function record(path: string, accept: string): Promise<Canned> {
  const res = await fetch(upstream + path, { headers: { accept } });
  const headers: Record<string, string> = {};
  for (const h of KEPT_HEADERS) { const v = res.headers.get(h); if (v) headers[h] = v; }
  return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) };
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const collection = url.pathname;
  if (req.method === 'GET' && url.searchParams.get('watch') === 'true') {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    if (!watchers.has(collection)) watchers.set(collection, new Set());
    watchers.get(collection)!.add(res);
    req.on('close', () => watchers.get(collection)?.delete(res));
    return;
  }
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
      const event = Buffer.concat([Buffer.from('{"type":"ADDED","object":'), body, Buffer.from('}\n')]);
      for (const w of watchers.get(collection) ?? []) w.write(event);
    });
    return;
  }
  // the first request for a path records it; every later one is pure replay
  const key = `${url.pathname}${url.search}|${req.headers.accept ?? ''}`;
  const hit = cache.get(key);
  if (hit) {
    res.writeHead(hit.status, { ...hit.headers, 'content-length': hit.body.length });
    res.end(hit.body);
    return;
  }
  record(url.pathname + url.search, req.headers.accept ?? '').then((c) => {
    cache.set(key, c);
    res.writeHead(c.status, { ...c.headers, 'content-length': c.body.length });
    res.end(c.body);
  }, (err: Error) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(err.message);
  });
});

server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  process.stdout.write(JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0, rss: mem.rss, heapUsed: mem.heapUsed }) + '\n');
});
process.on('SIGTERM', () => { for (const set of watchers.values()) for (const w of set) w.destroy(); server.close(() => process.exit(0)); });
