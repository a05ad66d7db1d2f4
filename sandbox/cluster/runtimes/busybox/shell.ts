// ash, the shell of busybox 1.28, as far as the lab needs it: runs parsed command lines with
// pipes, && || ; and redirections against the applets, keeping $? , the environment and the
// working directory across lines of one session.
import { APPLETS, appletName } from './applets.ts';
import { parse, ShellSyntaxError, type SimpleCommand, type Word } from './parse.ts';
import { ArithError, expandFields } from './expand.ts';
import { showUsage, USAGE } from './usage.ts';
import type { AppletContext, Output, ShellState } from './context.ts';
import { readFile, resolvePath } from './context.ts';

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
    // $(...) runs in a subshell: its stdout becomes text, its stderr shows
    const substitute = async (script: string) => {
      let captured = '';
      const child = new Shell(this.env, { ...this.state, env: new Map(this.state.env) }, this.nested);
      const r = await child.runScript(script, { out: (t) => { captured += t; }, err: io.err }, signal);
      this.state.lastStatus = finalStatus(r);
      return captured;
    };
    const view = { state: this.state, files: this.env.files };
    const one = async (w: Word) => (await expandFields(w, this.#vars, substitute, view, { split: false, glob: false })).join(' ');
    let argv: string[] = [];
    const redirects: Array<{ fd: 0 | 1 | 2; append: boolean; target: string; dup?: number }> = [];
    try {
      if (cmd.argv.length === 0) {
        for (const [k, v] of cmd.assignments) this.state.env.set(k, await one(v));
        // X=$(cmd) has cmd's status, as in ash
        return cmd.assignments.some(([, v]) => v.some((p) => typeof p !== 'string' && 'command' in p)) ? this.state.lastStatus : 0;
      }
      for (const w of cmd.argv) argv.push(...await expandFields(w, this.#vars, substitute, view, { split: true, glob: true }));
      for (const r of cmd.redirects) redirects.push({ fd: r.fd, append: r.append, target: r.dup !== undefined ? '' : await one(r.target), dup: r.dup });
    } catch (e) {
      if (!(e instanceof ArithError)) throw e;
      io.err(`sh: ${e.message}\n`);
      return 2;
    }
    if (argv.length === 0) return 0;
    let out = io.out;
    let err = io.err;
    for (const r of redirects) {
      // in order, as the shell applies them: `>/dev/null 2>&1` silences both
      if (r.dup !== undefined) {
        // only 1 and 2 are open in the lab's commands (ash: the command fails, the script goes on)
        if (r.dup !== 1 && r.dup !== 2) { io.err(`sh: ${r.dup}: Bad file descriptor\n`); return 1; }
        const to = r.dup === 1 ? out : err;
        if (r.fd === 1) out = to; else err = to;
        continue;
      }
      const target = r.target;
      if (r.fd === 0) {
        const text = target === '/dev/null' ? '' : readFile(view, target);
        if (text === undefined) { io.err(`sh: can't open ${target}: no such file\n`); return 1; }
        stdin = text;
        continue;
      }
      if (target === '/dev/null') {
        if (r.fd === 1) out = () => undefined; else err = () => undefined;
        continue;
      }
      const { normalized } = resolvePath(this, target);
      if (!r.append || !this.state.written.has(normalized)) this.state.written.set(normalized, '');
      const write = (t: string) => { this.state.written.set(normalized, (this.state.written.get(normalized) ?? '') + t); };
      if (r.fd === 1) out = write; else err = write;
    }
    argv = argv.filter((a, i) => i > 0 || a !== '');
    return this.runArgv(argv, { out, err, bytes: out === io.out ? io.bytes : undefined }, signal, stdin);
  }

  /** run one command by argv, as exec does and as the shell does after parsing */
  async runArgv(argv: string[], io: Output, signal: AbortSignal, input?: string | Buffer): Promise<number | ExitRequest> {
    const stdin = typeof input === 'string' || input === undefined ? input : input.toString();
    const stdinBytes = Buffer.isBuffer(input) ? input : undefined;
    const toolbox = this.env.toolbox;
    const found = appletName(argv, toolbox);
    if (!found) {
      io.err(toolbox ? toolbox.notFound(argv[0], this.state.shell ?? 'sh') : `sh: ${argv[0]}: not found\n`);
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
    // appletlib: `APPLET --help` shows the usage and exits 0
    if (args.length === 2 && args[1] === '--help' && USAGE[found.name] && (toolbox?.busyboxUsage ?? true)) {
      showUsage(io, found.name);
      return 0;
    }
    const applet = (toolbox?.commands ?? APPLETS)[found.name];
    return applet({ ...this.env, argv: args, out: io.out, err: io.err, bytes: io.bytes, signal, stdin, stdinBytes, state: this.state });
  }

  async #sh(args: string[], io: Output, signal: AbortSignal, stdin?: string): Promise<number> {
    const c = args.indexOf('-c');
    // a child shell: its own copy of variables and cwd, sharing the container's files
    const child = new Shell(this.env, { ...this.state, env: new Map(this.state.env), shell: args[0].replace(/^.*\//, '') }, this.nested);
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
