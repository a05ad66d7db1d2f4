// The arithmetic of a rolling update, as the deployment controller defines it: how far the new
// ReplicaSet may grow (maxSurge) and how far the old ones may shrink (maxUnavailable).

export type IntOrPercent = number | string | undefined;

/** "25%" of total, rounded up for surge and down for unavailability; plain numbers as they are */
export function resolveIntOrPercent(value: IntOrPercent, total: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number.parseInt(v, 10) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function surgeAndUnavailable(
  replicas: number,
  maxSurge: IntOrPercent,
  maxUnavailable: IntOrPercent,
): { surge: number; unavailable: number } {
  const surge = resolveIntOrPercent(maxSurge, replicas, true, '25%');
  let unavailable = resolveIntOrPercent(maxUnavailable, replicas, false, '25%');
  // both zero would deadlock the rollout; the API forbids it and the controller assumes one
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

export interface RsCounts {
  name: string;
  replicas: number;
  available: number;
}

/** the new ReplicaSet's next size: grow toward desired without passing desired + surge in total */
export function nextNewReplicas(desired: number, surge: number, newRs: RsCounts, all: RsCounts[]): number {
  if (newRs.replicas >= desired) return desired;
  const total = all.reduce((n, r) => n + r.replicas, 0);
  const room = desired + surge - total;
  if (room <= 0) return newRs.replicas;
  return newRs.replicas + Math.min(room, desired - newRs.replicas);
}

/**
 * How far to shrink each old ReplicaSet (oldest first) without dropping below
 * desired - unavailable available pods. Returns new sizes by name, only for those that change.
 */
export function shrinkOld(desired: number, unavailable: number, newRs: RsCounts, old: RsCounts[]): Map<string, number> {
  const sizes = new Map(old.map((r) => [r.name, r.replicas]));
  const oldTotal = old.reduce((n, r) => n + r.replicas, 0);
  if (oldTotal === 0) return new Map();
  const all = [newRs, ...old];
  const allPods = all.reduce((n, r) => n + r.replicas, 0);
  const minAvailable = desired - unavailable;
  const newUnavailable = Math.max(0, newRs.replicas - newRs.available);
  // first the old pods that are not available anyway: removing them costs no availability
  let budget = allPods - minAvailable - newUnavailable;
  for (const r of old) {
    if (budget <= 0) break;
    const unhealthy = Math.max(0, sizes.get(r.name)! - r.available);
    const cut = Math.min(budget, unhealthy);
    if (cut > 0) {
      sizes.set(r.name, sizes.get(r.name)! - cut);
      budget -= cut;
    }
  }
  // then available ones, as far as the available total allows
  let spare = all.reduce((n, r) => n + Math.min(r.available, r === newRs ? r.replicas : sizes.get(r.name)!), 0) - minAvailable;
  for (const r of old) {
    if (spare <= 0) break;
    const cut = Math.min(spare, sizes.get(r.name)!);
    if (cut > 0) {
      sizes.set(r.name, sizes.get(r.name)! - cut);
      spare -= cut;
    }
  }
  return new Map([...sizes].filter(([name, n]) => n !== old.find((r) => r.name === name)!.replicas));
}
