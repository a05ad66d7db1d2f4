// The start-up lines in CoreDNS 1.11's order: caddy lists each server's zones (sorted, with
// core/dnsserver's RFC 1035 warning), then InstanceStartupEvent (reload's SHA512 line), then
// coremain's showVersion. A reload lists no zones (caddy runs OnStartupComplete only on a fresh start).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startDnsServer } from '../../../dns-server/index.ts';

describe('start banner', () => {
  test('zones sorted per server, a warning for a non-RFC 1035 zone, then the SHA512, then the version', async () => {
    const lines: string[] = [];
    const corefile = [
      'example.org. 10.0.0.0/15 {\n    whoami\n}',
      '_sip.example.net {\n    whoami\n}',
      '. {\n    reload\n    whoami\n}',
    ].join('\n');
    const h = await startDnsServer({ corefile, dnsPort: 0, log: (l) => lines.push(l) });
    try {
      const sha = createHash('sha512').update(corefile).digest('hex');
      assert.deepEqual(lines.slice(0, 8), [
        '.:0',
        '0.10.in-addr.arpa.:0',
        '1.10.in-addr.arpa.:0',
        'Warning: Domain "_sip.example.net." does not follow RFC1035 preferred syntax',
        '_sip.example.net.:0',
        'example.org.:0',
        `[INFO] plugin/reload: Running configuration SHA512 = ${sha}`,
        'CoreDNS-1.11.3',
      ]);
      assert.match(lines[8]!, /^linux\/amd64, node\d+/);
      lines.length = 0;
      await h.reload();
      assert.deepEqual(lines, [`[INFO] plugin/reload: Running configuration SHA512 = ${sha}`]);
    } finally {
      await h.stop();
    }
  });
});
