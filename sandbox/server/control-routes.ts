// The owner's control channel over HTTP, behind the lab's gate (its token): what the Unix
// socket offers on one machine (status, reset, notice), for a workshop front end whose seats run
// elsewhere (seat pods on Kubernetes). `down` stays on the socket: a page's token never stops
// the server. The request and answer are the socket's JSON lines, one per HTTP exchange.
import express, { Router } from 'express';
import { ControlErrorCode, MAX_NOTICE_CHARS, type ControlResponse } from '../owner/control-protocol.ts';
import { ControlError } from '../owner/errors.ts';
import type { ControlHandlers } from '../owner/control-server.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ControlRouteDeps {
  /** the owner's handlers, once it has them */
  handlers: () => ControlHandlers | null;
  stateDir: string;
}

const STATUS_OF: Record<string, number> = {
  [ControlErrorCode.BAD_REQUEST]: 400,
  [ControlErrorCode.UNKNOWN_OP]: 400,
  [ControlErrorCode.NOT_SUPPORTED]: 400,
  [ControlErrorCode.NOT_READY]: 503,
  [ControlErrorCode.NO_CLUSTER]: 409,
};

export function controlRoutes(deps: ControlRouteDeps): Router {
  const router = Router();
  router.post('/', express.json({ limit: '8kb' }), async (req, res) => {
    const body = (req.body ?? {}) as { op?: unknown; text?: unknown; level?: unknown };
    const send = (r: ControlResponse, status = 200) => res.status(status).json(r);
    try {
      const h = deps.handlers();
      if (!h) throw new ControlError(ControlErrorCode.NOT_READY, 'the lab is still starting; try again once it has printed its URL');
      if (body.op === 'status') return send({ ok: true, result: await h.status() });
      if (body.op === 'reset') return send({ ok: true, result: await h.reset() });
      if (body.op === 'notice') {
        if (typeof body.text !== 'string' || !body.text.trim()) throw new ControlError(ControlErrorCode.BAD_REQUEST, 'notice needs "text", a non-empty string');
        if (body.text.length > MAX_NOTICE_CHARS) throw new ControlError(ControlErrorCode.BAD_REQUEST, `"text" is at most ${MAX_NOTICE_CHARS} characters`);
        const level = body.level === 'warning' ? 'warning' : 'info';
        if (!h.notice) throw new ControlError(ControlErrorCode.NOT_SUPPORTED, 'this owner has no pages to show a notice on');
        return send({ ok: true, result: await h.notice(body.text.trim(), level) });
      }
      throw new ControlError(ControlErrorCode.UNKNOWN_OP, `unknown op ${JSON.stringify(body.op)}; over HTTP use one of status, reset, notice (down only on the control socket)`);
    } catch (err) {
      const code = err instanceof ControlError ? (err.code as ControlErrorCode) : ControlErrorCode.INTERNAL;
      send({ ok: false, error: { code, message: (err as Error).message } }, STATUS_OF[code] ?? 500);
    }
  });
  // what the pages of this lab recorded (progress.json), for a workshop's instructor view
  router.get('/progress', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    try {
      res.type('application/json').send(readFileSync(join(deps.stateDir, 'progress.json'), 'utf8'));
    } catch {
      res.json({});
    }
  });
  return router;
}
