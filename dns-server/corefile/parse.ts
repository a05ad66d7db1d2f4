// Turns Corefile text into server blocks of directives. Pure: no plugin runs here, but an
// unknown directive is already an error, as in CoreDNS.
import type { Directive } from '../core/plugin.ts';
import type { FileHooks } from '../core/files.ts';
import { CorefileError } from '../errors.ts';
import { tokenize, type Token } from './tokens.ts';
import { extractSnippets, expandImports } from './imports.ts';
import { parseServerKeys, AddressError, type ServerKey } from './address.ts';

export interface ServerBlock {
  keys: ServerKey[];
  directives: Directive[];
  file: string;
  line: number;
}

export interface ParseOptions {
  file: string;
  env?: Record<string, string | undefined>;
  /** is this a plugin name we know? */
  isKnownPlugin: (name: string) => boolean;
  /** port for keys without one (-dns.port, default 53) */
  defaultPort?: number;
  /** where imported files are read (default: the real filesystem) */
  files?: FileHooks;
}

export function parseCorefile(text: string, opts: ParseOptions): ServerBlock[] {
  const env = opts.env ?? process.env;
  const snippets = new Map<string, Token[]>();
  const raw = extractSnippets(tokenize(text, opts.file, env), snippets);
  const tokens = expandImports(raw, { snippets, env, files: opts.files });
  const p = new BlockParser(tokens, opts);
  const blocks = p.parseAll();
  checkDuplicates(blocks);
  return blocks;
}

const isOpen = (t: Token | undefined) => !!t && !t.quoted && t.text === '{';
const isClose = (t: Token | undefined) => !!t && !t.quoted && t.text === '}';
const sameLine = (a: Token, b: Token | undefined) => !!b && a.line === b.line && a.file === b.file;

class BlockParser {
  private i = 0;
  constructor(private readonly t: Token[], private readonly opts: ParseOptions) {}

  parseAll(): ServerBlock[] {
    const blocks: ServerBlock[] = [];
    while (this.i < this.t.length) blocks.push(this.serverBlock());
    return blocks;
  }

  private err(tok: Token | undefined, msg: string): CorefileError {
    const last = this.t[this.t.length - 1];
    return new CorefileError(tok?.file ?? last?.file ?? this.opts.file, tok?.line ?? last?.line ?? 1, msg);
  }

  private serverBlock(): ServerBlock {
    const first = this.t[this.i]!;
    if (isOpen(first) || isClose(first)) throw this.err(first, `Unexpected '${first.text}': expected a server block address such as .:53`);
    const keyToks: Token[] = [];
    while (this.i < this.t.length && !isOpen(this.t[this.i]) && sameLine(first, this.t[this.i])) keyToks.push(this.t[this.i++]!);
    if (!isOpen(this.t[this.i])) throw this.err(this.t[this.i] ?? first, `Expected '{' after the server block address ${keyToks.map((k) => k.text).join(' ')}`);
    this.i++;
    const keys = keyToks.flatMap((k) => {
      try {
        return parseServerKeys(k.text, this.opts.defaultPort ?? 53);
      } catch (e) {
        if (e instanceof AddressError) throw this.err(k, e.message);
        throw e;
      }
    });
    const directives: Directive[] = [];
    for (;;) {
      const tok = this.t[this.i];
      if (!tok) throw this.err(first, `Unexpected EOF: server block ${keyToks[0]!.text} is missing its closing '}'`);
      if (isClose(tok)) { this.i++; break; }
      directives.push(this.directive());
    }
    return { keys, directives, file: first.file, line: first.line };
  }

  private directive(): Directive {
    const nameTok = this.t[this.i++]!;
    if (isOpen(nameTok)) throw this.err(nameTok, `Unexpected '{': a block must follow a directive on the same line`);
    const name = nameTok.text;
    if (!this.opts.isKnownPlugin(name)) throw this.err(nameTok, `Unknown directive '${name}'`);
    const args: string[] = [];
    while (sameLine(nameTok, this.t[this.i]) && !isOpen(this.t[this.i]) && !isClose(this.t[this.i])) args.push(this.t[this.i++]!.text);
    const block: Directive['block'] = [];
    if (isOpen(this.t[this.i]) && sameLine(nameTok, this.t[this.i])) {
      const open = this.t[this.i++]!;
      for (;;) {
        const lt = this.t[this.i];
        if (!lt) throw this.err(open, `Unexpected EOF: the block of '${name}' is missing its closing '}'`);
        if (isClose(lt)) { this.i++; break; }
        if (isOpen(lt)) throw this.err(lt, `Unexpected '{' inside the block of '${name}'`);
        this.i++;
        const lineArgs: string[] = [];
        while (sameLine(lt, this.t[this.i]) && !isClose(this.t[this.i])) {
          if (isOpen(this.t[this.i])) throw this.err(this.t[this.i], `Nested blocks inside '${name} { ${lt.text} ... }' are not supported`);
          lineArgs.push(this.t[this.i++]!.text);
        }
        block.push({ name: lt.text, args: lineArgs, line: lt.line });
      }
    }
    return { name, args, block, file: nameTok.file, line: nameTok.line };
  }
}

function checkDuplicates(blocks: ServerBlock[]): void {
  const seen = new Set<string>();
  for (const b of blocks)
    for (const k of b.keys) {
      const id = `${k.zone}:${k.port}`;
      if (seen.has(id)) throw new CorefileError(b.file, b.line, `cannot serve dns://${k.zone}:${k.port} - it is already defined`);
      seen.add(id);
    }
}
