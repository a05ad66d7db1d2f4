// Ages as apimachinery's duration.HumanDuration prints them ("5m30s", "3h", "2d4h", "3y12d").

/** human duration of `from` until `now`; "<unknown>" when unset, "<invalid>" when in the future */
export function age(from: string | undefined, now: Date): string {
  if (!from) return '<unknown>';
  const at = Date.parse(from);
  if (Number.isNaN(at)) return '<unknown>';
  return humanDuration(now.getTime() - at);
}

export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // up to a second in the future counts as now: clocks of writer and reader can disagree
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}
