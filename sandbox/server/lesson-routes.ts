// The lessons over HTTP for the page: the chapter to render, a step's check, and a solve. The
// check runner is loaded on first use, so a serve that nobody checks from never loads it.
import { Router, type Request, type Response } from 'express';
import type { ClusterInfo } from '../providers/types.ts';

type Checks = typeof import('../checks/index.ts');

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function lessonRoutes(cluster: () => Promise<ClusterInfo>): Router {
  const router = Router();
  let checks: Promise<Checks> | null = null;
  const load = (): Promise<Checks> => (checks ??= import('../checks/index.ts'));
  // one solve at a time: two would race each other's kubectl create/apply
  let solving: string | null = null;

  /** the chapter, or a 500 naming the lesson file at fault; with an address, a 404 listing what exists when it names nothing */
  const chapterOr = async (res: Response, address?: string) => {
    const c = await load();
    let chapter;
    try {
      chapter = c.loadChapter();
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

  router.get('/lessons', async (_req, res) => {
    const got = await chapterOr(res);
    if (!got) return;
    res.setHeader('Cache-Control', 'no-store');
    res.json(got.chapter);
  });

  const check = async (req: Request, res: Response) => {
    const got = await chapterOr(res, address(req));
    if (!got) return;
    const kubeconfig = await runningCluster(res);
    if (!kubeconfig) return;
    const results = await got.c.checkAddress({ kubeconfig }, got.chapter, address(req));
    res.setHeader('Cache-Control', 'no-store');
    res.json(req.params.step ? results[0] : results);
  };
  router.post('/checks/:lesson', check);
  router.post('/checks/:lesson/:step', check);

  router.post('/solve/:lesson/:step', async (req, res) => {
    const got = await chapterOr(res, address(req));
    if (!got) return;
    if (solving) return fail(res, 409, 'LAB_ERR_BUSY', `a solve up to ${solving} is running; try again when it has finished`);
    // taken before the first await, so two requests arriving together cannot both start
    solving = address(req);
    const log: string[] = [];
    try {
      const kubeconfig = await runningCluster(res);
      if (!kubeconfig) return;
      await got.c.solveTo({ kubeconfig }, got.chapter, address(req), (line) => log.push(line));
      const [result] = await got.c.checkAddress({ kubeconfig }, got.chapter, address(req));
      res.json({ log, result });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (typeof code !== 'string' || !code.startsWith('LAB_ERR_')) throw err;
      res.status(500).json({ error: { code, message: (err as Error).message }, log });
    } finally {
      solving = null;
    }
  });
  return router;
}
