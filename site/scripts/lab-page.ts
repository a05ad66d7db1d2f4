// The lab page's one entry script (LabLayout.astro). One module, so the browser fetches the page's
// JavaScript in one request: with a script per component, Vite put the shared code (xterm.js)
// in a chunk the browser found only after it had loaded an entry, a second round trip before
// the terminal could start. The terminal mounts first: its WebSocket opens before the lessons'
// wiring, so the shell starts while the rest of the page is set up; what makes the lab server
// work hard (checking every step, streaming the DNS pods' logs) waits for the first prompt.
import { afterFirstPrompt, mountTerminal } from './terminal-client.ts';
import { showClusterStatus } from './cluster-status.ts';
import { mountLessons } from './lesson-page.ts';
import { mountDnsPanel } from './dns-panel.ts';
import { mountSplit } from './split.ts';

const mount = <T extends HTMLElement>(selector: string, f: (el: T) => unknown) => {
  const el = document.querySelector<T>(selector);
  if (el) f(el);
};

mount('[data-terminal]', mountTerminal);
const prompt = afterFirstPrompt();
mount<HTMLElement>('[data-lessons]', (el) => mountLessons(el, { checkAfter: prompt }));
mount('[data-splitter]', mountSplit);
// the DNS panel's log stream and the badge's status make the server ask the cluster: after the prompt
void prompt.then(() => {
  mount('[data-dns-log]', mountDnsPanel);
  if (document.querySelector('[data-terminal]')) void showClusterStatus();
});
