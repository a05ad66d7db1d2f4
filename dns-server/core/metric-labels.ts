// Label helpers for CoreDNS's metric series, apart from metrics.ts so that using them does not
// load prom-client.

/** qtypes CoreDNS keeps as their own label value; everything else is "other" */
const MONITORED_TYPES = new Set(['A', 'AAAA', 'MX', 'SOA', 'CNAME', 'PTR', 'TXT', 'NS', 'SRV', 'DS', 'DNSKEY', 'RRSIG', 'NSEC', 'NSEC3', 'HTTPS', 'IXFR', 'AXFR', 'ANY']);
export const typeLabel = (t: string): string => (MONITORED_TYPES.has(t) ? t : 'other');

/**
 * Plugins that record into the metrics registry (shared.metrics()). The server loads prom-client
 * only when a Corefile uses one of them, so a server without them never pays for it.
 */
export const METRIC_PLUGINS: ReadonlySet<string> = new Set(['prometheus', 'cache', 'health', 'reload', 'forward', 'proxy']);
