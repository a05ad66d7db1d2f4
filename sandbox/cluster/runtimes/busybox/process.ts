// One busybox process (the container's main process or an exec): runs argv directly, or ash
// reading commands from stdin, interactive (with a "/ # " prompt) when it has a TTY.
import type { Readable } from 'node:stream';
import type { ProcessStreams } from '../../contracts.ts';
import { appletName } from './applets.ts';
import { ExitRequest, finalStatus, Shell, type ShellEnvironment } from './shell.ts';
import { LineInput, terminalOutput } from './terminal.ts';
import type { ShellState, Output } from './context.ts';

export interface BusyboxProcessOptions {
  env: ShellEnvironment;
  state: ShellState;
  argv: string[];
  io: ProcessStreams;
  /** aborts the whole process (container stop, client gone) */
  signal: AbortSignal;
}

/** whether an applet run with this argv reads stdin: filters given no FILE (or '-'), tar x/t with -f - */
function readsStdin(name: string, argv: string[]): boolean {
  const args = argv.slice(argv[0] === 'busybox' ? 2 : 1);
  if (name === 'tar') return !/^-?[^-]*c/.test(args[0] ?? '');
  if (name === 'nc') return true;
  const withValue = name === 'grep' ? /^-[A-Za-z]*[mABCef]$/ : /^-[A-Za-z]*[nc]$/;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-') operands.push('-');
    else if (args[i].startsWith('-')) { if ((name === 'head' || name === 'tail' || name === 'grep') && withValue.test(args[i])) i++; }
    else operands.push(args[i]);
  }
  if (operands.includes('-')) return true;
  if (name === 'grep') return operands.length <= (args.some((a) => /^-[A-Za-z]*[ef]/.test(a)) ? 0 : 1);
  return ['cat', 'head', 'tail', 'wc'].includes(name) && operands.length === 0;
}

function readAll(stream: Readable, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = () => {
      stream.off('data', onData);
      signal.removeEventListener('abort', done);
      resolve(Buffer.concat(chunks));
    };
    const onData = (c: Buffer | string) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
    stream.on('data', onData);
    stream.once('end', done);
    stream.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function runBusyboxProcess(opts: BusyboxProcessOptions): Promise<number> {
  const { io, state, signal } = opts;
  const raw = terminalOutput(io.stdout, io.stderr, io.tty);
  let lastChar = '\n';
  const output: Output = {
    out: (t) => { if (t) { lastChar = t[t.length - 1]; raw.out(t); } },
    err: (t) => { if (t) { lastChar = t[t.length - 1]; raw.err(t); } },
    bytes: (b) => { if (b.length) { lastChar = String.fromCharCode(b[b.length - 1]); raw.bytes(b); } },
  };
  const input = new LineInput(io.stdin, io.tty, (t) => { lastChar = t[t.length - 1]; raw.out(t); });
  // ls lays out its columns for the terminal's width
  io.resize?.on('resize', (size: { cols?: number }) => { if (size?.cols && size.cols > 0) state.columns = size.cols; });

  const runForeground = async (run: (s: AbortSignal) => Promise<number | ExitRequest>): Promise<number | ExitRequest> => {
    const ctl = new AbortController();
    const onStop = () => ctl.abort();
    signal.addEventListener('abort', onStop, { once: true });
    let interrupted = false;
    input.setOnInterrupt(() => { interrupted = true; output.out('^C'); ctl.abort(); });
    try {
      const r = await run(ctl.signal);
      if (interrupted && lastChar !== '\n') output.out('\n');
      return interrupted && typeof r === 'number' && r === 0 ? 130 : r;
    } finally {
      input.setOnInterrupt(undefined);
      signal.removeEventListener('abort', onStop);
    }
  };

  // what this process runs reads its stdin a line at a time through the same line discipline
  const env = { ...opts.env, readLine: () => input.readLine() };
  const interactive = async (outer: AbortSignal, prompt: boolean): Promise<number> => {
    const shell: Shell = new Shell(env, state, (s) => interactive(s, prompt));
    const stopped = new Promise<{ kind: 'stopped' }>((resolve) => {
      if (signal.aborted) resolve({ kind: 'stopped' });
      signal.addEventListener('abort', () => resolve({ kind: 'stopped' }), { once: true });
    });
    for (;;) {
      if (outer.aborted || signal.aborted) return 143;
      if (prompt) output.out(opts.env.toolbox?.prompt?.(state.cwd, opts.env.hostname, state.shell ?? 'sh') ?? `${state.cwd} # `);
      const r = await Promise.race([input.readLine(), stopped]);
      if (r.kind === 'stopped') return 143;
      if (r.kind === 'eof') {
        if (prompt) output.out('\n');
        return state.lastStatus;
      }
      if (r.kind === 'interrupt') { state.lastStatus = 130; continue; }
      if (!r.text.trim()) continue;
      const status = await runForeground((s) => shell.runLine(r.text, output, s));
      if (status instanceof ExitRequest) return status.status;
    }
  };

  const [cmd, ...rest] = opts.argv;
  const isShell = opts.env.toolbox ? appletName([cmd ?? ''], opts.env.toolbox)?.name === 'sh' : /^(\/bin\/)?(sh|ash)$/.test(cmd ?? '');
  if (isShell) state.shell = (cmd ?? 'sh').replace(/^.*\//, '');
  if (isShell && rest.length === 0) return interactive(signal, io.tty);
  if (isShell && rest.length === 1 && rest[0] === '-i') return interactive(signal, true);
  const shell = new Shell(env, state, (s) => interactive(s, io.tty));
  // a filter run directly (`kubectl exec -i pod -- tar -xmf -`) reads the process's stdin to its end
  const name = appletName(opts.argv, opts.env.toolbox)?.name ?? '';
  const stdin = io.stdin && !io.tty && readsStdin(name, opts.argv) ? await readAll(io.stdin, signal) : undefined;
  return finalStatus(await runForeground((s) => shell.runArgv(opts.argv, output, s, stdin)));
}
