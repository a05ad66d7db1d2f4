// Shows in the header which cluster the terminal's kubectl talks to, from /api/status, and keeps
// asking: when the sandbox has been reset in place (`sandbox reset --in-place`, or the page's own
// reset), every step's status is out of date, so the page is told with a CLUSTER_RESET_EVENT.
import { clearChecks, loadChecks } from './lesson-progress.ts';

interface StatusBody {
  cluster: { provider: string; state: string; context?: string; message?: string };
  /** in-place resets since the lab server started, and when the last one finished */
  reset?: { epoch: number; at: string | null };
}

/** dispatched on document after the sandbox went back to the Status Quo */
export const CLUSTER_RESET_EVENT = 'coredns-lab:cluster-reset';
const POLL_MS = 3_000;

let seenEpoch: number | null = null;

function noticeReset(reset: StatusBody['reset']): void {
  if (!reset) return;
  if (seenEpoch === null) {
    seenEpoch = reset.epoch;
    // a reset while this tab was closed: statuses saved before it are no longer true
    const at = reset.at ? Date.parse(reset.at) : NaN;
    if (Number.isFinite(at) && [...loadChecks().values()].some((c) => c.at < at)) announceReset();
    return;
  }
  if (reset.epoch !== seenEpoch) {
    seenEpoch = reset.epoch;
    announceReset();
  }
}

function announceReset(): void {
  clearChecks();
  document.dispatchEvent(new CustomEvent(CLUSTER_RESET_EVENT));
}

async function refresh(badge: HTMLElement): Promise<void> {
  try {
    const r = await fetch('/api/status', { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const body = (await r.json()) as StatusBody;
    badge.dataset.clusterStatus = body.cluster.state;
    badge.dataset.clusterProvider = body.cluster.provider;
    badge.textContent = `cluster: ${body.cluster.provider} · ${body.cluster.state}`;
    // the context says which of the learner's clusters kubectl talks to (kind-coredns-lab, minikube's profile, ...)
    badge.title = [body.cluster.context && `kubectl context: ${body.cluster.context}`, body.cluster.message].filter(Boolean).join('\n');
    if (body.reset) badge.dataset.resetEpoch = String(body.reset.epoch);
    noticeReset(body.reset);
  } catch (err) {
    badge.dataset.clusterStatus = 'error';
    badge.textContent = 'cluster: unknown';
    badge.title = String(err);
  }
}

export async function showClusterStatus(): Promise<void> {
  const badge = document.querySelector<HTMLElement>('[data-cluster-status]');
  if (!badge) return;
  await refresh(badge);
  window.setInterval(() => {
    if (!document.hidden) void refresh(badge);
  }, POLL_MS);
}
