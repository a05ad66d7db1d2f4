// Shows in the header which cluster the terminal's kubectl talks to, from /api/status.

interface StatusBody {
  cluster: { provider: string; state: string; message?: string };
}

export async function showClusterStatus(): Promise<void> {
  const badge = document.querySelector<HTMLElement>('[data-cluster-status]');
  if (!badge) return;
  try {
    const r = await fetch('/api/status', { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const body = (await r.json()) as StatusBody;
    badge.dataset.clusterStatus = body.cluster.state;
    badge.textContent = `cluster: ${body.cluster.provider} · ${body.cluster.state}`;
    if (body.cluster.message) badge.title = body.cluster.message;
  } catch (err) {
    badge.dataset.clusterStatus = 'error';
    badge.textContent = 'cluster: unknown';
    badge.title = String(err);
  }
}
