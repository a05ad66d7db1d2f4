// The lab page's one entry script (LabLayout.astro). One module, so the browser fetches the page's
// JavaScript in one request: with a script per component, Vite put the shared code (xterm.js)
// in a chunk the browser found only after it had loaded an entry, a second round trip before
// the terminal could start. The terminal mounts first: its WebSocket opens before the lessons'
// wiring and the API calls, so the shell starts while the rest of the page is set up.
import { mountTerminal } from './terminal-client.ts';
import { showClusterStatus } from './cluster-status.ts';
import { mountLessons } from './lesson-page.ts';
import { mountDnsPanel } from './dns-panel.ts';
import { mountSplit } from './split.ts';

const mount = <T extends HTMLElement>(selector: string, f: (el: T) => unknown) => {
  const el = document.querySelector<T>(selector);
  if (el) f(el);
};

mount('[data-terminal]', mountTerminal);
mount('[data-lessons]', mountLessons);
mount('[data-splitter]', mountSplit);
mount('[data-dns-log]', mountDnsPanel);
// the header's badge: /api/status answers after the cluster is asked, so it must not hold anything up
if (document.querySelector('[data-terminal]')) void showClusterStatus();
