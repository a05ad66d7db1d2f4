// ash's word expansion after parsing: variables, $(...) output (trailing newlines removed, split
// into fields when unquoted), $((...)) integer arithmetic, then pathname expansion of unquoted
// glob characters against the container's files (a pattern that matches nothing stays as typed).
import type { Word } from './parse.ts';
import { listDir, type ShellState } from './context.ts';
import { normalizePath, type PodFiles } from '../pod-files.ts';

export type Substitute = (script: string) => Promise<string>;

interface Piece { text: string; glob: boolean }

export class ArithError extends Error {}

/** $((...)): ash's integer arithmetic (C operators and precedence, variables read as numbers) */
export function arithmetic(expr: string, vars: (n: string) => string | undefined): number {
  const tokens = expr.match(/\s*(0x[0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>!~&|^?:])/g) ?? [];
  const toks = tokens.map((t) => t.trim());
  if (toks.join('') !== expr.replace(/\s+/g, '')) throw new ArithError(`arithmetic syntax error`);
  let k = 0;
  const peek = () => toks[k];
  const value = (name: string) => {
    const v = (vars(name.replace(/^\$/, '')) ?? '').trim();
    return v === '' ? 0 : Number.isInteger(Number(v)) ? Number(v) : (() => { throw new ArithError('arithmetic syntax error'); })();
  };
  const primary = (): number => {
    const t = toks[k++];
    if (t === undefined) throw new ArithError('arithmetic syntax error');
    if (t === '(') { const v = ternary(); if (toks[k++] !== ')') throw new ArithError('arithmetic syntax error'); return v; }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() ? 0 : 1;
    if (t === '~') return ~primary();
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(t)) return Number(t);
    if (/^\$?[A-Za-z_]/.test(t)) return value(t);
    throw new ArithError('arithmetic syntax error');
  };
  const levels: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
  const binary = (level: number): number => {
    if (level === levels.length) return primary();
    let left = binary(level + 1);
    while (peek() !== undefined && levels[level].includes(peek()!)) {
      const op = toks[k++];
      const right = binary(level + 1);
      if ((op === '/' || op === '%') && right === 0) throw new ArithError('divide by zero');
      left = ({
        '||': () => (left || right ? 1 : 0), '&&': () => (left && right ? 1 : 0), '|': () => left | right, '^': () => left ^ right,
        '&': () => left & right, '==': () => Number(left === right), '!=': () => Number(left !== right), '<': () => Number(left < right),
        '>': () => Number(left > right), '<=': () => Number(left <= right), '>=': () => Number(left >= right), '<<': () => left << right,
        '>>': () => left >> right, '+': () => left + right, '-': () => left - right, '*': () => left * right,
        '/': () => Math.trunc(left / right), '%': () => left % right,
      } as Record<string, () => number>)[op]!();
    }
    return left;
  };
  const ternary = (): number => {
    const c = binary(0);
    if (peek() !== '?') return c;
    k++;
    const a = ternary();
    if (toks[k++] !== ':') throw new ArithError('arithmetic syntax error');
    const b = ternary();
    return c ? a : b;
  };
  if (toks.length === 0) return 0;
  const v = ternary();
  if (k !== toks.length) throw new ArithError('arithmetic syntax error');
  return v;
}

function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) { re += '\\['; continue; }
      const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      re += `[${body}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  // names starting with a dot match only a pattern that starts with one
  return new RegExp(`^${pattern.startsWith('.') ? '' : '(?!\\.)'}${re}$`);
}

/** pathname expansion of one pattern (glob characters as marked), sorted; [] when nothing matches */
export function globPaths(view: { state: ShellState; files: PodFiles }, pieces: Piece[]): string[] {
  // escaped: a glob character that came from quoted text matches itself
  const text = pieces.map((p) => (p.glob ? p.text : p.text.replace(/[*?[\]\\]/g, '\\$&'))).join('');
  const abs = (f: string) => normalizePath(f, view.state.cwd);
  const exists = (f: string) =>
    listDir(view, abs(f)) !== undefined || view.state.written.has(abs(f)) || view.files.read(abs(f)) !== undefined;
  let found: string[] = [text.startsWith('/') ? '/' : ''];
  for (const part of text.split('/').filter(Boolean)) {
    const next: string[] = [];
    for (const base of found) {
      const join = (n: string) => (base === '' ? n : base === '/' ? `/${n}` : `${base}/${n}`);
      if (!/(^|[^\\])[*?[]/.test(part)) { next.push(join(part.replace(/\\(.)/g, '$1'))); continue; }
      const re = globRegExp(part);
      for (const n of listDir(view, abs(base || '.')) ?? []) if (re.test(n)) next.push(join(n));
    }
    found = next;
  }
  return found.filter((f) => f !== '' && exists(f)).sort();
}

/** one word into its fields */
export async function expandFields(word: Word, vars: (n: string) => string | undefined, substitute: Substitute,
  view: { state: ShellState; files: PodFiles }, opts: { split: boolean; glob: boolean }): Promise<string[]> {
  const fields: Piece[][] = [[]];
  let sawSplit = false;
  const push = (text: string, glob = false) => fields[fields.length - 1].push({ text, glob });
  for (const p of word) {
    if (typeof p === 'string') push(p);
    else if ('variable' in p) push(vars(p.variable) ?? '');
    else if ('glob' in p) push(p.glob, opts.glob);
    else if ('arith' in p) push(String(arithmetic(p.arith, vars)));
    else {
      const out = (await substitute(p.command)).replace(/\n+$/, '');
      if (p.quoted || !opts.split) { push(out); continue; }
      sawSplit = true;
      const words = out.split(/[ \t\n]+/);
      words.forEach((w, i) => {
        if (i > 0) fields.push([]);
        push(w);
      });
    }
  }
  const result: string[] = [];
  for (const f of fields) {
    const text = f.map((x) => x.text).join('');
    // an unquoted substitution that expands to nothing leaves no field
    if (sawSplit && text === '' && !f.some((x) => x.glob)) continue;
    if (f.some((x) => x.glob)) {
      const matches = globPaths(view, f);
      if (matches.length) { result.push(...matches); continue; }
    }
    result.push(text);
  }
  return result;
}
