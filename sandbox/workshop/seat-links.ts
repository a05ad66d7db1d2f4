// The join links the instructor hands out: seats.csv (seat,url) for mail merges and a printable
// seats.html with a QR code per seat. A link goes through the workshop's own address
// (/join/<seat>?token=...), so it survives a seat's restart on another port.
import QRCode from 'qrcode';
import { join } from 'node:path';
import { writePrivateFile } from '../private-state.ts';
import type { WorkshopPlan } from './plan.ts';

export function joinUrl(base: string, seat: { id: string; token: string }): string {
  return `${base}/join/${seat.id}?token=${seat.token}`;
}

/** one CSV field, quoted when it holds a quote, comma or newline (RFC 4180) */
export function csvField(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function seatsCsv(base: string, plan: WorkshopPlan): string {
  return ['seat,url', ...plan.seats.map((s) => `${csvField(s.id)},${csvField(joinUrl(base, s))}`)].join('\n') + '\n';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function seatsHtml(base: string, plan: WorkshopPlan): Promise<string> {
  const cards = await Promise.all(
    plan.seats.map(async (s) => {
      const url = joinUrl(base, s);
      const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      return `<section class="seat"><h2>${escapeHtml(s.id)}</h2>${svg}<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p></section>`;
    }),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>coredns-lab workshop: seats</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1rem; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
.seat { border: 1px solid #888; padding: .75rem; break-inside: avoid; }
.seat svg { width: 12rem; height: 12rem; display: block; }
.seat p { word-break: break-all; font-size: .75rem; }
</style></head>
<body><h1>coredns-lab workshop: one seat per learner</h1>
<p>Scan your seat's code or open its link. The link is your seat's secret: keep it to yourself.
No seat card? Ask for the workshop code and claim a free seat at ${escapeHtml(base)}/claim.</p>
<main>
${cards.join('\n')}
</main></body></html>
`;
}

/** writes D/seats.csv and D/seats.html (both 0600: every link in them is a secret) */
export async function writeSeatLinks(workshopDir: string, base: string, plan: WorkshopPlan): Promise<void> {
  writePrivateFile(join(workshopDir, 'seats.csv'), seatsCsv(base, plan));
  writePrivateFile(join(workshopDir, 'seats.html'), await seatsHtml(base, plan));
}
