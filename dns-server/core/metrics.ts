// CoreDNS's metric series (names, labels, buckets) in one prom-client Registry per server
// instance. The server imports this module (and so prom-client) only when the Corefile uses a
// plugin in METRIC_PLUGINS, and creates the registry at first use.
import { Registry, Counter, Histogram, Gauge } from 'prom-client';
import { COREDNS_VERSION } from '../version.ts';
export { typeLabel } from './metric-labels.ts';

const DURATION_BUCKETS = Array.from({ length: 17 }, (_v, i) => 0.00025 * 2 ** i);
const SIZE_BUCKETS = [0, 100, 200, 300, 400, 511, 1023, 2047, 4095, 8291, 16e3, 32e3, 48e3, 64e3];

export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<string>;
  readonly responses: Counter<string>;
  readonly duration: Histogram<string>;
  readonly requestSize: Histogram<string>;
  readonly responseSize: Histogram<string>;
  readonly doRequests: Counter<string>;
  readonly panics: Counter<string>;
  readonly pluginEnabled: Gauge<string>;
  readonly cacheEntries: Gauge<string>;
  readonly cacheRequests: Counter<string>;
  readonly cacheHits: Counter<string>;
  readonly cacheMisses: Counter<string>;
  readonly forwardDuration: Histogram<string>;
  readonly forwardHealthcheckBroken: Counter<string>;
  readonly forwardMaxConcurrentRejects: Counter<string>;
  readonly healthDuration: Histogram<string>;
  readonly healthFailures: Counter<string>;
  readonly reloadFailed: Counter<string>;
  readonly reloadVersion: Gauge<string>;

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'coredns_dns_requests_total', help: 'Counter of DNS requests made per zone, protocol and family.', labelNames: ['server', 'zone', 'view', 'proto', 'family', 'type'], registers });
    this.responses = new Counter({ name: 'coredns_dns_responses_total', help: 'Counter of response status codes.', labelNames: ['server', 'zone', 'view', 'rcode', 'plugin'], registers });
    this.duration = new Histogram({ name: 'coredns_dns_request_duration_seconds', help: 'Histogram of the time (in seconds) each request took per zone.', labelNames: ['server', 'zone', 'view'], buckets: DURATION_BUCKETS, registers });
    this.requestSize = new Histogram({ name: 'coredns_dns_request_size_bytes', help: 'Size of the EDNS0 UDP buffer in bytes (64K for TCP) per zone and protocol.', labelNames: ['server', 'zone', 'view', 'proto'], buckets: SIZE_BUCKETS, registers });
    this.responseSize = new Histogram({ name: 'coredns_dns_response_size_bytes', help: 'Size of the returned response in bytes.', labelNames: ['server', 'zone', 'view', 'proto'], buckets: SIZE_BUCKETS, registers });
    this.doRequests = new Counter({ name: 'coredns_dns_do_requests_total', help: 'Counter of DNS requests with DO bit set per zone.', labelNames: ['server', 'zone', 'view'], registers });
    this.panics = new Counter({ name: 'coredns_panics_total', help: 'A metrics that counts the number of panics.', registers });
    this.pluginEnabled = new Gauge({ name: 'coredns_plugin_enabled', help: 'A metric that indicates whether a plugin is enabled on per server and zone basis.', labelNames: ['server', 'zone', 'view', 'name'], registers });
    this.cacheEntries = new Gauge({ name: 'coredns_cache_entries', help: 'The number of elements in the cache.', labelNames: ['server', 'type', 'zones', 'view'], registers });
    this.cacheRequests = new Counter({ name: 'coredns_cache_requests_total', help: 'The count of cache requests.', labelNames: ['server', 'zones', 'view'], registers });
    this.cacheHits = new Counter({ name: 'coredns_cache_hits_total', help: 'The count of cache hits.', labelNames: ['server', 'type', 'zones', 'view'], registers });
    this.cacheMisses = new Counter({ name: 'coredns_cache_misses_total', help: 'The count of cache misses. Deprecated, derive misses from cache hits/requests counters.', labelNames: ['server', 'zones', 'view'], registers });
    this.forwardDuration = new Histogram({ name: 'coredns_proxy_request_duration_seconds', help: 'Histogram of the time each request took.', labelNames: ['proxy_name', 'to', 'rcode'], buckets: DURATION_BUCKETS, registers });
    this.forwardHealthcheckBroken = new Counter({ name: 'coredns_forward_healthcheck_broken_total', help: 'Counter of the number of complete failures of the healthchecks.', registers });
    this.forwardMaxConcurrentRejects = new Counter({ name: 'coredns_forward_max_concurrent_rejects_total', help: 'Counter of the number of queries rejected because the concurrent queries were at maximum.', registers });
    this.healthDuration = new Histogram({ name: 'coredns_health_request_duration_seconds', help: 'Histogram of the time (in seconds) each request took.', buckets: [0.00025, 0.0025, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 2, 5, 10], registers });
    this.healthFailures = new Counter({ name: 'coredns_health_request_failures_total', help: 'The number of times the health check failed.', registers });
    this.reloadFailed = new Counter({ name: 'coredns_reload_failed_total', help: 'Counter of the number of failed reload attempts.', registers });
    this.reloadVersion = new Gauge({ name: 'coredns_reload_version_info', help: 'A metric with a constant \'1\' value labeled by hash, and value which type of hash generated.', labelNames: ['hash', 'value'], registers });
    const build = new Gauge({ name: 'coredns_build_info', help: 'A metric with a constant \'1\' value labeled by version, revision, and goversion from which CoreDNS was built.', labelNames: ['version', 'revision', 'goversion'], registers });
    build.set({ version: COREDNS_VERSION, revision: 'coredns-lab', goversion: `node${process.versions.node}` }, 1);
  }
}
