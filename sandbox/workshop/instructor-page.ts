// The instructor's page and the learners' claim page: plain server-rendered HTML with one
// same-origin script (the CSP allows no inline script), readable without it.
import { escapeHtml } from './seat-links.ts';

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem; color: #0f172a; }
h1 { font-size: 1.4rem; }
.code { font: 700 2rem ui-monospace, monospace; letter-spacing: .2em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #cbd5e1; vertical-align: top; }
td.pass { color: #166534; } td.fail { color: #991b1b; }
.steps { display: flex; gap: 2px; flex-wrap: wrap; max-width: 14rem; }
.steps span { width: .9rem; height: .9rem; border: 1px solid #64748b; border-radius: 2px; font-size: .6rem; line-height: .9rem; text-align: center; }
.steps .pass { background: #bbf7d0; border-color: #166534; } .steps .fail, .steps .error { background: #fecaca; border-color: #991b1b; }
#watch { margin-top: 1rem; } #watch[hidden] { display: none; }
#watch-term { height: 24rem; background: #0b1220; padding: .25rem; }
form.broadcast { display: flex; gap: .5rem; margin: .5rem 0; } form.broadcast input { flex: 1; }
button, select { font: inherit; }
:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
`;

export function claimPage(title: string, message: string | null, link?: string): string {
  const body = link
    ? `<p>Your seat is ready. Keep this link: it is your seat's secret and brings you back to it.</p>
<p><a id="seat-link" href="${escapeHtml(link)}">Open your seat</a></p>
<meta http-equiv="refresh" content="1; url=${escapeHtml(link)}">`
    : message !== null && title !== 'Claim a seat'
      ? `<p role="alert">${escapeHtml(message)}</p>`
      : `${message ? `<p role="alert">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/claim">
<label for="code">Workshop code (on the instructor's screen)</label><br>
<input id="code" name="code" autocomplete="off" autocapitalize="characters" maxlength="16" required>
<button type="submit">Claim a free seat</button>
</form>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · coredns-lab workshop</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>
`;
}

export function instructorPage(code: string, base: string, steps: string[]): string {
  const options = steps.map((s) => `<option value="${escapeHtml(s)}">${escapeHtml(s)}</option>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Instructor · coredns-lab workshop</title><style>${STYLE}</style>
<link rel="stylesheet" href="/vendor/xterm.css">
<script src="/vendor/xterm.js"></script>
<script type="module" src="/instructor.js"></script></head>
<body><main>
<h1>coredns-lab workshop</h1>
<p>Learners without a seat card open <a href="${escapeHtml(base)}/claim">${escapeHtml(base)}/claim</a> and type the code
<span class="code" id="code">${escapeHtml(code)}</span></p>
<p><a href="/api/progress.csv" download>Export progress (CSV)</a></p>
<form class="broadcast" id="broadcast">
<label for="broadcast-text">Message to every learner</label>
<input id="broadcast-text" name="text" maxlength="500" required placeholder="e.g. Break until 11:00">
<button type="submit">Broadcast</button>
</form>
<p id="status" role="status" aria-live="polite">Loading the seats…</p>
<template id="chapter-steps">${steps.map((st) => `<span data-step="${escapeHtml(st)}"></span>`).join('')}</template>
<template id="solve-steps"><option value="">solve up to…</option>${options}</template>
<table aria-describedby="status">
<thead><tr><th scope="col">Seat</th><th scope="col">State</th><th scope="col">Where</th><th scope="col">Steps passed</th><th scope="col">Checks</th>
<th scope="col">Idle</th><th scope="col">Terminals</th><th scope="col">Limits</th><th scope="col">Actions</th></tr></thead>
<tbody id="seats"></tbody>
</table>
<section id="watch" hidden aria-labelledby="watch-title">
<h2 id="watch-title">Watching</h2>
<p>Read only: what you see is the learner's terminal; nothing you type reaches it. <button type="button" id="watch-stop">Stop watching</button></p>
<div id="watch-term"></div>
</section>
</main></body></html>
`;
}

// Renders the seats with textContent only (no HTML from a seat reaches the page), every 2 s.
export const INSTRUCTOR_SCRIPT = `
const tbody = document.getElementById('seats');
const status = document.getElementById('status');
const steps = document.getElementById('solve-steps');
const chapter = document.getElementById('chapter-steps');
const watchBox = document.getElementById('watch');
let viewer = null;

function stopWatch() {
  if (viewer) { viewer.ws.close(); viewer.term.dispose(); viewer = null; }
  watchBox.hidden = true;
}

function startWatch(seat) {
  stopWatch();
  watchBox.hidden = false;
  document.getElementById('watch-title').textContent = 'Watching ' + seat;
  const term = new window.Terminal({ disableStdin: true, cursorBlink: false, convertEol: false, rows: 24, cols: 80, screenReaderMode: true });
  term.open(document.getElementById('watch-term'));
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/seats/' + seat + '/watch');
  ws.binaryType = 'arraybuffer';
  ws.onmessage = (ev) => {
    if (ev.data instanceof ArrayBuffer) return term.write(new Uint8Array(ev.data));
    const m = JSON.parse(ev.data);
    if (m.t === 'attached') { term.reset(); term.write(m.screen); status.textContent = 'Watching ' + seat + ' (read only)'; }
    else if (m.t === 'closing' || m.t === 'error') status.textContent = seat + ': ' + m.message;
  };
  ws.onclose = () => { if (viewer && viewer.ws === ws) status.textContent = 'Stopped watching ' + seat; };
  viewer = { ws, term };
  watchBox.scrollIntoView();
}

document.getElementById('watch-stop').onclick = stopWatch;
document.getElementById('broadcast').onsubmit = async (ev) => {
  ev.preventDefault();
  const input = document.getElementById('broadcast-text');
  status.textContent = 'Broadcasting…';
  try {
    const res = await fetch('/api/broadcast', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: input.value }) });
    const data = await res.json();
    status.textContent = res.ok ? 'Broadcast ' + data.message : data.error.message;
    if (res.ok) input.value = '';
  } catch (err) {
    status.textContent = 'Broadcast failed: ' + err.message;
  }
};
const busy = new Set();

function idle(s) {
  if (s === null) return 'not typed yet';
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min';
  return Math.floor(s / 3600) + ' h';
}

async function act(seat, what, body) {
  busy.add(seat);
  status.textContent = seat + ': ' + what + '…';
  try {
    const res = await fetch('/api/seats/' + seat + '/' + what, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}),
    });
    const data = await res.json();
    status.textContent = seat + ': ' + (res.ok ? data.message : data.error.message);
  } catch (err) {
    status.textContent = seat + ': ' + err.message;
  } finally {
    busy.delete(seat);
    refresh();
  }
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function render(seats) {
  const focused = document.activeElement && document.activeElement.dataset.key;
  tbody.replaceChildren();
  for (const s of seats) {
    const row = tbody.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = s.id + (s.claimed ? ' (claimed)' : '');
    row.append(th);
    cell(row, s.state + (s.message ? ': ' + s.message : ''), s.state === 'running' ? 'pass' : s.state === 'failed' ? 'fail' : '');
    cell(row, s.where ?? '—');
    cell(row, s.passed === null ? '—' : s.passed + ' / ' + s.total);
    const strip = document.createElement('div');
    strip.className = 'steps';
    for (const tpl of chapter.content.children) {
      const step = tpl.dataset.step;
      const st = s.steps[step] ?? 'not checked';
      const dot = document.createElement('span');
      dot.className = st;
      dot.title = step + ': ' + st;
      dot.textContent = st === 'pass' ? '✓' : st === 'fail' || st === 'error' ? '✗' : '';
      strip.append(dot);
    }
    strip.setAttribute('aria-label', Object.values(s.steps).filter((v) => v === 'pass').length + ' checks passed, ' + Object.values(s.steps).filter((v) => v !== 'pass').length + ' failing');
    row.insertCell().append(strip);
    cell(row, idle(s.idleSeconds));
    cell(row, String(s.terminals));
    cell(row, s.limitHits.length ? s.limitHits.join('; ') : 'ok', s.limitHits.length ? 'fail' : '');
    const actions = row.insertCell();
    const reset = document.createElement('button');
    reset.textContent = 'Reset';
    reset.dataset.key = s.id + ':reset';
    reset.disabled = busy.has(s.id) || s.state !== 'running';
    reset.onclick = () => { if (confirm('Reset ' + s.id + ' to the chapter\\'s start? Its terminals keep running.')) act(s.id, 'reset'); };
    const select = document.createElement('select');
    select.setAttribute('aria-label', 'Solve ' + s.id + ' up to a step');
    select.dataset.key = s.id + ':solve';
    select.append(steps.content.cloneNode(true));
    select.disabled = reset.disabled;
    select.onchange = () => { if (select.value) act(s.id, 'solve', { to: select.value }); };
    const watch = document.createElement('button');
    watch.textContent = 'Watch';
    watch.dataset.key = s.id + ':watch';
    watch.disabled = s.state !== 'running' || s.terminals === 0;
    watch.onclick = () => startWatch(s.id);
    actions.append(reset, ' ', select, ' ', watch);
    if (focused && (reset.dataset.key === focused)) reset.focus();
  }
}

async function refresh() {
  try {
    const res = await fetch('/api/seats');
    if (!res.ok) { status.textContent = 'Cannot read the seats: ' + res.status; return; }
    const data = await res.json();
    render(data.seats);
    if (status.textContent.startsWith('Loading') || status.textContent.startsWith('Cannot')) {
      const up = data.seats.filter((s) => s.state === 'running').length;
      status.textContent = up + ' of ' + data.seats.length + ' seats running';
    }
  } catch (err) {
    status.textContent = 'Cannot reach the workshop server: ' + err.message;
  }
}

refresh();
setInterval(() => { if (!document.querySelector('select:focus, #broadcast-text:focus')) refresh(); }, 2000);
`;
