// ash, the shell of busybox 1.28, as far as the lab needs it: runs parsed command lines with
// pipes, && || ; and redirections against the applets, keeping $? , the environment and the
// working directory across lines of one session.
import { APPLETS, appletName } from './applets.ts';
import { expand, parse, ShellSyntaxError, type SimpleCommand } from './parse.ts';
import type { AppletContext, Output, ShellState } from './context.ts';
import { resolvePath } from './context.ts';

export type ShellEnvironment = Omit<AppletContext, 'argv' | 'out' | 'err' | 'signal' | 'stdin' | 'state'>;

/** run an interactive nested shell on the same terminal; provided by the session that owns input */
export type NestedShell = (signal: AbortSignal) => Promise<number>;

export class ExitRequest {
  constructor(readonly status: number) {}
}

export class Shell {
  constructor(
    readonly env: ShellEnvironment,
    readonly state: ShellState,
    private readonly nested?: NestedShell,
  ) {}

  /** one command line; returns its status, or an ExitRequest when it ran `exit` */
  async runLine(line: string, io: Output, signal: AbortSignal): Promise<number | ExitRequest> {
    let items;
    try {
      items = parse(line);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      io.err(`sh: syntax error: ${e.message}\n`);
      this.state.lastStatus = 2;
      return 2;
    }
    let status = this.state.lastStatus;
    for (const item of items) {
      if (item.op === '&&' && status !== 0) continue;
      if (item.op === '||' && status === 0) continue;
      if (signal.aborted) {
        this.state.lastStatus = 130;
        return 130;
      }
      let input: string | undefined;
      for (let k = 0; k < item.pipeline.length; k++) {
        const last = k === item.pipeline.length - 1;
        let captured = '';
        const sink: Output = last ? io : { out: (t) => { captured += t; }, err: io.err };
        const r = await this.#runSimple(item.pipeline[k], sink, signal, input);
        if (r instanceof ExitRequest) return r;
        status = r;
        input = captured;
      }
      this.state.lastStatus = status;
    }
    return status;
  }

  #vars = (n: string): string | undefined => (n === '?' ? String(this.state.lastStatus) : n === '$' ? '1' : n === '#' ? '0' : this.state.env.get(n));

  async #runSimple(cmd: SimpleCommand, io: Output, signal: AbortSignal, stdin?: string): Promise<number | ExitRequest> {
    if (cmd.argv.length === 0) {
      for (const [k, v] of cmd.assignments) this.state.env.set(k, expand(v, this.#vars));
      return 0;
    }
    const argv = cmd.argv.map((w) => expand(w, this.#vars));
    let out = io.out;
    let err = io.err;
    for (const r of cmd.redirects) {
      const target = expand(r.target, this.#vars);
      if (target === '/dev/null') {
        if (r.fd === 1) out = () => undefined; else err = () => undefined;
        continue;
      }
      const { normalized } = resolvePath(this, target);
      if (!r.append || !this.state.written.has(normalized)) this.state.written.set(normalized, '');
      const write = (t: string) => { this.state.written.set(normalized, (this.state.written.get(normalized) ?? '') + t); };
      if (r.fd === 1) out = write; else err = write;
    }
    return this.runArgv(argv, { out, err }, signal, stdin);
  }

  /** run one command by argv, as exec does and as the shell does after parsing */
  async runArgv(argv: string[], io: Output, signal: AbortSignal, stdin?: string): Promise<number | ExitRequest> {
    const found = appletName(argv);
    if (!found) {
      io.err(`sh: ${argv[0]}: not found\n`);
      return 127;
    }
    const args = found.argv;
    switch (found.name) {
      case 'exit': {
        const n = args[1] === undefined ? this.state.lastStatus : Number(args[1]);
        if (!Number.isInteger(n)) { io.err(`sh: exit: Illegal number: ${args[1]}\n`); return 2; }
        return new ExitRequest(n & 0xff);
      }
      case 'cd': {
        const target = args[1] ?? this.state.env.get('HOME') ?? '/';
        const { normalized } = resolvePath(this, target);
        if (!this.env.files.list(normalized)) { io.err(`sh: cd: can't cd to ${target}: No such file or directory\n`); return 2; }
        this.state.cwd = normalized;
        this.state.env.set('PWD', normalized);
        return 0;
      }
      case 'export': {
        for (const a of args.slice(1)) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(a);
          if (m) this.state.env.set(m[1], m[2]);
        }
        return 0;
      }
      case 'unset':
        for (const a of args.slice(1)) this.state.env.delete(a);
        return 0;
      case 'sh':
      case 'ash':
        return this.#sh(args, io, signal, stdin);
    }
    const applet = APPLETS[found.name];
    return applet({ ...this.env, argv: args, out: io.out, err: io.err, signal, stdin, state: this.state });
  }

  async #sh(args: string[], io: Output, signal: AbortSignal, stdin?: string): Promise<number> {
    const c = args.indexOf('-c');
    // a child shell: its own copy of variables and cwd, sharing the container's files
    const child = new Shell(this.env, { ...this.state, env: new Map(this.state.env) }, this.nested);
    if (c >= 0) {
      const script = args[c + 1];
      if (script === undefined) { io.err('sh: -c requires an argument\n'); return 2; }
      return finalStatus(await child.runScript(script, io, signal));
    }
    if (args.length > 1) {
      io.err(`sh: can't open '${args[1]}': No such file or directory\n`);
      return 2;
    }
    if (stdin !== undefined) return finalStatus(await child.runScript(stdin, io, signal));
    if (this.nested) return this.nested(signal);
    return 0;
  }

  /** several lines, as `sh -c` or a piped script runs them */
  async runScript(script: string, io: Output, signal: AbortSignal): Promise<number | ExitRequest> {
    let status = 0;
    for (const line of script.split('\n')) {
      if (!line.trim()) continue;
      const r = await this.runLine(line, io, signal);
      if (r instanceof ExitRequest) return r;
      status = r;
      if (signal.aborted) return 130;
    }
    return status;
  }
}

export function finalStatus(r: number | ExitRequest): number {
  return r instanceof ExitRequest ? r.status : r;
}
