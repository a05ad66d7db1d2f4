// Snippets "(name) { ... }" and "import name|file|glob", resolved on the token stream before
// the structure is parsed, so imported lines keep their own file and line for errors.
import { dirname, isAbsolute, join, basename } from 'node:path';
import { CorefileError } from '../errors.ts';
import { hostFiles, type FileHooks } from '../core/files.ts';
import { tokenize, type Token } from './tokens.ts';

const MAX_DEPTH = 16;

/** Removes top-level snippet definitions and returns them with the remaining tokens. */
export function extractSnippets(tokens: Token[], snippets: Map<string, Token[]>): Token[] {
  const rest: Token[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (depth === 0 && !t.quoted && /^\(.+\)$/.test(t.text) && tokens[i + 1]?.text === '{' && tokens[i + 1]!.line === t.line) {
      const name = t.text.slice(1, -1);
      if (snippets.has(name)) throw new CorefileError(t.file, t.line, `redeclaration of previously declared snippet ${name}`);
      const body: Token[] = [];
      let d = 1;
      let j = i + 2;
      for (; j < tokens.length; j++) {
        const u = tokens[j]!;
        if (!u.quoted && u.text === '{') d++;
        if (!u.quoted && u.text === '}') { d--; if (d === 0) break; }
        body.push(u);
      }
      if (d !== 0) throw new CorefileError(t.file, t.line, `Unexpected EOF: snippet ${name} is missing its closing '}'`);
      snippets.set(name, body);
      i = j;
      continue;
    }
    if (!t.quoted && t.text === '{') depth++;
    if (!t.quoted && t.text === '}') depth--;
    rest.push(t);
  }
  return rest;
}

export interface ImportContext {
  snippets: Map<string, Token[]>;
  env: Record<string, string | undefined>;
  /** the filesystem imports are read from (default: the real one) */
  files?: FileHooks;
}

/** Replaces every "import X" (first token of its line) with the snippet's or files' tokens. */
export function expandImports(tokens: Token[], ctx: ImportContext, depth = 0): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const startsLine = i === 0 || tokens[i - 1]!.line !== t.line || tokens[i - 1]!.file !== t.file;
    if (t.quoted || t.text !== 'import' || !startsLine) { out.push(t); continue; }
    const arg = tokens[i + 1];
    if (!arg || arg.line !== t.line || arg.file !== t.file) throw new CorefileError(t.file, t.line, `Wrong argument count or unexpected line ending after 'import'`);
    if (tokens[i + 2] && tokens[i + 2]!.line === t.line && tokens[i + 2]!.file === t.file && tokens[i + 2]!.text !== '}')
      throw new CorefileError(t.file, t.line, `Import takes only one argument (glob pattern or snippet name)`);
    i++;
    if (depth >= MAX_DEPTH) throw new CorefileError(t.file, t.line, `Import depth exceeded ${MAX_DEPTH}: is "${arg.text}" importing itself?`);
    const snippet = ctx.snippets.get(arg.text);
    if (snippet) {
      out.push(...expandImports(snippet, ctx, depth + 1));
      continue;
    }
    for (const path of resolveImport(arg.text, t, ctx.files ?? hostFiles)) {
      const text = readImport(path, t, ctx);
      const inner = extractSnippets(tokenize(text, path, ctx.env), ctx.snippets);
      out.push(...expandImports(inner, ctx, depth + 1));
    }
  }
  return out;
}

function readImport(path: string, t: Token, ctx: ImportContext): string {
  try {
    return (ctx.files ?? hostFiles).readFile(path);
  } catch (err) {
    throw new CorefileError(t.file, t.line, `Could not read imported file ${path}: ${(err as Error).message}`);
  }
}

function resolveImport(pattern: string, t: Token, files: FileHooks): string[] {
  const base = isAbsolute(pattern) ? pattern : join(dirname(t.file), pattern);
  const name = basename(base);
  if (!/[*?[]/.test(name)) {
    try {
      files.stat(base);
    } catch {
      throw new CorefileError(t.file, t.line, `File to import not found: ${base} (no snippet named "${pattern}" either)`);
    }
    return [base];
  }
  const dir = dirname(base);
  if (/[*?[]/.test(dir)) throw new CorefileError(t.file, t.line, `Glob pattern may only contain wildcards in the last path element: ${pattern}`);
  const re = new RegExp('^' + name.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
  let names: string[] = [];
  try {
    names = files.readDir(dir).filter((f) => re.test(f)).sort();
  } catch {
    names = [];
  }
  // CoreDNS only warns when a glob matches nothing; an empty import is valid
  return names.map((f) => join(dir, f));
}
