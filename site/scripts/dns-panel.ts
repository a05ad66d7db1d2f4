// The DNS panel (components/DnsPanel.astro): server-sent events from the lab server become a
// picture of the kube-dns Service and its pods (SVG, redrawn on every topology event) and a list
// of lookups, newest first, each a table of its queries. Text carries every fact (rcode words,
// "behind the Service" / "not selected"), so colour only repeats it.
import { DNS_EVENTS_PATH } from '../../sandbox/server/dns-panel/protocol.ts';
import type { DnsLookup, DnsPanelState, DnsQuery, DnsTopology } from '../../sandbox/server/dns-panel/protocol.ts';

const SVG = 'http://www.w3.org/2000/svg';
/** lookups kept in the page; older ones drop off the end */
const SHOWN = 30;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function svgEl(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const selectorText = (s: Record<string, string>) => Object.entries(s).map(([k, v]) => `${k}=${v}`).join(',') || '(none)';
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function drawTopology(root: HTMLElement, t: DnsTopology): void {
  const fig = root.querySelector<HTMLElement>('[data-dns-topology]')!;
  const svg = root.querySelector<SVGSVGElement>('[data-dns-svg]')!;
  const caption = root.querySelector<HTMLElement>('[data-dns-caption]')!;
  svg.replaceChildren();
  const rowH = 36;
  const height = Math.max(60, t.pods.length * rowH + 8);
  svg.setAttribute('viewBox', `0 0 420 ${height}`);
  fig.dataset.selector = t.service ? selectorText(t.service.selector) : '';
  if (!t.service) {
    caption.textContent = 'There is no kube-dns Service in kube-system.';
    return;
  }
  const svcY = height / 2 - 24;
  const svc = svgEl('g', { class: 'svc' });
  svc.append(
    svgEl('rect', { x: 2, y: svcY, width: 150, height: 48, rx: 8 }),
    svgEl('text', { x: 10, y: svcY + 15 }, `Service ${t.service.name}`),
    svgEl('text', { x: 10, y: svcY + 29, class: 'sub' }, t.service.clusterIP ?? ''),
    svgEl('text', { x: 10, y: svcY + 42, class: 'sub' }, clip(selectorText(t.service.selector), 26)),
  );
  svg.append(svc);
  t.pods.forEach((p, i) => {
    const y = 4 + i * rowH;
    if (p.endpoint) svg.append(svgEl('line', { x1: 152, y1: svcY + 24, x2: 196, y2: y + 15 }));
    const g = svgEl('g', { class: 'pod', 'data-dns-pod': p.name, 'data-endpoint': String(p.endpoint) });
    g.append(
      svgEl('rect', { x: 196, y, width: 222, height: 30, rx: 6 }),
      svgEl('text', { x: 203, y: y + 12 }, clip(p.name, 34)),
      svgEl('text', { x: 203, y: y + 25, class: 'sub' }, `${p.ip ?? 'no IP'} · ${p.ready ? 'ready' : p.phase}${p.endpoint ? '' : ' · not selected'}`),
    );
    svg.append(g);
  });
  const behind = t.pods.filter((p) => p.endpoint);
  const others = t.pods.filter((p) => !p.endpoint);
  caption.textContent =
    `Service ${t.service.namespace}/${t.service.name} (${t.service.clusterIP ?? 'no ClusterIP'}, ${t.service.ports.join(', ')}) ` +
    `selects ${selectorText(t.service.selector)}: ` +
    (behind.length ? `behind it ${behind.map((p) => `${p.name} ${p.ip ?? ''}${p.ready ? '' : ' (not ready)'}`).join(', ')}` : 'no pod behind it') +
    (others.length ? `; not selected: ${others.map((p) => p.name).join(', ')}` : '') +
    '.';
}

const who = (l: DnsLookup) => (l.client ? `${l.client.namespace}/${l.client.name} (${l.clientIp})` : l.clientIp);

function lookupSummary(l: DnsLookup): string {
  const forward = l.queries.filter((q) => q.type !== 'PTR');
  const failed = forward.filter((q) => q.rcode === 'NXDOMAIN').length;
  const what = l.name ? `looked up ${l.name}` : 'asked reverse names';
  const outcome = l.answeredBy
    ? `: answered for ${l.answeredBy.name}${failed ? ` after ${failed} NXDOMAIN` : ''}`
    : forward.length
      ? ': no name found'
      : '';
  return `${who(l)} ${what}${outcome} (${l.queries.length} ${l.queries.length === 1 ? 'query' : 'queries'})`;
}

function queryRow(q: DnsQuery): HTMLTableRowElement {
  const tr = el('tr');
  const time = new Date(q.at);
  const cells: Array<[string, string?]> = [
    [`${time.toLocaleTimeString([], { hour12: false })}.${String(time.getMilliseconds()).padStart(3, '0')}`],
    [q.type],
    [q.name],
    [q.rcode ?? '?', 'rcode'],
    [q.durationMs === null ? '—' : `${q.durationMs < 1 ? q.durationMs.toFixed(3) : q.durationMs.toFixed(1)} ms`],
    [q.server.pod],
  ];
  for (const [text, cls] of cells) tr.append(el('td', text, cls));
  tr.lastElementChild!.setAttribute('title', q.line);
  (tr.children[3] as HTMLElement).dataset.rcode = q.rcode ?? '';
  return tr;
}

function renderLookup(li: HTMLElement, l: DnsLookup): void {
  li.dataset.dnsLookup = String(l.id);
  li.dataset.lookupName = l.name ?? '';
  li.dataset.answered = String(!!l.answeredBy);
  const table = el('table');
  const head = el('tr');
  for (const h of ['time', 'type', 'name', 'rcode', 'took', 'answered by']) {
    const th = el('th', h);
    th.scope = 'col';
    head.append(th);
  }
  table.append(el('thead'), el('tbody'));
  table.tHead!.append(head);
  table.tBodies[0].append(...l.queries.map(queryRow));
  li.replaceChildren(el('p', lookupSummary(l)), table);
}

export function mountDnsPanel(root: HTMLElement): () => void {
  const list = root.querySelector<HTMLOListElement>('[data-dns-lookups]')!;
  const stateText = root.querySelector<HTMLElement>('[data-dns-state-text]')!;
  const empty = root.querySelector<HTMLElement>('[data-dns-empty]')!;
  const items = new Map<number, HTMLLIElement>();
  const setState = (s: DnsPanelState | { state: string; message: string }) => {
    root.dataset.dnsState = s.state;
    stateText.textContent = s.message;
  };
  const source = new EventSource(DNS_EVENTS_PATH);
  // every (re)connection starts with the server's whole picture, lookups included
  source.addEventListener('open', () => {
    items.clear();
    list.replaceChildren();
    empty.hidden = false;
  });
  source.addEventListener('error', () => setState({ state: 'error', message: 'the lab server does not answer; reconnecting…' }));
  source.addEventListener('state', (e) => setState(JSON.parse((e as MessageEvent<string>).data) as DnsPanelState));
  source.addEventListener('topology', (e) => drawTopology(root, JSON.parse((e as MessageEvent<string>).data) as DnsTopology));
  source.addEventListener('lookup', (e) => {
    const l = JSON.parse((e as MessageEvent<string>).data) as DnsLookup;
    let li = items.get(l.id);
    if (!li) {
      li = el('li', undefined, 'dns-lookup');
      items.set(l.id, li);
      list.prepend(li);
      while (list.children.length > SHOWN) {
        const gone = list.lastElementChild as HTMLElement;
        items.delete(Number(gone.dataset.dnsLookup));
        gone.remove();
      }
    }
    renderLookup(li, l);
    empty.hidden = true;
  });
  return () => source.close();
}
