import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCorefile } from '../../../dns-server/corefile/parse.ts';
import { CorefileError } from '../../../dns-server/errors.ts';
import { isKnownPlugin } from '../../../dns-server/plugins/order.ts';

const parse = (text: string, env: Record<string, string> = {}, file = 'Corefile') => parseCorefile(text, { file, env, isKnownPlugin, defaultPort: 53 });

describe('Corefile structure', () => {
  test('kubeadm Corefile: one block, directives with args and blocks', () => {
    const [b, ...rest] = parse(`.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}`);
    assert.equal(rest.length, 0);
    assert.deepEqual(b!.keys, [{ text: '.:53', zone: '.', port: 53 }]);
    assert.deepEqual(b!.directives.map((d) => d.name), ['errors', 'health', 'ready', 'kubernetes', 'prometheus', 'forward', 'cache', 'loop', 'reload', 'loadbalance']);
    const k = b!.directives[3]!;
    assert.deepEqual(k.args, ['cluster.local', 'in-addr.arpa', 'ip6.arpa']);
    assert.deepEqual(k.block, [
      { name: 'pods', args: ['insecure'], line: 8 },
      { name: 'fallthrough', args: ['in-addr.arpa', 'ip6.arpa'], line: 9 },
      { name: 'ttl', args: ['30'], line: 10 },
    ]);
    assert.equal(k.line, 7);
    assert.equal(k.file, 'Corefile');
  });

  const keyRows: Array<[string, string, number]> = [
    ['.:53', '.', 53],
    ['.', '.', 53],
    ['cluster.local:53', 'cluster.local.', 53],
    ['dns://.:1053', '.', 1053],
    ['Example.ORG', 'example.org.', 53],
    ['10.0.0.0/8', '10.in-addr.arpa.', 53],
    ['100.64.0.0/16:53', '64.100.in-addr.arpa.', 53],
    ['fd00::/8', 'd.f.ip6.arpa.', 53],
  ];
  for (const [key, zone, port] of keyRows)
    test(`server key ${key} -> ${zone}:${port}`, () => {
      const [b] = parse(`${key} {\n whoami\n}`);
      assert.equal(b!.keys[0]!.zone, zone);
      assert.equal(b!.keys[0]!.port, port);
    });

  // CoreDNS's plugin/pkg/cidr/cidr_test.go table: a classless CIDR key splits into one zone per
  // label-aligned subnet (plugin.SplitHostPort, CoreDNS 1.8.4 and later), host bits ignored
  const classless: Array<[string, string[]]> = [
    ['10.0.0.0/15', ['0.10.in-addr.arpa.', '1.10.in-addr.arpa.']],
    ['10.0.0.0/16', ['0.10.in-addr.arpa.']],
    ['192.168.1.1/23', ['0.168.192.in-addr.arpa.', '1.168.192.in-addr.arpa.']],
    ['10.129.60.0/22', ['60.129.10.in-addr.arpa.', '61.129.10.in-addr.arpa.', '62.129.10.in-addr.arpa.', '63.129.10.in-addr.arpa.']],
    ['2001:db8::/31', ['8.b.d.0.1.0.0.2.ip6.arpa.', '9.b.d.0.1.0.0.2.ip6.arpa.']],
    ['100.64.0.0/13:1053', [64, 65, 66, 67, 68, 69, 70, 71].map((o) => `${o}.100.in-addr.arpa.`)],
  ];
  for (const [key, zones] of classless)
    test(`classless server key ${key} -> ${zones.length} zones`, () => {
      const [b] = parse(`${key} {\n whoami\n}`);
      assert.deepEqual(b!.keys.map((k) => k.zone), zones);
      assert.ok(b!.keys.every((k) => k.text === key && k.port === (key.endsWith(':1053') ? 1053 : 53)));
    });

  test('a CIDR CoreDNS refuses is a Corefile error naming the key', () => {
    assert.throws(() => parse('10.0.0.0/33 {\n whoami\n}'), (e: unknown) => e instanceof CorefileError && /Corefile:1 - Error during parsing: "10\.0\.0\.0\/33" is not a valid CIDR/.test(e.message));
  });

  test('several keys and blocks; -dns.port applies to keys without a port', () => {
    const blocks = parseCorefile('cluster.local example.org:1054 {\n whoami\n}\n. {\n whoami\n}', { file: 'Corefile', env: {}, isKnownPlugin, defaultPort: 1053 });
    assert.deepEqual(blocks.map((b) => b.keys.map((k) => `${k.zone}:${k.port}`)), [['cluster.local.:1053', 'example.org.:1054'], ['.:1053']]);
  });

  test('comments, quotes and environment variables', () => {
    const [b] = parse(`# top comment
{$ZONE}:53 { # trailing comment
  hosts "/etc/my hosts" {$ZONE} {
    ttl {$TTL}
  }
  log {%FMT%}
}`, { ZONE: 'example.org', TTL: '60', FMT: '{combined}' });
    assert.equal(b!.keys[0]!.zone, 'example.org.');
    assert.deepEqual(b!.directives[0]!.args, ['/etc/my hosts', 'example.org']);
    assert.deepEqual(b!.directives[0]!.block[0], { name: 'ttl', args: ['60'], line: 4 });
    assert.deepEqual(b!.directives[1]!.args, ['{combined}']);
  });

  test('snippets are imported where named', () => {
    const [b] = parse(`(common) {
  errors
  log
}
.:53 {
  import common
  whoami
}`);
    assert.deepEqual(b!.directives.map((d) => d.name), ['errors', 'log', 'whoami']);
  });

  test('files and globs are imported relative to the Corefile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corefile-'));
    try {
      mkdirSync(join(dir, 'conf.d'));
      writeFileSync(join(dir, 'conf.d', 'a.server'), 'a.example:53 {\n whoami\n}\n');
      writeFileSync(join(dir, 'conf.d', 'b.server'), 'b.example:53 {\n  import ../plugins.inc\n}\n');
      writeFileSync(join(dir, 'plugins.inc'), 'errors\nlog\n');
      const blocks = parse('import conf.d/*.server\n', {}, join(dir, 'Corefile'));
      assert.deepEqual(blocks.map((b) => b.keys[0]!.zone), ['a.example.', 'b.example.']);
      assert.deepEqual(blocks[1]!.directives.map((d) => [d.name, d.line, d.file.endsWith('plugins.inc')]), [['errors', 1, true], ['log', 2, true]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Corefile errors name file, line and problem like CoreDNS', () => {
  const rows: Array<{ name: string; text: string; message: string | RegExp }> = [
    { name: 'unknown directive', text: '.:53 {\n  errors\n  foo bar\n}', message: "Corefile:3 - Error during parsing: Unknown directive 'foo'" },
    { name: 'unclosed server block', text: '.:53 {\n  errors\n', message: /^Corefile:1 - Error during parsing: Unexpected EOF/ },
    { name: 'unclosed plugin block', text: '.:53 {\n  health {\n   lameduck 5s\n', message: /^Corefile:2 - Error during parsing: Unexpected EOF: the block of 'health'/ },
    { name: 'missing brace after key', text: '.:53\nerrors\n', message: /^Corefile:2 - Error during parsing: Expected '\{'/ },
    { name: 'bad port', text: '.:99999 {\n whoami\n}', message: /^Corefile:1 - Error during parsing: invalid port "99999"/ },
    { name: 'unsupported scheme', text: 'tls://.:853 {\n whoami\n}', message: /^Corefile:1 - Error during parsing: scheme tls:\/\/ is not supported/ },
    { name: 'same zone twice on one port', text: '.:53 {\n whoami\n}\n.:53 {\n whoami\n}', message: 'Corefile:4 - Error during parsing: cannot serve dns://.:53 - it is already defined' },
    { name: 'import of a missing file', text: '.:53 {\n  import nothing-here.conf\n}', message: /^Corefile:2 - Error during parsing: File to import not found/ },
    { name: 'self-importing snippet', text: '(a) {\n import a\n}\n.:53 {\n import a\n}', message: /Import depth exceeded/ },
    { name: 'unterminated quote', text: '.:53 {\n hosts "abc\n}', message: /^Corefile:2 - Error during parsing: Unterminated quoted string/ },
    { name: 'stray closing brace', text: '}\n', message: /^Corefile:1 - Error during parsing: Unexpected '}'/ },
  ];
  for (const r of rows)
    test(r.name, () => {
      assert.throws(() => parse(r.text), (err: unknown) => {
        assert.ok(err instanceof CorefileError, `expected CorefileError, got ${err}`);
        assert.equal(err.code, 'DNS_ERR_COREFILE');
        if (typeof r.message === 'string') assert.equal(err.message, r.message);
        else assert.match(err.message, r.message);
        return true;
      });
    });
});
