// CronJob schedules as kube-controller-manager reads them (robfig/cron v3's ParseStandard):
// five fields (minute hour day-of-month month day-of-week) with `*`, `?`, ranges, steps, lists
// and month/weekday names; the descriptors @yearly/@annually, @monthly, @weekly, @daily/@midnight,
// @hourly and `@every <duration>`; an optional `TZ=` or `CRON_TZ=` prefix. Errors are worded as
// the parser words them (the apiserver puts them in `spec.schedule: Invalid value`). Shared by the
// CronJob strategy (validation) and the CronJob controller (next run times).

interface Bounds { min: number; max: number; names?: Record<string, number> }

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** a parsed schedule: the next activation strictly after an instant */
export interface CronSchedule {
  /** the IANA zone of a `TZ=`/`CRON_TZ=` prefix, if any */
  timeZone?: string;
  next(after: Date, timeZone?: string): Date;
}

export class CronSyntaxError extends Error {}

interface FieldSet { values: Set<number>; star: boolean }

function parseInt10(expr: string, b: Bounds): number {
  const named = b.names?.[expr.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[+-]?\d+$/.test(expr)) throw new CronSyntaxError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new CronSyntaxError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseRange(expr: string, b: Bounds, out: FieldSet): void {
  const [rangePart = '', ...stepParts] = expr.split('/');
  const lowHigh = rangePart.split('-');
  if (stepParts.length > 1) throw new CronSyntaxError(`too many slashes: ${expr}`);
  if (lowHigh.length > 2) throw new CronSyntaxError(`too many hyphens: ${expr}`);
  let start: number;
  let end: number;
  let star = false;
  if (lowHigh[0] === '*' || lowHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseInt10(lowHigh[0]!, b);
    end = lowHigh.length === 2 ? parseInt10(lowHigh[1]!, b) : start;
  }
  let step = 1;
  if (stepParts.length === 1) {
    step = parseInt10(stepParts[0]!, b);
    // "N/step" means "N-max/step"
    if (lowHigh.length === 1 && !star) end = b.max;
    if (step > 1) star = false;
  }
  if (start < b.min) throw new CronSyntaxError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronSyntaxError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronSyntaxError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronSyntaxError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) out.values.add(v);
  if (star) out.star = true;
}

function parseField(expr: string, b: Bounds): FieldSet {
  const out: FieldSet = { values: new Set(), star: false };
  for (const part of expr.split(',')) parseRange(part, b, out);
  return out;
}

/** Go's time.ParseDuration for the units @every takes (h, m, s, ms) */
function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[m[2] as 'h' | 'm' | 's' | 'ms'];
    consumed = re.lastIndex;
  }
  if (!text || consumed !== text.length) throw new CronSyntaxError(`failed to parse duration ${text}: time: invalid duration ${JSON.stringify(text)}`);
  return total;
}

export function parseCron(spec: string): CronSchedule {
  let rest = spec.trim();
  if (rest === '') throw new CronSyntaxError('empty spec string');
  let timeZone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S*)\s*/.exec(rest);
  if (tz) {
    timeZone = tz[1]!;
    if (!isTimeZone(timeZone)) throw new CronSyntaxError(`provided bad location ${timeZone}: unknown time zone ${timeZone}`);
    rest = rest.slice(tz[0].length);
  }
  if (rest.startsWith('@every ')) {
    const every = Math.max(1000, Math.floor(parseDuration(rest.slice(7).trim()) / 1000) * 1000);
    return { timeZone, next: (after) => new Date(Math.floor(after.getTime() / 1000) * 1000 + every) };
  }
  if (rest.startsWith('@')) {
    const d = DESCRIPTORS[rest];
    if (!d) throw new CronSyntaxError(`unrecognized descriptor: ${rest}`);
    rest = d;
  }
  const fields = rest.split(/\s+/);
  if (fields.length !== 5) throw new CronSyntaxError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, FIELDS[i]!)) as
    [FieldSet, FieldSet, FieldSet, FieldSet, FieldSet];
  const dayMatches = (t: Date) => {
    const d = dom.values.has(t.getUTCDate());
    const w = dow.values.has(t.getUTCDay());
    // robfig/cron: when either day field is a star, both must match; otherwise either may
    return dom.star || dow.star ? d && w : d || w;
  };
  return {
    timeZone,
    next(after, zone) {
      const z = timeZone ?? zone ?? 'UTC';
      // walk the wall clock of the zone (held in a Date's UTC fields), then map back to an instant
      const t = wallClock(new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000), z);
      const limit = t.getUTCFullYear() + 5;
      while (t.getUTCFullYear() <= limit) {
        if (!month.values.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!hour.values.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
        } else if (!minute.values.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
        } else {
          const at = instantOf(t, z);
          if (at.getTime() > after.getTime()) return at;
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
        }
      }
      // robfig/cron returns the zero time when nothing matches in five years (`0 0 30 2 *`)
      return new Date(Number.NaN);
    },
  };
}

/** the reason a schedule is refused, or undefined when it parses */
export function cronError(spec: string): string | undefined {
  try {
    parseCron(spec);
    return undefined;
  } catch (err) {
    if (err instanceof CronSyntaxError) return err.message;
    throw err;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** true for a zone name the IANA database knows ("Europe/Paris", "UTC") */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** the zone's wall clock at an instant, as a Date whose UTC fields hold it */
export function wallClock(at: Date, zone: string): Date {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return new Date(Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!));
}

/** the instant a wall clock time of the zone names (the later one across a DST gap) */
function instantOf(wall: Date, zone: string): Date {
  const guess = wall.getTime();
  const offset1 = wallClock(new Date(guess), zone).getTime() - guess;
  const first = guess - offset1;
  const offset2 = wallClock(new Date(first), zone).getTime() - first;
  return new Date(guess - offset2);
}

/** RFC 3339 in the zone, as Go's time.Format(time.RFC3339) prints a time in a Location */
export function rfc3339In(at: Date, zone: string): string {
  const wall = wallClock(at, zone);
  const offsetMin = Math.round((wall.getTime() - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const base = wall.toISOString().replace(/\.\d+Z$/, '');
  if (offsetMin === 0) return `${base}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
