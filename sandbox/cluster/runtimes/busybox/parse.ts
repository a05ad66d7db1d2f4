// The slice of ash's grammar the lab needs: words with '...' "..." and \ quoting, $VAR ${VAR} $?
// expansion, pipes, && || ;, and > >> 2> redirections. Anything else stays a plain word.

export interface Redirect { fd: 1 | 2; append: boolean; target: string }
export interface SimpleCommand { argv: string[]; redirects: Redirect[]; assignments: Array<[string, string]> }
export type Pipeline = SimpleCommand[];
export interface ListItem { pipeline: Pipeline; /** how it joins the previous item */ op: ';' | '&&' | '||' }

export class ShellSyntaxError extends Error {
  readonly code = 'LAB_ERR_SH_SYNTAX' as const;
  override readonly name = 'ShellSyntaxError';
}

type Token = { kind: 'word'; value: string; quoted: boolean } | { kind: 'op'; value: string };

function expandVar(name: string, vars: (n: string) => string | undefined): string {
  return vars(name) ?? '';
}

export function tokenize(line: string, vars: (n: string) => string | undefined): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let word: string | undefined;
  let quoted = false;
  const flush = () => {
    if (word !== undefined) tokens.push({ kind: 'word', value: word, quoted });
    word = undefined;
    quoted = false;
  };
  const readVar = (): string => {
    // at line[i] === '$'
    const rest = line.slice(i + 1);
    let m = /^\{([A-Za-z_][A-Za-z0-9_]*|\?)\}/.exec(rest) ?? /^([A-Za-z_][A-Za-z0-9_]*|\?|\$|#|[0-9])/.exec(rest);
    if (!m) { i++; return '$'; }
    i += 1 + m[0].length;
    return expandVar(m[1], vars);
  };
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') { flush(); i++; continue; }
    if (c === '#' && word === undefined) break;
    if (c === ';' || c === '|' || c === '&' || c === '>' || c === '<') {
      const two = line.slice(i, i + 2);
      if (c === '>' && word !== undefined && /^[12]$/.test(word) && !quoted) {
        const fd = word;
        word = undefined;
        if (two === '>>') { tokens.push({ kind: 'op', value: `${fd}>>` }); i += 2; } else { tokens.push({ kind: 'op', value: `${fd}>` }); i++; }
        continue;
      }
      flush();
      if (two === '&&' || two === '||' || two === '>>') { tokens.push({ kind: 'op', value: two }); i += 2; continue; }
      if (c === '&') throw new ShellSyntaxError('background jobs (&) are not supported in this lab shell');
      if (c === '<') throw new ShellSyntaxError('input redirection (<) is not supported in this lab shell');
      tokens.push({ kind: 'op', value: c });
      i++;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
      word = (word ?? '') + line.slice(i + 1, end);
      quoted = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= line.length) throw new ShellSyntaxError('unterminated quoted string');
        const d = line[j];
        if (d === '"') break;
        if (d === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1])) { s += line[j + 1]; j += 2; continue; }
        if (d === '$') { i = j; s += readVar(); j = i; continue; }
        s += d;
        j++;
      }
      word = (word ?? '') + s;
      quoted = true;
      i = j + 1;
      continue;
    }
    if (c === '\\') {
      word = (word ?? '') + (line[i + 1] ?? '');
      quoted = true;
      i += 2;
      continue;
    }
    if (c === '$') {
      const v = readVar();
      word = (word ?? '') + v;
      continue;
    }
    word = (word ?? '') + c;
    i++;
  }
  flush();
  return tokens;
}

export function parse(line: string, vars: (n: string) => string | undefined): ListItem[] {
  const tokens = tokenize(line, vars);
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
      const assign = !t.quoted && cmd.argv.length === 0 ? /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(t.value) : null;
      if (assign) cmd.assignments.push([assign[1], assign[2]]);
      else cmd.argv.push(t.value);
      continue;
    }
    if (/^[12]?>>?$/.test(t.value)) {
      const target = tokens[k + 1];
      if (!target || target.kind !== 'word') throw unexpected(t.value === '>' ? 'newline' : t.value);
      const fd = t.value.startsWith('2') ? 2 : 1;
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
