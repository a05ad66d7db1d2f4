// Each plugin's Corefile options: snippets paired with the error CoreDNS-style setup gives
// (file, line, plugin, problem), and snippets that must load.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startDnsServer, CorefileError } from '../../../dns-server/index.ts';

const block = (body: string) => `.:0 {\n${body}\n}\n`;

describe('plugin setup errors name file, line and problem', () => {
  const rows: Array<[string, string, string]> = [
    ['forward without upstream', '  forward .', "Corefile:2 - Error during parsing: plugin/forward: Wrong argument count or unexpected line ending after 'forward'; write \"forward FROM TO...\" e.g. \"forward . 8.8.8.8\""],
    ['forward to a non-address', '  forward . not-an-ip', 'Corefile:2 - Error during parsing: plugin/forward: not an IP address or file: "not-an-ip"'],
    ['forward unknown option', '  forward . 127.0.0.1 {\n    bogus 1\n  }', "Corefile:3 - Error during parsing: plugin/forward: unknown property 'bogus'"],
    ['forward bad policy', '  forward . 127.0.0.1 {\n    policy fastest\n  }', "Corefile:3 - Error during parsing: plugin/forward: unknown policy 'fastest'; use random, round_robin or sequential"],
    ['forward tls', '  forward . tls://1.1.1.1', 'Corefile:2 - Error during parsing: plugin/forward: tls:// upstreams are not supported by this server; use dns://IP[:PORT] or a plain IP'],
    ['forward bad max_fails', '  forward . 127.0.0.1 {\n    max_fails -1\n  }', 'Corefile:3 - Error during parsing: plugin/forward: max_fails must be a non-negative integer, got "-1"'],
    ['proxy bad protocol', '  proxy . 127.0.0.1 {\n    protocol https_google\n  }', 'Corefile:3 - Error during parsing: plugin/proxy: protocol "https_google" is not supported; only "protocol dns"'],
    ['cache bad property', '  cache 30 {\n    prefetch_all\n  }', 'Corefile:3 - Error during parsing: plugin/cache: unknown property "prefetch_all"; use success, denial, prefetch, serve_stale, servfail, disable or keepttl'],
    ['cache bad capacity', '  cache {\n    success 0\n  }', 'Corefile:3 - Error during parsing: plugin/cache: success capacity must be an integer from 1 to 10000000, got "0"'],
    ['log to a file', '  log /var/log/dns.log', 'Corefile:2 - Error during parsing: plugin/log: writing to a file ("/var/log/dns.log") is not supported; CoreDNS logs to standard output only, remove "/var/log/dns.log"'],
    ['log bad class', '  log {\n    class weird\n  }', 'Corefile:3 - Error during parsing: plugin/log: invalid class "weird"; use success, denial, error or all'],
    ['health bad lameduck', '  health {\n    lameduck soon\n  }', 'Corefile:3 - Error during parsing: plugin/health: lameduck needs one duration such as 5s, got "soon"'],
    ['health bad port', '  health :http', 'Corefile:2 - Error during parsing: plugin/health: invalid port "http" in address ":http"; ports are numbers from 0 to 65535'],
    ['ready extra args', '  ready :8181 :8182', 'Corefile:2 - Error during parsing: plugin/ready: takes at most one address, got ":8181 :8182"; write e.g. "ready :8181"'],
    ['prometheus no port', '  prometheus localhost', 'Corefile:2 - Error during parsing: plugin/prometheus: address "localhost" has no port; write HOST:PORT or :PORT, e.g. :8080'],
    ['hosts bad ttl', '  hosts {\n    ttl forever\n  }', `Corefile:3 - Error during parsing: plugin/hosts: ttl must be a number of seconds from 1 to ${2 ** 31 - 1}, got "forever"`],
    ['hosts inline without name', '  hosts {\n    10.0.0.1\n  }', 'Corefile:3 - Error during parsing: plugin/hosts: inline entry "10.0.0.1" has no host name; write "IP NAME..."'],
    ['errors bad consolidate', '  errors {\n    consolidate 5m\n  }', 'Corefile:3 - Error during parsing: plugin/errors: consolidate needs DURATION REGEXP [LEVEL] [show_first], got "5m"'],
    ['loop with args', '  loop now', 'Corefile:2 - Error during parsing: plugin/loop: takes no arguments; write just "loop"'],
    ['loadbalance unknown policy', '  loadbalance weighted', 'Corefile:2 - Error during parsing: plugin/loadbalance: unknown policy "weighted"; the only policy is round_robin'],
    ['reload jitter too big', '  reload 4s 3s', 'Corefile:2 - Error during parsing: plugin/reload: jitter value must be smaller than half the interval, got 3s'],
    ['whoami with args', '  whoami me', 'Corefile:2 - Error during parsing: plugin/whoami: takes no arguments (got "me"); write just "whoami"'],
  ];
  for (const [name, body, message] of rows) {
    test(name, async () => {
      await assert.rejects(startDnsServer({ corefile: block(body), log: () => {} }), (err: unknown) => {
        assert.ok(err instanceof CorefileError, String(err));
        assert.equal(err.message, message);
        return true;
      });
    });
  }
});

describe('snippets that load', () => {
  const rows: Array<[string, string]> = [
    ['the kubeadm operational plugins', '  errors\n  health {\n    lameduck 5s\n  }\n  ready 127.0.0.1:0\n  prometheus 127.0.0.1:0\n  forward . 127.0.0.1:9 {\n    max_concurrent 1000\n  }\n  cache 30 {\n    disable success cluster.local\n    disable denial cluster.local\n  }\n  loop\n  reload\n  loadbalance'],
    ['the 2017 chapter style', '  errors\n  log stdout\n  health\n  proxy . 127.0.0.1:9\n  cache 30'],
    ['cache with zones and classes', '  cache 300 example.org {\n    success 5000 600 10\n    denial 2500 60\n    prefetch 10 1m 10%\n    serve_stale\n  }'],
    ['errors with consolidate', '  errors {\n    consolidate 5m ".* i/o timeout$" warning show_first\n  }'],
    ['forward with every option', '  forward . dns://127.0.0.1:9 [::1]:9 {\n    except example.org\n    force_tcp\n    expire 5s\n    max_fails 3\n    policy round_robin\n    health_check 1s no_rec domain example.com\n    max_concurrent 10\n  }'],
    ['any and whoami', '  any\n  whoami'],
  ];
  for (const [name, body] of rows)
    test(name, async () => {
      const h = await startDnsServer({ corefile: block(body).replace('health {', 'health 127.0.0.1:0 {').replace('  health\n', '  health 127.0.0.1:0\n'), log: () => {} });
      try {
        assert.ok(h.addresses().some((a) => a.kind === 'dns'));
      } finally {
        await h.stop();
      }
    });
});
