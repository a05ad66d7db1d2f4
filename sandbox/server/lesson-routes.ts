// The lessons over HTTP for the page: the chapter to render, a step's check, a solve, each
// browser's progress, and the page's two resets (the sandbox, or one lesson). The check runner
// is loaded on first use, so a serve that nobody checks from never loads it.
import express, { Router, type Request, type Response } from 'express';
import type { ClusterInfo } from '../providers/types.ts';
import type { ResetResult } from '../owner/control-protocol.ts';
import type { ProgressStore, SavedStatus } from './progress-store.ts';

type Checks = typeof import('../checks/index.ts');

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export interface LessonRouteDeps {
  cluster: () => Promise<ClusterInfo>;
  progress: ProgressStore;
  /** the sandbox back to the Status Quo in place, asked of its owner over the control channel */
  resetSandbox: () => Promise<ResetResult>;
}

/** the control channel's refusals, as HTTP statuses: the lab is there but cannot reset now */
const RESET_STATUS: Record<string, number> = {
  LAB_ERR_OWNER_NOT_READY: 503,
  LAB_ERR_NO_CLUSTER: 503,
  LAB_ERR_SANDBOX_NOT_RUNNING: 503,
  LAB_ERR_OWNER_NOT_ANSWERING: 503,
  LAB_ERR_RESET_FAILED: 500,
};

/** whose progress a request is: the gate's client (sandbox/server/app.ts puts it in res.locals) */
const clientOf = (res: Response): string => String(res.locals.client ?? 'token');

/** how long after the routes are made the checks are loaded in the background */
const CHECKS_WARM_UP_MS = 1500;

export function lessonRoutes({ cluster, progress, resetSandbox }: LessonRouteDeps): Router {
  const router = Router();
  let checks: Promise<Checks> | null = null;
  const load = (): Promise<Checks> => (checks ??= import('../checks/index.ts'));
  // The checks (and @kubernetes/client-node under them) load after start-up, not with the first
  // check: that first check would otherwise wait about 0.5 s of CPU for the import, and a
  // workshop's seats, all checked at once as the room starts, took seconds for it. Not at once,
  // so the server's start and the first prompt come first.
  // The chapter and the API client come with them (about 55 ms of CPU a seat).
  const warmUp = async () => {
    const c = await load();
    const info = await cluster();
    c.warmUp(info.state === 'running' ? info.kubeconfig : undefined);
  };
  setTimeout(() => void warmUp().catch(() => undefined), CHECKS_WARM_UP_MS).unref();
  // one solve or reset at a time: two would race each other's kubectl create/apply
  let solving: string | null = null;

  /** the chapter, or a 500 naming the lesson file at fault; with an address, a 404 listing what exists when it names nothing */
  const chapterOr = async (res: Response, address?: string) => {
    const c = await load();
    let chapter;
    try {
      // the templates that fit the cluster (kind's or minikube's files there)
      chapter = c.withTemplates(c.loadChapter(), c.templateSetFor(await cluster()));
    } catch (err) {
      fail(res, 500, (err as { code?: string }).code ?? 'LAB_ERR_LESSON', (err as Error).message);
      return null;
    }
    if (address !== undefined) {
      try {
        c.findStep(chapter, address);
      } catch (err) {
        fail(res, 404, 'LAB_ERR_NOT_FOUND', (err as Error).message);
        return null;
      }
    }
    return { c, chapter };
  };

  /** the kubeconfig of a running cluster, or a 503 that says what to do */
  const runningCluster = async (res: Response): Promise<string | null> => {
    const info = await cluster();
    if (info.state === 'running') return info.kubeconfig;
    fail(res, 503, 'LAB_ERR_CLUSTER_NOT_READY', `the ${info.provider} cluster is ${info.state}${info.message ? `: ${info.message}` : ''}; checks and solves need it running`);
    return null;
  };

  const address = (req: Request): string => [req.params.lesson, req.params.step].filter(Boolean).join('/');
  const everyStep = (chapter: { lessons: { id: string; steps: { id: string }[] }[] }) => chapter.lessons.flatMap((l) => l.steps.map((s) => `${l.id}/${s.id}`));
  type Result = { step: string; status: SavedStatus };
  const remember = (res: Response, chapter: Parameters<typeof everyStep>[0], results: Result[], started: Date) =>
    progress.record(clientOf(res), results, everyStep(chapter), started);

  router.get('/lessons', async (_req, res) => {
    const got = await chapterOr(res);
    if (!got) return;
    res.setHeader('Cache-Control', 'no-store');
    res.json(got.chapter);
  });

  const check = async (req: Request, res: Response) => {
    const got = await chapterOr(res, req.params.lesson ? address(req) : undefined);
    if (!got) return;
    const kubeconfig = await runningCluster(res);
    if (!kubeconfig) return;
    const started = new Date();
    const results = await got.c.checkAddress({ kubeconfig }, got.chapter, req.params.lesson ? address(req) : undefined);
    remember(res, got.chapter, results, started);
    res.setHeader('Cache-Control', 'no-store');
    res.json(req.params.step ? results[0] : results);
  };
  router.post('/checks', check);
  router.post('/checks/:lesson', check);
  router.post('/checks/:lesson/:step', check);

  /**
   * One solve or reset at a time: `work` runs alone, collecting its lines in `log`; a LAB_ERR_
   * failure is a 500 with the log so far (how far it got), anything else a bug for express.
   */
  const alone = async (res: Response, what: string, work: (log: string[]) => Promise<void>): Promise<void> => {
    if (solving) return fail(res, 409, 'LAB_ERR_BUSY', `${solving} is running; try again when it has finished`);
    // taken before the first await, so two requests arriving together cannot both start
    solving = what;
    const log: string[] = [];
    try {
      await work(log);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (typeof code !== 'string' || !code.startsWith('LAB_ERR_')) throw err;
      res.status(500).json({ error: { code, message: (err as Error).message }, log });
    } finally {
      solving = null;
    }
  };

  router.post('/solve/:lesson/:step', async (req, res) => {
    const got = await chapterOr(res, address(req));
    if (!got) return;
    await alone(res, `a solve up to ${address(req)}`, async (log) => {
      const kubeconfig = await runningCluster(res);
      if (!kubeconfig) return;
      await got.c.solveTo({ kubeconfig }, got.chapter, address(req), (line) => log.push(line));
      const started = new Date();
      const [result] = await got.c.checkAddress({ kubeconfig }, got.chapter, address(req));
      remember(res, got.chapter, [result!], started);
      res.json({ log, result });
    });
  });

  router.get('/progress', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(progress.get(clientOf(res)));
  });

  router.put('/progress/open', express.json({ limit: '4kb' }), (req, res) => {
    const { lesson, step } = (req.body ?? {}) as { lesson?: unknown; step?: unknown };
    if (typeof lesson !== 'string' || (step !== undefined && step !== null && typeof step !== 'string'))
      return fail(res, 400, 'LAB_ERR_BAD_REQUEST', 'expected a JSON body {"lesson": "<lesson id>", "step": "<step id>" or null}');
    try {
      res.json(progress.setOpen(clientOf(res), lesson, step ?? null));
    } catch (err) {
      fail(res, 400, 'LAB_ERR_BAD_REQUEST', (err as Error).message);
    }
  });

  /**
   * POST /reset: the sandbox back to the Status Quo; POST /reset/<lesson>: back to where that
   * lesson starts (the Status Quo, then the solves of every earlier lesson). The terminals keep
   * running; the page checks every step again afterwards.
   */
  const reset = async (req: Request, res: Response) => {
    const lessonId = typeof req.params.lesson === 'string' ? req.params.lesson : undefined;
    const got = lessonId === undefined ? null : await chapterOr(res, lessonId);
    if (lessonId !== undefined && !got) return;
    await alone(res, lessonId ? `a reset of lesson ${lessonId}` : 'a reset of the sandbox', async (log) => {
      let result: ResetResult;
      try {
        result = await resetSandbox();
      } catch (err) {
        const code = String((err as { code?: unknown }).code ?? 'LAB_ERR_RESET_FAILED');
        return fail(res, RESET_STATUS[code] ?? 500, code, (err as Error).message);
      }
      if (!lessonId) progress.restart(clientOf(res));
      log.push('the sandbox is back at the Status Quo');
      const index = got ? got.chapter.lessons.findIndex((l) => l.id === lessonId) : -1;
      const before = index > 0 ? got!.chapter.lessons[index - 1]! : null;
      if (got && before) {
        const kubeconfig = await runningCluster(res);
        if (!kubeconfig) return;
        await got.c.solveTo({ kubeconfig }, got.chapter, before.id, (line) => log.push(line));
      }
      res.setHeader('Cache-Control', 'no-store');
      res.json({ reset: result, log });
    });
  };
  router.post('/reset', reset);
  router.post('/reset/:lesson', reset);
  return router;
}
