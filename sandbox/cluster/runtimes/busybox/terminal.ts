// The terminal side of a busybox process: reads what kubectl sends on stdin (raw keys under a
// TTY, lines without one), edits the line the way ash's line editor does for the basics
// (echo, backspace, Ctrl-U, Ctrl-C, Ctrl-D), and writes output with \r\n under a TTY.
import type { Readable, Writable } from 'node:stream';
import type { LineResult } from './context.ts';

export type { LineResult };

export interface TerminalOutput {
  out(text: string): void;
  err(text: string): void;
  bytes(data: Buffer): void;
}

/** under a TTY there is one stream and the line discipline turns \n into \r\n */
export function terminalOutput(stdout: Writable, stderr: Writable, tty: boolean): TerminalOutput {
  const safe = (w: Writable, t: string) => { if (!w.destroyed && !w.writableEnded) w.write(t); };
  const bytes = (b: Buffer) => { if (!stdout.destroyed && !stdout.writableEnded) stdout.write(b); };
  if (tty) {
    const crlf = (t: string) => t.replace(/\r?\n/g, '\r\n');
    return { out: (t) => safe(stdout, crlf(t)), err: (t) => safe(stdout, crlf(t)), bytes };
  }
  return { out: (t) => safe(stdout, t), err: (t) => safe(stderr, t), bytes };
}


export class LineInput {
  #pending: string[] = [];
  #typeahead = '';
  #buffer = '';
  #ended = false;
  #escape = false;
  #waiter: ((r: LineResult) => void) | undefined;
  #onInterrupt: (() => void) | undefined;

  constructor(stdin: Readable | undefined, private readonly tty: boolean, private readonly echo: (text: string) => void) {
    if (!stdin) { this.#ended = true; return; }
    stdin.on('data', (chunk: Buffer | string) => this.#feed(chunk.toString()));
    const end = () => { this.#ended = true; this.#flushEnd(); };
    stdin.on('end', end);
    stdin.on('close', end);
    stdin.on('error', end);
  }

  #flushEnd(): void {
    if (!this.#waiter) return;
    if (!this.tty && this.#buffer) { const text = this.#buffer; this.#buffer = ''; this.#resolve({ kind: 'line', text }); return; }
    this.#resolve({ kind: 'eof' });
  }

  #resolve(r: LineResult): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.(r);
  }

  #feed(data: string): void {
    if (!this.tty) {
      const lines = (this.#buffer + data).split('\n');
      this.#buffer = lines.pop() ?? '';
      for (const l of lines) this.#pending.push(l.replace(/\r$/, ''));
      this.#drainLines();
      return;
    }
    if (!this.#waiter) {
      // keys typed while a command runs: Ctrl-C interrupts it, the rest waits for the prompt
      for (const c of data) {
        if (c === '\x03' && this.#onInterrupt) { this.#typeahead = ''; this.#onInterrupt(); } else this.#typeahead += c;
      }
      return;
    }
    this.#edit(data);
  }

  #drainLines(): void {
    if (this.#waiter && this.#pending.length) this.#resolve({ kind: 'line', text: this.#pending.shift()! });
  }

  #edit(data: string): void {
    for (let i = 0; i < data.length; i++) {
      const c = data[i];
      if (!this.#waiter) { this.#typeahead += data.slice(i); return; }
      if (this.#escape) {
        // ESC [ ... final byte: arrow keys and friends are ignored, as history is not kept
        if (/[A-Za-z~]/.test(c)) this.#escape = false;
        continue;
      }
      switch (c) {
        case '\x1b': this.#escape = true; break;
        case '\r':
        case '\n': {
          if (c === '\n' && data[i - 1] === '\r') break;
          this.echo('\r\n');
          const text = this.#buffer;
          this.#buffer = '';
          this.#resolve({ kind: 'line', text });
          break;
        }
        case '\x7f':
        case '\b':
          if (this.#buffer.length) { this.#buffer = this.#buffer.slice(0, -1); this.echo('\b \b'); }
          break;
        case '\x15':
          this.echo('\b \b'.repeat(this.#buffer.length));
          this.#buffer = '';
          break;
        case '\x03':
          this.echo('^C\r\n');
          this.#buffer = '';
          this.#resolve({ kind: 'interrupt' });
          break;
        case '\x04':
          if (this.#buffer === '') this.#resolve({ kind: 'eof' });
          break;
        case '\t':
          break;
        default:
          if (c >= ' ') { this.#buffer += c; this.echo(c); }
      }
    }
  }

  /**
   * who hears Ctrl-C while a command runs; a Ctrl-C typed between the Enter and this call (keys
   * can arrive in the same tick) is delivered now
   */
  setOnInterrupt(fn: (() => void) | undefined): void {
    this.#onInterrupt = fn;
    const at = this.#typeahead.indexOf('\x03');
    if (fn && at >= 0) {
      this.#typeahead = '';
      fn();
    }
  }

  #waiting(): boolean {
    return this.#waiter !== undefined;
  }

  readLine(): Promise<LineResult> {
    return new Promise((resolve) => {
      this.#waiter = resolve;
      if (this.tty) {
        const ahead = this.#typeahead;
        this.#typeahead = '';
        if (ahead) this.#edit(ahead);
        if (this.#waiting() && this.#ended) this.#resolve({ kind: 'eof' });
        return;
      }
      this.#drainLines();
      if (this.#waiting() && this.#ended) this.#flushEnd();
    });
  }
}
