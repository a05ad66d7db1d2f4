// The workshop's own HTTP server: public join and claim routes for learners, and the
// instructor's page and API behind the instructor's token (the lab's gate: Host, Origin, token;
// a seat's token is not the instructor's, so it opens nothing here).
import { createRequire } from 'node:module';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { tokenCookie, tokenMatches } from '../server/auth-token.ts';
import { checkHost, gateHttp, type GateConfig } from '../server/gate.ts';
import { securityHeaders } from '../server/security-headers.ts';
import { joinUrl } from './seat-links.ts';
import { instructorPage, INSTRUCTOR_SCRIPT, claimPage } from './instructor-page.ts';
import type { WorkshopPlan } from './plan.ts';
import { MAX_NOTICE_CHARS } from '../owner/control-protocol.ts';

// not named `require`: the CLI bundle declares that at the top of each chunk (build/bundle.mjs)
const resolveHere = createRequire(import.meta.url).resolve;
/** the instructor's read-only terminal view uses xterm.js as published (a UMD script) */
const XTERM_JS = resolveHere('@xterm/xterm/lib/xterm.js');
const XTERM_CSS = resolveHere('@xterm/xterm/css/xterm.css');

export interface SeatView {
  id: string;
  state: string;
  claimed: boolean;
  /** the seat's page without its token */
  url: string | null;
  terminals: number;
  /** seconds since the learner last typed, or null before the first keystroke */
  idleSeconds: number | null;
  resetEpoch: number;
  /** the lesson/step the learner is on, from the progress the seat's page keeps */
  where: string | null;
  /** steps whose check passed, of `total`; null when the seat has no progress yet */
  passed: number | null;
  total: number;
  /** "lesson/step" -> the last check's status, for the steps the learner has checked */
  steps: Record<string, string>;
  limitHits: string[];
  message: string | null;
}

export interface InstructorDeps {
  gate: () => GateConfig;
  plan: () => WorkshopPlan;
  /** the workshop's public base URL (join links start with it) */
  base: () => string;
  seats: () => Promise<SeatView[]>;
  /** the seat's page with its token, when it runs */
  seatUrl: (id: string) => string | null;
  /** marks a free seat claimed and returns it, or null when every seat is taken */
  claim: () => { id: string; token: string } | null;
  reset: (id: string) => Promise<string>;
  solve: (id: string, address: string) => Promise<string>;
  progressCsv: () => Promise<string>;
  /** shows a message above every seat's terminal; answers how many seats got it */
  broadcast: (text: string) => Promise<string>;
  /** every lesson/step address, for the solve menu */
  steps: () => string[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** wrong workshop codes tolerated per minute, from anyone: 6 characters of 31 are then unguessable */
const CLAIM_ATTEMPTS_PER_MINUTE = 20;

export function createInstructorApp(deps: InstructorDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // every route checks the Host (DNS rebinding); only the learners' routes skip the token
  app.use((req: Request, res: Response, next: NextFunction) => {
    const refused = checkHost(req.headers.host, deps.gate());
    if (refused && !refused.ok) {
      res.status(refused.status).json({ error: { code: refused.code, message: refused.message } });
      return;
    }
    next();
  });

  app.get('/join/:seat', (req, res) => {
    const seat = deps.plan().seats.find((s) => s.id === req.params.seat);
    const given = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (!seat || !tokenMatches(given, seat.token)) {
      res.status(401).type('html').send(claimPage('This join link is not valid', 'Check the link on your seat card, or claim a free seat with the workshop code.'));
      return;
    }
    const url = deps.seatUrl(seat.id);
    if (!url) {
      res.status(503).type('html').send(claimPage(`${seat.id} is not running`, 'Your seat is starting or stopped; try again in a moment, or ask the instructor.'));
      return;
    }
    res.redirect(302, url);
  });

  let windowStart = Date.now();
  let wrongCodes = 0;
  app.get('/claim', (_req, res) => {
    res.type('html').send(claimPage('Claim a seat', null));
  });
  app.post('/claim', express.urlencoded({ extended: false, limit: '1kb' }), (req, res) => {
    if (Date.now() - windowStart > 60_000) {
      windowStart = Date.now();
      wrongCodes = 0;
    }
    if (wrongCodes >= CLAIM_ATTEMPTS_PER_MINUTE) {
      res.status(429).type('html').send(claimPage('Too many wrong codes', 'Wait a minute, then type the code shown on the instructor\'s screen.'));
      return;
    }
    const code = String((req.body as Record<string, unknown> | undefined)?.code ?? '').trim().toUpperCase();
    if (!tokenMatches(code, deps.plan().code)) {
      wrongCodes++;
      res.status(403).type('html').send(claimPage('Claim a seat', 'That is not the workshop code; check it on the instructor\'s screen.'));
      return;
    }
    const seat = deps.claim();
    if (!seat) {
      res.status(409).type('html').send(claimPage('Every seat is taken', 'Ask the instructor to add seats (they restart the workshop with a larger --seats).'));
      return;
    }
    // a page with a link, not a redirect: the CSP's form-action would stop a cross-port redirect
    const link = joinUrl(deps.base(), seat);
    res.type('html').send(claimPage(`You have ${seat.id}`, null, link));
  });

  // the instructor's side: the lab's gate with the instructor's token
  app.use((req: Request, res: Response, next: NextFunction) => {
    const cfg = deps.gate();
    const v = gateHttp(req, cfg);
    if (!v.ok) {
      res.status(v.status);
      if (!req.path.startsWith('/api/')) res.type('html').send(claimPage(v.status === 401 ? 'Instructor token needed' : 'Request refused', v.message));
      else res.json({ error: { code: v.code, message: v.message } });
      return;
    }
    if (v.via === 'query') {
      res.setHeader('Set-Cookie', tokenCookie(cfg.port, cfg.token));
      if (req.method === 'GET' && !req.path.startsWith('/api/')) {
        res.redirect(303, req.path);
        return;
      }
    }
    next();
  });

  app.get('/', (_req, res) => {
    res.type('html').send(instructorPage(deps.plan().code, deps.base(), deps.steps()));
  });
  app.get('/instructor.js', (_req, res) => {
    res.type('text/javascript').send(INSTRUCTOR_SCRIPT);
  });
  app.get('/api/seats', async (_req, res, next) => {
    try {
      res.json({ code: deps.plan().code, seats: await deps.seats() });
    } catch (err) {
      next(err);
    }
  });
  app.get('/api/progress.csv', async (_req, res, next) => {
    try {
      res.type('text/csv').setHeader('Content-Disposition', 'attachment; filename="workshop-progress.csv"');
      res.send(await deps.progressCsv());
    } catch (err) {
      next(err);
    }
  });
  const seatOr404 = (id: string): string => {
    if (!deps.plan().seats.some((s) => s.id === id)) throw new HttpError(404, 'LAB_ERR_NO_SUCH_SEAT', `there is no seat "${id}"; seats are ${deps.plan().seats.map((s) => s.id).join(', ')}`);
    return id;
  };
  app.post('/api/seats/:seat/reset', async (req, res, next) => {
    try {
      res.json({ message: await deps.reset(seatOr404(req.params.seat)) });
    } catch (err) {
      next(err);
    }
  });
  app.post('/api/seats/:seat/solve', express.json({ limit: '1kb' }), async (req, res, next) => {
    try {
      const id = seatOr404(req.params.seat);
      const to = (req.body as { to?: unknown } | undefined)?.to;
      if (typeof to !== 'string' || !deps.steps().includes(to))
        throw new HttpError(400, 'LAB_ERR_BAD_REQUEST', `"to" must be one of the chapter's steps (lesson/step), e.g. ${deps.steps()[0]}`);
      res.json({ message: await deps.solve(id, to) });
    } catch (err) {
      next(err);
    }
  });

  app.post('/api/broadcast', express.json({ limit: '4kb' }), async (req, res, next) => {
    try {
      const text = (req.body as { text?: unknown } | undefined)?.text;
      if (typeof text !== 'string' || !text.trim()) throw new HttpError(400, 'LAB_ERR_BAD_REQUEST', '"text" must be the message to show, e.g. {"text":"Break until 11:00"}');
      if (text.length > MAX_NOTICE_CHARS) throw new HttpError(400, 'LAB_ERR_BAD_REQUEST', `a broadcast is at most ${MAX_NOTICE_CHARS} characters; this one has ${text.length}`);
      res.json({ message: await deps.broadcast(text.trim()) });
    } catch (err) {
      next(err);
    }
  });
  app.get('/vendor/xterm.js', (_req, res) => res.type('text/javascript').sendFile(XTERM_JS));
  app.get('/vendor/xterm.css', (_req, res) => res.type('text/css').sendFile(XTERM_CSS));

  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: { code: 'LAB_ERR_NOT_FOUND', message: `no route ${req.method} ${req.path}` } });
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    const e = err instanceof HttpError ? err : new HttpError(500, 'LAB_ERR_WORKSHOP_INTERNAL', err.message);
    res.status(e.status).json({ error: { code: e.code, message: e.message } });
  });
  return app;
}

