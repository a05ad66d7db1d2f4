// Messages from the lab to the learner, shown above the terminal: a workshop instructor's
// broadcast, or a seat that hit one of its resource limits. A live region, so screen readers
// announce them; the learner dismisses one with its button.
import type { ServerMessage } from '../../sandbox/terminal/protocol.ts';

type NoticeMessage = Extract<ServerMessage, { t: 'notice' }>;

function noticeBox(panel: HTMLElement): HTMLElement {
  const existing = panel.querySelector<HTMLElement>('[data-lab-notice]');
  if (existing) return existing;
  const box = document.createElement('div');
  box.className = 'lab-notice';
  box.dataset.labNotice = '';
  box.setAttribute('role', 'status');
  box.setAttribute('aria-live', 'polite');
  box.hidden = true;
  panel.prepend(box);
  return box;
}

export function showNotice(panel: HTMLElement, m: NoticeMessage): void {
  const box = noticeBox(panel);
  box.replaceChildren();
  box.dataset.level = m.level;
  const text = document.createElement('p');
  const who = m.level === 'warning' ? 'Lab warning' : 'Message from your instructor';
  const time = new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  text.textContent = `${who} (${time}): ${m.text}`;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.addEventListener('click', () => {
    box.hidden = true;
  });
  box.append(text, close);
  box.hidden = false;
}
