// The owner's control channel over HTTP, behind the lab's gate (its token): what the Unix
// socket offers on one machine (status, reset, notice), for a workshop front end whose seats run
// elsewhere (seat pods on Kubernetes). `down` stays on the socket: a page's token never stops
// the server. The request and answer are the socket's JSON lines, one per HTTP exchange.
import express, { Router } from 'express';
import { ControlErrorCode, type ControlResponse } from '../owner/control-protocol.ts';
import { answer, type ControlHandlers } from '../owner/control-server.ts';
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
    const body = (req.body ?? {}) as { op?: unknown };
    const h = deps.handlers();
    const refused = (code: ControlErrorCode, message: string): ControlResponse => ({ ok: false, error: { code, message } });
    const response: ControlResponse = !h
      ? refused(ControlErrorCode.NOT_READY, 'the lab is still starting; try again once it has printed its URL')
      : body.op === 'down'
        ? refused(ControlErrorCode.UNKNOWN_OP, 'over HTTP use one of status, reset, notice (down only on the control socket)')
        : (await answer(JSON.stringify(body), h)).response;
    res.status(response.ok ? 200 : (STATUS_OF[response.error.code] ?? 500)).json(response);
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
