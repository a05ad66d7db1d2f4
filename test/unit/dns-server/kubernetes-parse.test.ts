// Corefile snippets for the kubernetes plugin, each with the config or the error it must give
// (after CoreDNS's plugin/kubernetes/setup_test.go).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseKubernetes, type KubernetesConfig } from '../../../dns-server/plugins/kubernetes/parse.ts';
import { PluginError } from '../../../dns-server/core/plugin.ts';
import { directiveFrom } from '../../../dns-server/test-support/kube/handler-harness.ts';

const parse = (block: string, serverZones = ['.']): KubernetesConfig => parseKubernetes(directiveFrom(block), serverZones);

describe('kubernetes: valid Corefile blocks', () => {
  const cases: Array<{ name: string; block: string; serverZones?: string[]; expect: Partial<Omit<KubernetesConfig, 'namespaces'>> & { namespaces?: string[] } }> = [
    { name: 'kubeadm block', block: 'kubernetes cluster.local in-addr.arpa ip6.arpa {\n pods insecure\n fallthrough in-addr.arpa ip6.arpa\n ttl 30\n }',
      expect: { zones: ['cluster.local.', 'in-addr.arpa.', 'ip6.arpa.'], primaryZone: 'cluster.local.', pods: 'insecure', ttl: 30, fallthrough: ['in-addr.arpa.', 'ip6.arpa.'] } },
    { name: 'defaults', block: 'kubernetes cluster.local', expect: { pods: 'disabled', ttl: 5, noEndpoints: false, ignoreEmptyService: false, endpointPodNames: false, fallthrough: undefined, namespaces: [] } },
    { name: 'zones from the server block', block: 'kubernetes', serverZones: ['cluster.local.'], expect: { zones: ['cluster.local.'] } },
    { name: 'zone case and trailing dot normalised', block: 'kubernetes Cluster.Local.', expect: { zones: ['cluster.local.'] } },
    { name: '/13 CIDR becomes 8 reverse zones', block: 'kubernetes cluster.local 100.64.0.0/13', expect: { zones: ['cluster.local.', ...[64, 65, 66, 67, 68, 69, 70, 71].map((o) => `${o}.100.in-addr.arpa.`)] } },
    { name: '/24 CIDR', block: 'kubernetes cluster.local 10.0.0.0/24', expect: { zones: ['cluster.local.', '0.0.10.in-addr.arpa.'] } },
    { name: 'IPv6 /64 CIDR', block: 'kubernetes cluster.local fd00:10:96::/64', expect: { zones: ['cluster.local.', '0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa.'] } },
    { name: 'endpoint', block: 'kubernetes cluster.local {\n endpoint http://127.0.0.1:8080\n }', expect: { endpoint: 'http://127.0.0.1:8080' } },
    { name: 'kubeconfig with context', block: 'kubernetes cluster.local {\n kubeconfig /tmp/kc lab\n }', expect: { kubeconfig: { path: '/tmp/kc', context: 'lab' } } },
    { name: 'namespaces', block: 'kubernetes cluster.local {\n namespaces default kube-system\n }', expect: { namespaces: ['default', 'kube-system'] } },
    { name: 'pods verified', block: 'kubernetes cluster.local {\n pods verified\n }', expect: { pods: 'verified' } },
    { name: 'endpoint_pod_names, noendpoints, ignore empty_service', block: 'kubernetes cluster.local {\n endpoint_pod_names\n noendpoints\n ignore empty_service\n }', expect: { endpointPodNames: true, noEndpoints: true, ignoreEmptyService: true } },
    { name: 'fallthrough everywhere', block: 'kubernetes cluster.local {\n fallthrough\n }', expect: { fallthrough: [] } },
    { name: 'ttl 0 and 3600 are the bounds', block: 'kubernetes cluster.local {\n ttl 3600\n }', expect: { ttl: 3600 } },
    { name: 'ttl 0', block: 'kubernetes cluster.local {\n ttl 0\n }', expect: { ttl: 0 } },
    { name: 'startup_timeout', block: 'kubernetes cluster.local {\n startup_timeout 2s\n }', expect: { startupTimeoutMs: 2000 } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const cfg = parse(c.block, c.serverZones);
      const { namespaces, ...rest } = c.expect;
      for (const [k, v] of Object.entries(rest)) assert.deepEqual(cfg[k as keyof KubernetesConfig], v, k);
      if (namespaces) assert.deepEqual([...cfg.namespaces].sort(), namespaces.sort());
    });
  }
});

describe('kubernetes: Corefile errors name the line and the problem', () => {
  const cases: Array<{ name: string; block: string; error: RegExp }> = [
    { name: 'unknown property', block: 'kubernetes cluster.local {\n foo bar\n }', error: /^plugin\/kubernetes: Corefile:3 - Error during parsing: unknown property 'foo'$/ },
    { name: 'bad pods mode', block: 'kubernetes cluster.local {\n pods sometimes\n }', error: /Corefile:3 - Error during parsing: wrong value for pods: sometimes,  must be one of: disabled, verified, insecure/ },
    { name: 'pods without a mode', block: 'kubernetes cluster.local {\n pods\n }', error: /Wrong argument count or unexpected line ending after 'pods'/ },
    { name: 'ttl too big', block: 'kubernetes cluster.local {\n ttl 3601\n }', error: /ttl must be in range \[0, 3600\]: 3601/ },
    { name: 'ttl negative', block: 'kubernetes cluster.local {\n ttl -1\n }', error: /ttl must be in range \[0, 3600\]: -1/ },
    { name: 'ttl not a number', block: 'kubernetes cluster.local {\n ttl five\n }', error: /invalid syntax/ },
    { name: 'ignore something else', block: 'kubernetes cluster.local {\n ignore everything\n }', error: /unable to parse ignore value: 'everything'/ },
    { name: 'noendpoints takes no argument', block: 'kubernetes cluster.local {\n noendpoints yes\n }', error: /after 'noendpoints'/ },
    { name: 'namespaces needs names', block: 'kubernetes cluster.local {\n namespaces\n }', error: /after 'namespaces'/ },
    { name: 'endpoint must be a URL', block: 'kubernetes cluster.local {\n endpoint 127.0.0.1:8080\n }', error: /endpoint must be a URL/ },
    { name: 'kubeconfig with too many arguments', block: 'kubernetes cluster.local {\n kubeconfig a b c\n }', error: /after 'kubeconfig'/ },
    { name: 'only reverse zones', block: 'kubernetes in-addr.arpa', error: /non-reverse zone name must be used/ },
    { name: 'bad CIDR', block: 'kubernetes cluster.local 10.0.0.0/40', error: /not a valid zone or CIDR: '10.0.0.0\/40'/ },
    { name: 'endpoint and kubeconfig together', block: 'kubernetes cluster.local {\n endpoint http://a:1\n kubeconfig /x\n }', error: /either 'endpoint' or 'kubeconfig'/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(() => parse(c.block), (err: unknown) => {
        assert.ok(err instanceof PluginError);
        assert.equal(err.code, 'DNS_ERR_PLUGIN_SETUP');
        assert.match(err.message, c.error);
        return true;
      });
    });
  }
});
