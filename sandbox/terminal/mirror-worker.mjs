// Worker thread that keeps every session's server-side screen (@xterm/headless + serialize).
// Parsing terminal output costs about as much CPU as reading it from the pty, so it runs
// here, beside the main thread, instead of halving the terminal's throughput.
// Plain JS: workers do not inherit the tsx loader that the CLI registers at run time.
// Messages (main -> worker): open {id, cols, rows, scrollback}, write {id, data}, resize {id, cols, rows},
// snapshot {id, req}, close {id}. Replies: ready (once loaded), written {id, n}, snapshot {id, req, screen}.
import { parentPort } from 'node:worker_threads';
import headless from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';

const { Terminal } = headless;
const { SerializeAddon } = serializeAddon;
const screens = new Map();
const port = parentPort;
port.postMessage({ t: 'ready' });

// parsed-byte counts are reported once per loop turn per session, not once per write
const parsed = new Map();
let reportScheduled = false;
function written(id, n) {
  parsed.set(id, (parsed.get(id) ?? 0) + n);
  if (reportScheduled) return;
  reportScheduled = true;
  setImmediate(() => {
    reportScheduled = false;
    for (const [sid, count] of parsed) port.postMessage({ t: 'written', id: sid, n: count });
    parsed.clear();
  });
}

port.on('message', (m) => {
  const s = screens.get(m.id);
  switch (m.t) {
    case 'open': {
      const term = new Terminal({ cols: m.cols, rows: m.rows, scrollback: m.scrollback, allowProposedApi: true });
      const ser = new SerializeAddon();
      term.loadAddon(ser);
      screens.set(m.id, { term, ser });
      return;
    }
    case 'write': {
      const n = m.data.length;
      if (!s) return port.postMessage({ t: 'written', id: m.id, n });
      s.term.write(m.data, () => written(m.id, n));
      return;
    }
    case 'resize':
      if (s) s.term.resize(m.cols, m.rows);
      return;
    case 'snapshot':
      if (!s) return port.postMessage({ t: 'snapshot', id: m.id, req: m.req, screen: '' });
      // the empty write's callback runs once everything written before it is parsed
      s.term.write('', () => port.postMessage({ t: 'snapshot', id: m.id, req: m.req, screen: s.ser.serialize() }));
      return;
    case 'close':
      if (s) {
        s.term.dispose();
        screens.delete(m.id);
      }
      return;
  }
});
