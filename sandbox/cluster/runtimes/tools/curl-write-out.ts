// curl's -w/--write-out (docs/cmdline-opts/write-out.md): %{variable}s of the last transfer,
// \n \r \t escapes, %% for a percent sign, @FILE to read the format from a file. What learners
// use it for: `curl -s -o /dev/null -w '%{http_code}\n' http://svc` (000 when no response came).

export interface TransferInfo {
  /** the last response's status; 0 when none came (printed 000) */
  status: number;
  urlEffective: string;
  method: string;
  sizeDownload: number;
  sizeHeader: number;
  contentType?: string;
  remoteIP?: string;
  remotePort?: number;
  redirects: number;
  redirectUrl?: string;
  elapsedMs: number;
  exitCode: number;
  errorMessage?: string;
}

const seconds = (ms: number) => (ms / 1000).toFixed(6);

function variable(name: string, t: TransferInfo): string | undefined {
  switch (name) {
    case 'http_code': case 'response_code': return String(t.status).padStart(3, '0');
    case 'url_effective': case 'url': return t.urlEffective;
    case 'method': return t.method;
    case 'size_download': return String(t.sizeDownload);
    case 'size_header': return String(t.sizeHeader);
    case 'size_upload': case 'size_request': return '0';
    case 'content_type': return t.contentType ?? '';
    case 'remote_ip': return t.remoteIP ?? '';
    case 'remote_port': return t.remotePort === undefined ? '0' : String(t.remotePort);
    case 'num_redirects': return String(t.redirects);
    case 'redirect_url': return t.redirectUrl ?? '';
    case 'http_version': return t.status ? '1.1' : '0';
    case 'scheme': return /^https:/i.test(t.urlEffective) ? 'HTTPS' : 'HTTP';
    case 'exitcode': return String(t.exitCode);
    case 'errormsg': return t.errorMessage ?? '';
    case 'time_total': case 'time_starttransfer': case 'time_pretransfer': case 'time_connect': case 'time_appconnect':
      return seconds(t.elapsedMs);
    case 'time_namelookup': return seconds(0);
    case 'speed_download': return String(Math.round(t.sizeDownload / Math.max(t.elapsedMs / 1000, 0.001)));
    default: return undefined;
  }
}

/** the text -w prints, and curl's warning for each variable it does not know */
export function writeOut(format: string, t: TransferInfo): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  let text = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '%' && format[i + 1] === '%') { text += '%'; i++; continue; }
    if (c === '%' && format[i + 1] === '{') {
      const end = format.indexOf('}', i + 2);
      if (end > 0) {
        const name = format.slice(i + 2, end);
        const value = variable(name, t);
        if (value === undefined) warnings.push(`curl: unknown --write-out variable: '${name}'\n`);
        else text += value;
        i = end;
        continue;
      }
    }
    if (c === '\\' && i + 1 < format.length) {
      const e = format[i + 1];
      const escaped = e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : undefined;
      if (escaped !== undefined) { text += escaped; i++; continue; }
    }
    text += c;
  }
  return { text, warnings };
}
