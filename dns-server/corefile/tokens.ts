// Splits Corefile text into tokens the way CoreDNS's Caddy lexer does: whitespace separates,
// "#" starts a comment at the start of a token, double quotes and backticks group, and
// {$VAR} / {%VAR%} are replaced from the environment inside each token.
import { CorefileError } from '../errors.ts';

export interface Token {
  text: string;
  file: string;
  line: number;
  quoted: boolean;
}

export function tokenize(text: string, file: string, env: Record<string, string | undefined>): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') { line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === ',') {
      // CoreDNS accepts "a:53, b:53" as two keys; a lone comma never means anything else
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === '`') {
      const startLine = line;
      let s = '';
      i++;
      for (;;) {
        if (i >= n) throw new CorefileError(file, startLine, `Unterminated quoted string: missing closing ${c}`);
        const d = text[i]!;
        if (c === '"' && d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) { s += text[i + 1]; i += 2; continue; }
        if (d === c) { i++; break; }
        if (d === '\n') line++;
        s += d;
        i++;
      }
      out.push({ text: expandEnv(s, env), file, line: startLine, quoted: true });
      continue;
    }
    let s = '';
    while (i < n) {
      const d = text[i]!;
      if (d === ' ' || d === '\t' || d === '\r' || d === '\n') break;
      // a comma splits tokens unless it is inside {$VAR} braces
      if (d === ',' && !s.includes('{')) break;
      s += d;
      i++;
    }
    out.push({ text: expandEnv(s, env), file, line, quoted: false });
  }
  return out;
}

const ENV_RE = /\{\$([A-Za-z_][A-Za-z0-9_]*)\}|\{%([A-Za-z_][A-Za-z0-9_]*)%\}/g;

export function expandEnv(s: string, env: Record<string, string | undefined>): string {
  if (!s.includes('{')) return s;
  return s.replace(ENV_RE, (_m, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? '');
}
