// The express app: security headers and the gate first, then the token exchange, the small
// HTTP API, and the built site (static files only: every page is prerendered, astro.config.mjs).
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { join } from 'node:path';
import { browserCookie, newBrowserId, tokenCookie } from './auth-token.ts';
import { gateHttp, type GateConfig } from './gate.ts';
import { securityHeaders } from './security-headers.ts';
import { lessonRoutes } from './lesson-routes.ts';
import { controlRoutes, type ControlRouteDeps } from './control-routes.ts';
import type { ClusterInfo } from '../providers/types.ts';
import type { ResetResult } from '../owner/control-protocol.ts';
import type { ProgressStore } from './progress-store.ts';
import type { DnsPanelHub } from './dns-panel/routes.ts';

export interface AppDeps {
  gate: () => GateConfig;
  /** dist/ once the site is built; null while a build runs */
  siteDist: () => string | null;
  cluster: () => Promise<ClusterInfo>;
  sessions: () => number;
  /** in-place resets so far (epoch) and when the last one finished; absent: never reset */
  resets?: () => { epoch: number; at: string | null };
  /** the owner's control channel over HTTP (control-routes.ts); absent: not offered */
  control?: ControlRouteDeps;
  /** each browser's progress (GET /api/progress) */
  progress: ProgressStore;
  /** the page's reset buttons: the sandbox back to the Status Quo, through its owner */
  resetSandbox: () => Promise<ResetResult>;
  /** the DNS panel's events (GET /api/dns/events) */
  dnsPanel?: DnsPanelHub;
}

function refusalPage(title: string, message: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · coredns-lab</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#0f172a">
<h1 style="font-size:1.3rem">${esc(title)}</h1><p style="line-height:1.5">${esc(message)}</p></body></html>\n`;
}

function wantsHtml(req: Request): boolean {
  return !req.path.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const cfg = deps.gate();
    const v = gateHttp(req, cfg);
    if (!v.ok) {
      res.status(v.status);
      if (wantsHtml(req)) res.type('html').send(refusalPage(v.status === 401 ? 'Access token needed' : 'Request refused', v.message));
      else res.json({ error: { code: v.code, message: v.message } });
      return;
    }
    // a browser without an id (first visit, or its id cookie was cleared) gets one, so its
    // terminals are capped together (sandbox/terminal/session-manager.ts)
    const setId = v.via !== 'bearer' && v.client === 'token' ? [browserCookie(cfg.port, newBrowserId())] : [];
    if (v.via === 'query') {
      // trade the URL's token for a cookie, then drop it from the address bar and history
      const url = new URL(req.originalUrl, 'http://lab.invalid');
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', [tokenCookie(cfg.port, cfg.token), ...setId]);
      res.setHeader('Cache-Control', 'no-store');
      if (req.method === 'GET' && !req.path.startsWith('/api/')) {
        res.redirect(303, url.pathname + url.search);
        return;
      }
    } else if (setId.length) res.setHeader('Set-Cookie', setId);
    // whose progress this is (lesson-routes.ts): the same client the terminals are capped by
    res.locals.client = v.client;
    next();
  });

  // a path with a bad escape (%zz, a cut UTF-8 sequence) is the client's mistake: 400 here,
  // before a route's parameter decoding turns it into a 500
  app.use((req: Request, res: Response, next: NextFunction) => {
    try {
      decodeURIComponent(req.path);
    } catch {
      const message = `the path ${req.path} has a malformed percent-escape (each % must start a two-hex-digit escape of valid UTF-8)`;
      res.status(400);
      if (wantsHtml(req)) res.type('html').send(refusalPage('Bad address', message));
      else res.json({ error: { code: 'LAB_ERR_BAD_REQUEST', message } });
      return;
    }
    next();
  });

  app.get('/api/status', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ cluster: await deps.cluster(), terminals: deps.sessions(), reset: deps.resets?.() ?? { epoch: 0, at: null } });
  });
  if (deps.control) app.use('/api/control', controlRoutes(deps.control));
  app.use('/api', lessonRoutes({ cluster: () => deps.cluster(), progress: deps.progress, resetSandbox: () => deps.resetSandbox() }));
  if (deps.dnsPanel) app.use('/api', deps.dnsPanel.router());
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'LAB_ERR_NOT_FOUND', message: 'no such API; see sandbox/server/README.md for the routes' } });
  });

  // one address per lesson, /lessons/<lesson>/ (an anchor per step), and the start page: the
  // lessons in the HTML (lesson-pages.ts); an unknown lesson is a 404 that lists the ones there are
  const sendLessonPage = async (res: Response, dist: string, lesson: string | null) => {
    const { lessonPage } = await import('./lesson-pages.ts');
    const { templateSetFor } = await import('../checks/templates.ts');
    res.setHeader('Cache-Control', 'no-cache');
    let page;
    try {
      page = lessonPage(dist, lesson, undefined, templateSetFor(await deps.cluster()));
    } catch (err) {
      res.status(500).type('html').send(refusalPage('A lesson file is broken', (err as Error).message));
      return;
    }
    if ('file' in page) res.sendFile(page.file);
    else res.type('html').send(page.html);
  };
  app.get(['/', '/index.html'], async (_req: Request, res: Response, next: NextFunction) => {
    const dist = deps.siteDist();
    if (!dist) return next();
    await sendLessonPage(res, dist, null);
  });
  app.get('/lessons/:lesson', async (req: Request, res: Response, next: NextFunction) => {
    const dist = deps.siteDist();
    const lesson = String(req.params.lesson);
    if (!dist) return next();
    const { loadChapter } = await import('../checks/index.ts');
    let ids: string[];
    try {
      ids = loadChapter().lessons.map((l) => l.id);
    } catch {
      // the page says which lesson file is broken
      ids = [lesson];
    }
    if (!ids.includes(lesson)) {
      res.status(404).type('html').send(refusalPage('No such lesson', `There is no lesson "${lesson}". The lessons are: ${ids.join(', ')}. The lab starts at /.`));
      return;
    }
    if (!req.path.endsWith('/')) {
      const q = req.originalUrl.indexOf('?');
      res.redirect(301, `/lessons/${lesson}/${q >= 0 ? req.originalUrl.slice(q) : ''}`);
      return;
    }
    await sendLessonPage(res, dist, lesson);
  });

  let staticFrom = '';
  let serveStatic: ReturnType<typeof express.static> | null = null;
  app.use((req: Request, res: Response, next: NextFunction) => {
    const dist = deps.siteDist();
    if (!dist) {
      res.status(503).setHeader('Retry-After', '3');
      res.type('html').send(refusalPage('The lab is starting', 'The site is still being built. This page will work in a few seconds; reload it.'));
      return;
    }
    if (staticFrom !== dist) {
      staticFrom = dist;
      serveStatic = express.static(join(dist, 'client'), { index: 'index.html', fallthrough: true });
    }
    serveStatic!(req, res, next);
  });

  app.use((req: Request, res: Response) => {
    res.status(404);
    if (wantsHtml(req)) res.type('html').send(refusalPage('Not found', `There is no page at ${req.path}. The lab starts at /.`));
    else res.json({ error: { code: 'LAB_ERR_NOT_FOUND', message: `nothing at ${req.path}` } });
  });

  app.use((err: Error & { status?: unknown }, _req: Request, res: Response, _next: NextFunction) => {
    // express and its parsers mark the client's errors (a bad parameter escape, a body too large) with a 4xx status
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    res.status(status).json({ error: { code: status === 500 ? 'LAB_ERR_INTERNAL' : 'LAB_ERR_BAD_REQUEST', message: err.message } });
  });
  return app;
}
