// The slice of ash's grammar the lab needs: words with '...' "..." and \ quoting, $VAR ${VAR} $?
// expansion, $(...) and `...` command substitution, $((...)) arithmetic, unquoted glob characters,
// pipes, && || ;, and > >> 2> < redirections. Anything else stays a plain word.

/** a part of a word that expands when its command runs; `quoted` when it sat inside "..." */
export type WordPart = string | { variable: string } | { command: string; quoted: boolean } | { arith: string } | { glob: string };
/** a word as typed: literal text and the parts expanded when its command runs */
export type Word = WordPart[];
/** `fd> target`, `fd>> target`, `< target`, or a duplication `fd>&dup` (`2>&1`, `>&2`) */
export interface Redirect { fd: 0 | 1 | 2; append: boolean; target: Word; dup?: number }
export interface SimpleCommand { argv: Word[]; redirects: Redirect[]; assignments: Array<[string, Word]> }

/** expands variables only (command substitution and arithmetic are the shell's: shell.ts) */
export function expand(word: Word, vars: (n: string) => string | undefined): string {
  return word.map((p) => (typeof p === 'string' ? p : 'variable' in p ? vars(p.variable) ?? '' : 'glob' in p ? p.glob : '')).join('');
}

/** the index just past the `)` closing a `$(` or `(` opened before `from`, honouring quotes and nesting */
function closingParen(line: string, from: number, depth = 1): number {
  let i = from;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\') { i += 2; continue; }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) return i + 1;
    i++;
  }
  throw new ShellSyntaxError('unterminated quoted string');
}
export type Pipeline = SimpleCommand[];
export interface ListItem { pipeline: Pipeline; /** how it joins the previous item */ op: ';' | '&&' | '||' }

export class ShellSyntaxError extends Error {
  readonly code = 'LAB_ERR_SH_SYNTAX' as const;
  override readonly name = 'ShellSyntaxError';
}

type Token = { kind: 'word'; value: Word; quoted: boolean } | { kind: 'op'; value: string };

const literal = (w: Word | undefined): string | undefined => (w && w.every((p) => typeof p === 'string') ? w.join('') : undefined);

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let word: Word | undefined;
  let quoted = false;
  const flush = () => {
    if (word !== undefined) tokens.push({ kind: 'word', value: word, quoted });
    word = undefined;
    quoted = false;
  };
  const add = (part: WordPart) => {
    word ??= [];
    if (typeof part === 'string' && typeof word[word.length - 1] === 'string') word[word.length - 1] += part;
    else word.push(part);
  };
  const readVar = (inQuotes: boolean): WordPart => {
    // at line[i] === '$'
    if (line.startsWith('$((', i)) {
      const end = closingParen(line, i + 3, 2);
      const inner = line.slice(i + 3, end - 2);
      i = end;
      return { arith: inner };
    }
    if (line[i + 1] === '(') {
      const end = closingParen(line, i + 2);
      const inner = line.slice(i + 2, end - 1);
      i = end;
      return { command: inner, quoted: inQuotes };
    }
    const rest = line.slice(i + 1);
    const m = /^\{([A-Za-z_][A-Za-z0-9_]*|\?)\}/.exec(rest) ?? /^([A-Za-z_][A-Za-z0-9_]*|\?|\$|#|[0-9])/.exec(rest);
    if (!m) { i++; return '$'; }
    i += 1 + m[0].length;
    return { variable: m[1] };
  };
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') { flush(); i++; continue; }
    if (c === '#' && word === undefined) break;
    if (c === ';' || c === '|' || c === '&' || c === '>' || c === '<') {
      const two = line.slice(i, i + 2);
      // an unquoted 1 or 2 right before `>` is the descriptor it redirects, not a word
      const fd = c === '>' && word !== undefined && !quoted && /^[12]$/.test(literal(word) ?? '') ? literal(word) : undefined;
      // `>&2`, `2>&1`: a duplication, one token (`N>&M`)
      const dup = c === '>' ? /^>&([0-9])/.exec(line.slice(i)) : null;
      if (dup) {
        if (fd) word = undefined;
        else flush();
        tokens.push({ kind: 'op', value: `${fd ?? '1'}>&${dup[1]}` });
        i += 3;
        continue;
      }
      if (fd) {
        word = undefined;
        if (two === '>>') { tokens.push({ kind: 'op', value: `${fd}>>` }); i += 2; } else { tokens.push({ kind: 'op', value: `${fd}>` }); i++; }
        continue;
      }
      flush();
      if (two === '&&' || two === '||' || two === '>>') { tokens.push({ kind: 'op', value: two }); i += 2; continue; }
      if (c === '&') throw new ShellSyntaxError('background jobs (&) are not supported in this lab shell');
      tokens.push({ kind: 'op', value: c });
      i++;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
      add(line.slice(i + 1, end));
      quoted = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      add('');
      for (;;) {
        if (j >= line.length) throw new ShellSyntaxError('unterminated quoted string');
        const d = line[j];
        if (d === '"') break;
        if (d === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1])) { add(line[j + 1]); j += 2; continue; }
        if (d === '$') { i = j; add(readVar(true)); j = i; continue; }
        if (d === '`') {
          const end = line.indexOf('`', j + 1);
          if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
          add({ command: line.slice(j + 1, end), quoted: true });
          j = end + 1;
          continue;
        }
        add(d);
        j++;
      }
      quoted = true;
      i = j + 1;
      continue;
    }
    if (c === '\\') {
      add(line[i + 1] ?? '');
      quoted = true;
      i += 2;
      continue;
    }
    if (c === '$') {
      add(readVar(false));
      continue;
    }
    if (c === '`') {
      const end = line.indexOf('`', i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
      add({ command: line.slice(i + 1, end), quoted: false });
      i = end + 1;
      continue;
    }
    if (c === '*' || c === '?' || c === '[') {
      add({ glob: c });
      i++;
      continue;
    }
    add(c);
    i++;
  }
  flush();
  return tokens;
}

export function parse(line: string): ListItem[] {
  const tokens = tokenize(line);
  const items: ListItem[] = [];
  let op: ListItem['op'] = ';';
  let pipeline: Pipeline = [];
  let cmd: SimpleCommand = { argv: [], redirects: [], assignments: [] };
  const unexpected = (t: string) => new ShellSyntaxError(`unexpected "${t}"`);
  const endCommand = (t: string) => {
    if (cmd.argv.length === 0 && cmd.assignments.length === 0 && cmd.redirects.length === 0) throw unexpected(t);
    pipeline.push(cmd);
    cmd = { argv: [], redirects: [], assignments: [] };
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'word') {
      const head = typeof t.value[0] === 'string' ? t.value[0] : '';
      const assign = cmd.argv.length === 0 ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(head) : null;
      if (assign) cmd.assignments.push([assign[1], [head.slice(assign[0].length), ...t.value.slice(1)]]);
      else cmd.argv.push(t.value);
      continue;
    }
    const dup = /^([12])>&([0-9])$/.exec(t.value);
    if (dup) {
      cmd.redirects.push({ fd: dup[1] === '2' ? 2 : 1, append: false, target: [], dup: Number(dup[2]) });
      continue;
    }
    if (/^[12]?>>?$/.test(t.value) || t.value === '<') {
      const target = tokens[k + 1];
      if (!target || target.kind !== 'word') throw unexpected(t.value === '>' || t.value === '<' ? 'newline' : t.value);
      const fd = t.value === '<' ? 0 : t.value.startsWith('2') ? 2 : 1;
      cmd.redirects.push({ fd, append: t.value.endsWith('>>'), target: target.value });
      k++;
      continue;
    }
    if (t.value === '|') { endCommand('|'); continue; }
    // ; && ||
    if (cmd.argv.length === 0 && cmd.assignments.length === 0 && pipeline.length === 0) {
      if (t.value === ';' && items.length === 0) throw unexpected(';');
      throw unexpected(t.value);
    }
    endCommand(t.value);
    items.push({ pipeline, op });
    pipeline = [];
    op = t.value as ListItem['op'];
  }
  if (cmd.argv.length || cmd.assignments.length || cmd.redirects.length) pipeline.push(cmd);
  else if (pipeline.length) throw unexpected('newline');
  if (pipeline.length) items.push({ pipeline, op });
  else if (op !== ';') throw unexpected('newline');
  return items;
}
