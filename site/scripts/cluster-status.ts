// Shows in the header which cluster the terminal's kubectl talks to, from /api/status, and keeps
// asking: when the sandbox has been reset in place (`sandbox reset --in-place`), every step's
// status is out of date, so the page is told with a CLUSTER_RESET_EVENT. (The page's own reset
// buttons acknowledge their epoch, and check every step themselves.)

interface StatusBody {
  cluster: { provider: string; state: string; context?: string; message?: string };
  /** in-place resets since the lab server started, and when the last one finished */
  reset?: { epoch: number; at: string | null };
}

/** dispatched on document after the sandbox went back to the Status Quo */
export const CLUSTER_RESET_EVENT = 'coredns-lab:cluster-reset';
const POLL_MS = 3_000;

let seenEpoch: number | null = null;

/** the page reset the sandbox itself and checks every step again: this epoch is no news */
export function acknowledgeReset(epoch: number): void {
  seenEpoch = Math.max(seenEpoch ?? 0, epoch);
}

function noticeReset(reset: StatusBody['reset']): void {
  // the first answer is the baseline: the page checks every step on load anyway
  if (!reset || (seenEpoch !== null && reset.epoch <= seenEpoch)) return;
  const first = seenEpoch === null;
  seenEpoch = reset.epoch;
  if (!first) document.dispatchEvent(new CustomEvent(CLUSTER_RESET_EVENT));
}

/** the badge is a live region: it is written only when its words change, so a poll is not re-announced */
function show(badge: HTMLElement, state: string, text: string, message: string | undefined): void {
  badge.dataset.clusterStatus = state;
  if (badge.textContent !== text) badge.textContent = text;
  // the message is text on the page (a title is seen by nobody on a phone or with a screen reader)
  const line = document.querySelector<HTMLElement>('[data-cluster-message]');
  if (!line) return;
  if (line.textContent !== (message ?? '')) line.textContent = message ?? '';
  line.hidden = !message;
}

async function refresh(badge: HTMLElement): Promise<void> {
  try {
    const r = await fetch('/api/status', { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const body = (await r.json()) as StatusBody;
    badge.dataset.clusterProvider = body.cluster.provider;
    // the context says which of the learner's clusters kubectl talks to (kind-coredns-lab, minikube's profile, ...)
    const context = body.cluster.context ? `kubectl context: ${body.cluster.context}` : undefined;
    show(badge, body.cluster.state, `cluster: ${body.cluster.provider} · ${body.cluster.state}`, [context, body.cluster.message].filter(Boolean).join(' · ') || undefined);
    if (body.reset) badge.dataset.resetEpoch = String(body.reset.epoch);
    noticeReset(body.reset);
  } catch (err) {
    show(badge, 'error', 'cluster: unknown', `The lab server did not answer (${String(err)}). Is \`coredns-lab serve\` still running?`);
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
