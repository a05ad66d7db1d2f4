// curl's -w format (docs/cmdline-opts/write-out.md), one row per rule.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeOut, type TransferInfo } from '../../../sandbox/cluster/runtimes/tools/curl-write-out.ts';

const ok: TransferInfo = { status: 200, urlEffective: 'http://web/', method: 'GET', sizeDownload: 615, sizeHeader: 238, contentType: 'text/html',
  remoteIP: '100.66.16.245', remotePort: 80, redirects: 0, elapsedMs: 4, exitCode: 0 };

const ROWS: Array<{ name: string; format: string; info?: Partial<TransferInfo>; text: string; warnings?: string[] }> = [
  { name: 'http_code with \\n', format: '%{http_code}\\n', text: '200\n' },
  { name: 'no response is 000', format: '%{http_code}', info: { status: 0 }, text: '000' },
  { name: 'several variables and plain text', format: 'code=%{response_code} ip=%{remote_ip}:%{remote_port} %{size_download}B %{url_effective}',
    text: 'code=200 ip=100.66.16.245:80 615B http://web/' },
  { name: '%% is a percent sign, \\t a tab', format: '100%%\\t%{method}', text: '100%\tGET' },
  { name: 'time_total in seconds with six decimals', format: '%{time_total}', text: '0.004000' },
  { name: 'an unknown variable prints nothing, with a warning', format: '[%{nope}]', text: '[]', warnings: ["curl: unknown --write-out variable: 'nope'\n"] },
];

describe('curl -w', () => {
  for (const r of ROWS) {
    test(r.name, () => {
      const out = writeOut(r.format, { ...ok, ...r.info });
      assert.equal(out.text, r.text);
      assert.deepEqual(out.warnings, r.warnings ?? []);
    });
  }
});
