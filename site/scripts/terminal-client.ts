// The page side of the terminal: xterm.js, the WebSocket protocol of
// sandbox/terminal/protocol.ts, reconnecting to the same shell (its id kept in
// sessionStorage, so a reload resumes it), and render acknowledgements for flow control.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { SearchAddon } from '@xterm/addon-search';
import '@xterm/xterm/css/xterm.css';
import {
  FLOW,
  TERMINAL_WS_PATH,
  closeReasonFromCode,
  sessionIsGone,
  type ClientMessage,
  type CloseReason,
  type ServerMessage,
} from '../../sandbox/terminal/protocol.ts';
import { showNotice } from './lab-notice.ts';
import { blinkWhileActive } from './cursor-blink.ts';

const SESSION_KEY = 'coredns-lab.terminal-session';

/**
 * Dispatched on document when a command the learner ran in the terminal has finished, with
 * `detail: { exitCode }`. The lab's bash marks its prompts and commands with OSC 133 (FinalTerm's
 * shell integration, sandbox/terminal/workspace.ts); a command is a C (it started) followed by a
 * D;<status> (it ended). A D without a C (an empty line, Ctrl-C at the prompt) is no command.
 */
export const COMMAND_FINISHED_EVENT = 'coredns-lab:command-finished';

export interface CommandFinished {
  exitCode: number | null;
}

let shownPrompt: () => void = () => {};
const promptShown = new Promise<void>((resolve) => (shownPrompt = resolve));

/**
 * Resolves when the page's terminal has shown its first prompt (the lab's bash marks its end,
 * OSC 133;B), has given up (closed), or after maxWaitMs. The page starts the work that competes
 * with the shell's start for the lab server's CPU (every step's check runs kubectl; the DNS
 * panel streams pod logs) after this, so the prompt comes first.
 */
export function afterFirstPrompt(maxWaitMs = 3_000): Promise<void> {
  return Promise.race([promptShown, new Promise<void>((resolve) => window.setTimeout(resolve, maxWaitMs))]);
}

// The mounted terminal's input, for the lesson column's Run buttons; null until a shell is attached.
let typeInput: ((text: string) => boolean) | null = null;

/**
 * Types text into the page's terminal as if the learner had typed it (append '\r' for Enter).
 * Returns false when no shell is attached, so the caller can say so instead of losing the text.
 */
export function typeIntoTerminal(text: string): boolean {
  return typeInput ? typeInput(text) : false;
}

type State = 'connecting' | 'attached' | 'reconnecting' | 'closed';

const theme = {
  background: '#0b1220',
  foreground: '#dbe4f0',
  cursor: '#5eead4',
  cursorAccent: '#0b1220',
  selectionBackground: '#1e3a5f',
  black: '#1e293b',
  red: '#f87171',
  green: '#4ade80',
  yellow: '#facc15',
  blue: '#60a5fa',
  magenta: '#c084fc',
  cyan: '#22d3ee',
  white: '#e2e8f0',
  brightBlack: '#64748b',
  brightRed: '#fca5a5',
  brightGreen: '#86efac',
  brightYellow: '#fde047',
  brightBlue: '#93c5fd',
  brightMagenta: '#d8b4fe',
  brightCyan: '#67e8f9',
  brightWhite: '#f8fafc',
};

const socketUrl = () => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${TERMINAL_WS_PATH}`;

export function mountTerminal(host: HTMLElement): void {
  // The socket first: its handshake runs while xterm measures its fonts and builds its DOM. Its
  // handlers are set in this same task (connect, below), so no event is missed, and its hello
  // goes out on open, by when the terminal has its size.
  const firstSocket = new WebSocket(socketUrl());
  const panel = host.closest('.terminal-panel') ?? document.body;
  const stateLabel = panel.querySelector<HTMLElement>('[data-terminal-state-label]');
  const overlay = panel.querySelector<HTMLElement>('[data-terminal-overlay]');
  const overlayText = panel.querySelector<HTMLElement>('[data-terminal-overlay-text]');
  const overlayAction = panel.querySelector<HTMLButtonElement>('[data-terminal-overlay-action]');
  const searchBox = panel.querySelector<HTMLInputElement>('[data-terminal-search]');

  const term = new Terminal({
    // the blink is cursor-blink.ts's, not xterm's animation
    cursorBlink: false,
    fontFamily: '"JetBrains Mono", "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
    fontSize: 14,
    lineHeight: 1.15,
    scrollback: 5000,
    theme,
    allowProposedApi: true,
    // a DOM mirror of the rows that screen readers read, and output announced as it comes
    screenReaderMode: true,
  });
  const fit = new FitAddon();
  const search = new SearchAddon();
  term.loadAddon(fit);
  term.loadAddon(search);
  term.loadAddon(new WebLinksAddon((_e, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
  term.open(host);
  blinkWhileActive(term, host);
  fit.fit();
  // focusing the terminal reads out how to leave it (the hint under it, TerminalPanel.astro)
  if (panel.querySelector('[data-terminal-keys]')) term.textarea?.setAttribute('aria-describedby', 'terminal-keys');

  // OSC 133 marks from the lab's bash: handled (and so never shown), and only counted while
  // live output is written; the replayed screen of a reconnect carries none (the server's mirror drops them)
  let commandRunning = false;
  let finished = 0;
  term.parser.registerOscHandler(133, (data) => {
    const [mark, status] = data.split(';');
    if (mark === 'C') commandRunning = true;
    else if (mark === 'D' && commandRunning) {
      commandRunning = false;
      const code = status === undefined || status === '' ? null : Number(status);
      const detail: CommandFinished = { exitCode: Number.isInteger(code) ? code : null };
      host.dataset.commandsFinished = String(++finished);
      document.dispatchEvent(new CustomEvent(COMMAND_FINISHED_EVENT, { detail }));
    } else if (mark === 'A') commandRunning = false;
    else if (mark === 'B') shownPrompt();
    return true;
  });

  let ws: WebSocket | null = null;
  let state: State = 'connecting';
  let attempts = 0;
  let retryTimer: number | undefined;
  let unacked = 0;
  let ackTimer: number | undefined;
  let goneReason: CloseReason | null = null;

  const setState = (s: State, label: string) => {
    state = s;
    host.dataset.terminalState = s;
    if (stateLabel) {
      // a live region: written only when the words change
      if (stateLabel.textContent !== label) stateLabel.textContent = label;
      stateLabel.dataset.state = s;
    }
  };

  const showOverlay = (text: string, action: string | null) => {
    if (!overlay || !overlayText || !overlayAction) return;
    overlayText.textContent = text;
    overlayAction.hidden = action === null;
    overlayAction.textContent = action ?? '';
    overlay.hidden = false;
  };
  const hideOverlay = () => {
    if (overlay) overlay.hidden = true;
  };

  const send = (m: ClientMessage) => {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
  };

  const flushAck = () => {
    if (ackTimer !== undefined) window.clearTimeout(ackTimer);
    ackTimer = undefined;
    if (unacked > 0) {
      send({ t: 'ack', n: unacked });
      unacked = 0;
    }
  };
  const rendered = (n: number) => {
    unacked += n;
    if (unacked >= FLOW.ackEvery) flushAck();
    else if (ackTimer === undefined) ackTimer = window.setTimeout(flushAck, 20);
  };

  const connect = (fresh: boolean, opened?: WebSocket) => {
    window.clearTimeout(retryTimer);
    if (fresh) sessionStorage.removeItem(SESSION_KEY);
    goneReason = null;
    unacked = 0;
    const sock = opened ?? new WebSocket(socketUrl());
    sock.binaryType = 'arraybuffer';
    ws = sock;
    sock.onopen = () => {
      attempts = 0;
      send({ t: 'hello', session: sessionStorage.getItem(SESSION_KEY), cols: term.cols, rows: term.rows });
    };
    sock.onmessage = (ev) => {
      if (ev.data instanceof ArrayBuffer) {
        const bytes = new Uint8Array(ev.data);
        term.write(bytes, () => rendered(bytes.length));
        return;
      }
      const m = JSON.parse(String(ev.data)) as ServerMessage;
      if (m.t === 'attached') {
        const previous = sessionStorage.getItem(SESSION_KEY);
        sessionStorage.setItem(SESSION_KEY, m.session);
        commandRunning = false;
        term.reset();
        // a replayed screen is a shell that has started (the mirror keeps no marks to wait for)
        if (m.screen) term.write(m.screen, shownPrompt);
        if (previous && previous !== m.session && !fresh)
          term.write('\x1b[33m(the previous terminal had ended; this is a new shell)\x1b[0m\r\n');
        hideOverlay();
        setState('attached', m.restored ? 'connected · resumed' : 'connected');
        term.focus();
      } else if (m.t === 'notice') {
        const panel = host.closest<HTMLElement>('.terminal-panel');
        if (panel) showNotice(panel, m);
      } else {
        goneReason = m.code;
        if (m.t === 'closing' && sessionIsGone(m.code)) term.write(`\r\n\x1b[33m${m.message}\x1b[0m\r\n`);
        closedWithReason(m.code, m.message);
      }
    };
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      const reason = goneReason ?? closeReasonFromCode(ev.code);
      if (reason) {
        if (state !== 'closed') closedWithReason(reason, ev.reason || reason);
        return;
      }
      attempts++;
      if (attempts > 3) void explainRefusal();
      const delay = Math.min(10_000, 300 * 2 ** Math.min(attempts, 6));
      setState('reconnecting', 'reconnecting…');
      showOverlay('Connection lost. Reconnecting to the same shell…', null);
      retryTimer = window.setTimeout(() => connect(false), delay);
    };
  };

  const closedWithReason = (reason: CloseReason, message: string) => {
    shownPrompt();
    setState('closed', sessionIsGone(reason) ? 'ended' : 'disconnected');
    if (sessionIsGone(reason)) {
      sessionStorage.removeItem(SESSION_KEY);
      showOverlay(message, 'Start a new terminal');
    } else if (reason === 'LAB_TERM_TAKEN_OVER') {
      showOverlay(message, 'Use it here');
    } else {
      showOverlay(message, 'Reconnect');
    }
  };

  // When the socket keeps failing, ask the server why (the WebSocket API hides HTTP statuses).
  const explainRefusal = async () => {
    try {
      const r = await fetch('/api/status', { credentials: 'same-origin' });
      if (r.status === 401) {
        window.clearTimeout(retryTimer);
        setState('closed', 'signed out');
        showOverlay('This lab was restarted with a new access token. Open the URL that "coredns-lab serve" printed.', null);
      }
    } catch {
      // the server is down; keep retrying
    }
  };

  overlayAction?.addEventListener('click', () => {
    hideOverlay();
    setState('connecting', 'connecting…');
    connect(goneReason !== null && sessionIsGone(goneReason));
  });

  typeInput = (text) => {
    if (state !== 'attached' || !ws || ws.readyState !== WebSocket.OPEN) return false;
    send({ t: 'in', d: text });
    return true;
  };

  term.onData((d) => {
    if (state === 'attached') send({ t: 'in', d });
    else if (state === 'closed' && d === '\r' && goneReason && sessionIsGone(goneReason)) overlayAction?.click();
  });
  term.onResize(({ cols, rows }) => send({ t: 'resize', cols, rows }));
  new ResizeObserver(() => {
    try {
      fit.fit();
    } catch {
      // the panel is hidden (zero size); fit again when it shows
    }
  }).observe(host);

  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
    const key = e.key.toLowerCase();
    if (key === 'f') searchBox?.focus();
    else if (key === 'e') leaveTerminal();
    else return true;
    e.preventDefault();
    return false;
  });
  searchBox?.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      if (e.shiftKey) search.findPrevious(searchBox.value);
      else search.findNext(searchBox.value);
    } else if (e.key === 'Escape') {
      search.clearDecorations();
      searchBox.value = '';
      term.focus();
    }
  });

  connect(false, firstSocket);
}

/** Tab belongs to the shell (completion), so the way out is a shortcut: it lands on the lessons */
const TERMINAL_EXIT_TARGET = '#lesson-column';

function leaveTerminal(): void {
  const target = document.querySelector<HTMLElement>(TERMINAL_EXIT_TARGET);
  if (!target) return;
  target.focus({ preventScroll: true });
}
