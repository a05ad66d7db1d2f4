// A workshop: N seats, each a lab of its own (seat-process.ts) in its own cgroup, and the
// instructor's server in front (instructor-app.ts). Everything it starts, stop() stops.
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowedHostsFor, isLoopbackHost } from '../server/gate.ts';
import { listen } from '../server/lab-server.ts';
import { makePrivateDir, usePrivateUmask } from '../private-state.ts';
import type { OwnerStatus } from '../owner/control-protocol.ts';
import { REPO_ROOT } from '../terminal/workspace.ts';
import { probeShellSandbox } from '../terminal/shell-sandbox.ts';
import { createInstructorApp, type SeatView } from './instructor-app.ts';
import { enterFrontGroup, seatGroup, sweepStaleGroups, type SeatGroup, type SeatLimits } from './limits.ts';
import { loadOrCreatePlan, savePlan, type WorkshopPlan } from './plan.ts';
import { SeatProcess } from './seat-process.ts';
import { attachSeatProxy, type Backend } from './seat-proxy.ts';
import { RemoteSeat } from './remote-seat.ts';
import { attachSeatWatch } from './seat-watch.ts';
import { SleepPolicy, seatFreezer } from './sleep.ts';
import { csvField, writeSeatLinks } from './seat-links.ts';

export interface WorkshopOptions {
  seats: number;
  host: string;
  /** 0 picks free ports for the instructor and every seat */
  port: number;
  stateDir: string;
  /** the host name learners use, when --host is a wildcard such as 0.0.0.0 */
  publicHost?: string;
  limits: SeatLimits;
  /** put a seat to sleep after this long with no page connected and no request; 0: never */
  sleepAfterMs: number;
  /** serve the instructor's page and every seat over HTTPS with this certificate and key (PEM files) */
  tls?: { cert: string; key: string };
  /** the seats run elsewhere (seat pods): where each one listens (see remote-seat.ts); none are started here */
  remoteSeats?: Backend[];
  /** a plan to start from when the state dir has none (the front end's Secret on Kubernetes) */
  planFile?: string;
  say: (line: string) => void;
}

export interface Workshop {
  /** the instructor's page, with the instructor's token */
  instructorUrl: string;
  base: string;
  plan: WorkshopPlan;
  seats: Array<SeatProcess | RemoteSeat>;
  /** why the per-seat limits or the shell sandbox are off, if they are */
  warnings: string[];
  stop(): Promise<void>;
}

export class WorkshopRefusedError extends Error {
  readonly code = 'LAB_ERR_WORKSHOP_REFUSED' as const;
  constructor(message: string) {
    super(message);
    this.name = 'WorkshopRefusedError';
  }
}

/** how often the seats' cgroups are read for limit hits to tell their learners about */
const LIMIT_POLL_MS = 3000;

/** what the learner reads when their seat hit a limit (hits as limits.ts words them) */
export function limitNotice(hits: string[]): string {
  const what = hits.map((h) => h.replace(/ hit \d+ times?$/, '')).join(' and ');
  const cause = hits.some((h) => h.startsWith('memory'))
    ? 'the kernel stopped the process that used the most memory'
    : 'a command started more processes than a seat may run';
  return `Your seat reached its ${what}: ${cause}. Press Ctrl-C to stop the command; your cluster and progress are fine. Ask the instructor if it keeps happening.`;
}

/** seats start two at a time: each one's cluster start is a second or two of CPU */
const START_CONCURRENCY = 2;

export async function startWorkshop(opts: WorkshopOptions): Promise<Workshop> {
  usePrivateUmask();
  makePrivateDir(opts.stateDir);
  const warnings: string[] = [];
  const remote = !isLoopbackHost(opts.host);
  const sandbox = opts.remoteSeats ? ({ ok: true } as const) : probeShellSandbox();
  if (!sandbox.ok) {
    if (remote)
      throw new WorkshopRefusedError(
        `learners on other machines need each seat's shells in a sandbox, and ${sandbox.why}. ` +
          'Fix that, or run the workshop on 127.0.0.1 (one machine, trusted users). "coredns-lab doctor" says more.',
      );
    warnings.push(`shells are not sandboxed: ${sandbox.why}`);
  }
  const plan = loadOrCreatePlan(opts.stateDir, opts.seats, opts.planFile);
  const active = plan.seats.slice(0, opts.seats);

  const { ensureSiteBuilt, siteLayout } = await import('../server/site-build.ts');
  // built once here, so that the seats do not all build it at once
  if (!opts.remoteSeats) await ensureSiteBuilt(siteLayout(REPO_ROOT), opts.say);

  sweepStaleGroups();
  const groups = new Map<string, SeatGroup>();
  const sleepers = new Map<string, SleepPolicy>();
  const workshopName = `ws${process.pid}`;
  const remoteSeats = opts.remoteSeats;
  if (remoteSeats && remoteSeats.length !== active.length) throw new WorkshopRefusedError(`${remoteSeats.length} remote seat addresses for ${active.length} seats`);
  const seats: Array<SeatProcess | RemoteSeat> = remoteSeats
    ? active.map((s, i) => new RemoteSeat(s, remoteSeats[i]!, join(opts.stateDir, 'seats', s.id)))
    : active.map((s) => {
    const g = seatGroup(`${workshopName}-${s.id}`, opts.limits, `${workshopName}-commands`);
    if (g.ok) groups.set(s.id, g.group);
    else if (!warnings.some((w) => w.startsWith('no per-seat limits'))) warnings.push(`no per-seat limits: ${g.why}`);
    const freezer = opts.sleepAfterMs > 0 ? seatFreezer(`${workshopName}-${s.id}`, g.ok ? (g.group.v2Dir ?? null) : null) : null;
    if (freezer) sleepers.set(s.id, new SleepPolicy(freezer, opts.sleepAfterMs));
    else if (opts.sleepAfterMs > 0 && !warnings.some((w) => w.startsWith('idle seats'))) warnings.push('idle seats stay awake: no cgroup freezer here');
    return new SeatProcess(s, {
      workshopDir: opts.stateDir,
      sandboxShells: sandbox.ok,
      group: g.ok ? g.group : null,
      moreGroups: freezer?.procsFile ? [freezer.procsFile] : [],
    });
    });
  const byId = new Map(seats.map((s) => [s.id, s]));
  /** a seat's public port (its proxy's), once listening */
  const seatPorts = new Map<string, number>();

  let port = opts.port;
  const publicHost = opts.publicHost ?? (opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host);
  const hostPart = publicHost.includes(':') ? `[${publicHost}]` : publicHost;
  const scheme = opts.tls ? 'https:' : 'http:';
  const base = () => `${scheme}//${hostPart}:${port}`;
  const allowedHosts = allowedHostsFor(opts.host, opts.publicHost ? [opts.publicHost] : []);
  const tlsOptions = opts.tls ? { cert: readFileSync(opts.tls.cert), key: readFileSync(opts.tls.key) } : null;
  const newServer = (handler?: RequestListener): Server =>
    tlsOptions ? (createHttpsServer(tlsOptions, handler) as unknown as Server) : createHttpServer(handler);
  const seatUrl = (id: string): string | null => {
    const p = seatPorts.get(id);
    const seat = active.find((x) => x.id === id);
    return p && seat && byId.get(id)?.backend ? `${scheme}//${hostPart}:${p}/?token=${seat.token}` : null;
  };
  const chapterSteps = await loadSteps();

  const app = createInstructorApp({
    gate: () => ({ token: plan.instructorToken, port, allowedHosts, scheme }),
    plan: () => plan,
    base,
    seatUrl,
    claim: () => {
      const free = active.find((s) => !s.claimedAt && byId.get(s.id)?.state === 'running');
      if (!free) return null;
      free.claimedAt = new Date().toISOString();
      savePlan(opts.stateDir, plan);
      return free;
    },
    seats: () => Promise.all(active.map((s) => seatView(s.id, !!s.claimedAt))),
    reset: (id) =>
      awake(id, async () => {
        const r = await byId.get(id)!.control.reset();
        return `reset ${r.resetEpoch} done: back at the chapter's start`;
      }),
    solve: (id, to) => awake(id, () => byId.get(id)!.control.solve(to)),
    progressCsv: async () => {
      const rows = await Promise.all(active.map((s) => seatView(s.id, !!s.claimedAt)));
      return (
        [['seat', 'claimed', 'state', 'where', 'passed', 'total', 'idle_seconds', ...chapterSteps].map(csvField).join(',')]
          .concat(
            rows.map((r) =>
              [r.id, String(r.claimed), r.state, r.where ?? '', r.passed ?? '', r.total, r.idleSeconds ?? '', ...chapterSteps.map((a) => r.steps[a] ?? '')]
                .map((v) => csvField(String(v)))
                .join(','),
            ),
          )
          .join('\n') + '\n'
      );
    },
    steps: () => chapterSteps,
    broadcast: async (text) => {
      const sent = await Promise.all(seats.map((s) => (s.state === 'running' ? tell(s.id, 'info', text) : Promise.resolve(false))));
      const n = sent.filter(Boolean).length;
      return `sent to ${n} of ${seats.length} seat${seats.length === 1 ? '' : 's'}`;
    },
  });

  /** shows a notice above the seat's terminals; false when the seat did not take it */
  const tell = (id: string, level: 'info' | 'warning', text: string): Promise<boolean> =>
    awake(id, () => byId.get(id)!.control.notice(level, text)).then(
      () => true,
      () => false,
    );

  const awake = <T>(id: string, fn: () => Promise<T>): Promise<T> => sleepers.get(id)?.awake(fn) ?? fn();
  /** the last status each seat answered: a sleeping seat is not woken to be looked at */
  const lastStatus = new Map<string, OwnerStatus>();
  async function seatView(id: string, claimed: boolean): Promise<SeatView> {
    const seat = byId.get(id)!;
    const asleep = sleepers.get(id)?.asleep ?? false;
    let status: OwnerStatus | null = lastStatus.get(id) ?? null;
    if (seat.state === 'running' && !asleep) {
      status = await seat.control.status(3000).catch(() => status);
      if (status) lastStatus.set(id, status);
    }
    const p = await seat.control.progress(chapterSteps).catch(() => ({ where: null, passed: null, steps: {} }));
    const last = status?.lastInputAt ? Date.parse(status.lastInputAt) : null;
    return {
      id,
      state: seat.state === 'running' && asleep ? 'asleep' : seat.state,
      claimed,
      url: seatUrl(id)?.split('?')[0] ?? null,
      terminals: status?.terminals ?? 0,
      idleSeconds: last === null ? null : Math.max(0, Math.round((Date.now() - last) / 1000)),
      resetEpoch: status?.resetEpoch ?? 0,
      where: p.where,
      passed: p.passed,
      steps: p.steps,
      total: chapterSteps.length,
      limitHits: seat.hits,
      message: seat.message,
    };
  }

  const server = newServer(app);
  attachSeatWatch(server, {
    gate: () => ({ token: plan.instructorToken, port, allowedHosts, scheme }),
    seat: async (id) => {
      const s = byId.get(id);
      const secret = active.find((x) => x.id === id)?.token;
      if (!s || !secret || s.state !== 'running') return null;
      sleepers.get(id)?.wake();
      return s.backend ? { backend: s.backend, token: secret } : null;
    },
  });
  port = await listen(server, opts.host, opts.port);
  // a learner whose seat hits a limit is told, not only the instructor
  const toldHits = new Map<string, string>();
  const hitWatch = setInterval(() => {
    for (const s of seats) {
      const hits = s.hits;
      const key = hits.join('; ');
      if (!hits.length || toldHits.get(s.id) === key || s.state !== 'running' || sleepers.get(s.id)?.asleep) continue;
      toldHits.set(s.id, key);
      void tell(s.id, 'warning', limitNotice(hits));
    }
  }, LIMIT_POLL_MS);
  hitWatch.unref();
  const proxies: Server[] = [];
  const stopServer = () =>
    Promise.all([server, ...proxies].map((srv) => new Promise<void>((r) => {
      srv.closeAllConnections();
      srv.close(() => r());
    })));

  try {
    for (const [i, s] of seats.entries()) {
      const proxy = newServer();
      const sleeper = sleepers.get(s.id);
      let seatPort = opts.port === 0 ? 0 : opts.port + 1 + i;
      attachSeatProxy(proxy, {
        gate: () => ({ token: '', port: seatPort, allowedHosts, scheme }),
        backend: async () => {
          sleeper?.wake();
          return s.backend;
        },
        onActivity: (open) => sleeper?.activity(open),
      });
      seatPort = await listen(proxy, opts.host, seatPort);
      seatPorts.set(s.id, seatPort);
      proxies.push(proxy);
    }
    await writeSeatLinks(opts.stateDir, base(), { ...plan, seats: active });
    let started = 0;
    const queue = [...seats];
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        await s.start().then(
          () => sleepers.get(s.id)?.arm(),
          (err: Error) => opts.say(`warning: ${err.message}`),
        );
        opts.say(`seats: ${++started} of ${seats.length} started`);
      }
    };
    await Promise.all(Array.from({ length: START_CONCURRENCY }, worker));
  } catch (err) {
    await Promise.all(seats.map((s) => s.stop()));
    await stopServer();
    throw err;
  }

  // once the seats run (their starts and the site build weigh as usual): from here on this
  // process relays every seat's traffic, and weighs as much as all of them for its CPU
  const front = groups.size > 0 ? enterFrontGroup(`${workshopName}-front`, seats.length) : null;

  return {
    instructorUrl: `${base()}/?token=${plan.instructorToken}`,
    base: base(),
    plan,
    seats,
    warnings,
    async stop() {
      clearInterval(hitWatch);
      for (const sl of sleepers.values()) sl.stop();
      await Promise.all([stopServer(), ...seats.map((s) => s.stop())]);
      for (const g of groups.values()) g.remove();
      for (const sl of sleepers.values()) sl.remove();
      front?.leave();
    },
  };
}

async function loadSteps(): Promise<string[]> {
  const { loadChapter } = await import('../checks/index.ts');
  return loadChapter().lessons.flatMap((l) => l.steps.map((s) => `${l.id}/${s.id}`));
}
