// The workshop's plan: its seats, each with its own secret (the seat's lab token), the
// instructor's token and the short code learners claim a free seat with. Kept in
// <state-dir>/workshop.json (0600) so that a restarted workshop keeps every printed join link.
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newToken } from '../server/auth-token.ts';
import { writePrivateFile } from '../private-state.ts';

export interface SeatPlan {
  /** "seat-01" ... : also the name of the seat's state dir under seats/ */
  id: string;
  /** the seat's lab token: its join link carries it */
  token: string;
  /** set once a learner claimed the seat with the workshop code */
  claimedAt?: string;
}

export interface WorkshopPlan {
  instructorToken: string;
  /** what learners type on the claim page; no 0/O or 1/I/L to misread from a projector */
  code: string;
  seats: SeatPlan[];
}

export const PLAN_FILE = 'workshop.json';
export const MAX_SEATS = 200;
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function seatId(n: number): string {
  return `seat-${String(n).padStart(2, '0')}`;
}

export function seatStateDir(workshopDir: string, id: string): string {
  return join(workshopDir, 'seats', id);
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * The plan for `seats` seats: the stored one when there is one (more seats are added, none is
 * dropped, so every printed link keeps working), else a new one.
 */
export function loadOrCreatePlan(workshopDir: string, seats: number, from?: string): WorkshopPlan {
  const file = join(workshopDir, PLAN_FILE);
  let plan: WorkshopPlan | null = null;
  // a plan handed in (a Secret on Kubernetes) seeds the state dir once; claims are kept there
  if (existsSync(file)) plan = parsePlan(readFileSync(file, 'utf8'), file);
  else if (from) plan = parsePlan(readFileSync(from, 'utf8'), from);
  plan ??= { instructorToken: newToken(), code: newCode(), seats: [] };
  for (let n = plan.seats.length + 1; n <= seats; n++) plan.seats.push({ id: seatId(n), token: newToken() });
  savePlan(workshopDir, plan);
  return plan;
}

export function savePlan(workshopDir: string, plan: WorkshopPlan): void {
  writePrivateFile(join(workshopDir, PLAN_FILE), JSON.stringify(plan, null, 2) + '\n');
}

export class PlanFileError extends Error {
  readonly code = 'LAB_ERR_WORKSHOP_PLAN' as const;
  constructor(file: string, why: string) {
    super(`${file}: ${why}; move it away to start a new workshop (its join links stop working)`);
    this.name = 'PlanFileError';
  }
}

function parsePlan(text: string, file: string): WorkshopPlan {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new PlanFileError(file, `not JSON (${(err as Error).message})`);
  }
  const p = v as Partial<WorkshopPlan>;
  const isToken = (t: unknown) => typeof t === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(t);
  if (!p || typeof p !== 'object' || !isToken(p.instructorToken) || typeof p.code !== 'string' || !Array.isArray(p.seats))
    throw new PlanFileError(file, 'expected {instructorToken, code, seats: [...]}');
  p.seats.forEach((s, i) => {
    if (!s || s.id !== seatId(i + 1) || !isToken(s.token)) throw new PlanFileError(file, `seat ${i + 1} is malformed`);
  });
  return p as WorkshopPlan;
}
