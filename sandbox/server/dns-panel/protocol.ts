// The DNS panel's wire shapes: what GET /api/dns/events sends as server-sent events. Types only
// (the page imports this file with `import type`), so nothing of the server reaches the browser.

/** which DNS pod wrote a log line */
export interface DnsServerRef {
  namespace: string;
  pod: string;
  container: string;
}

/** one query, as a DNS server's log line tells it; null where the line does not say */
export interface DnsQuery {
  /** the kubelet's timestamp of the line (RFC 3339), or when the lab read it if the API gave none */
  at: string;
  server: DnsServerRef;
  clientIp: string;
  clientPort: number | null;
  /** the client pod, from the API (pod IP); null for host-network clients and the host's own tools */
  client: { namespace: string; name: string } | null;
  id: number | null;
  type: string;
  name: string;
  proto: 'udp' | 'tcp' | null;
  rcode: string | null;
  flags: string[] | null;
  durationMs: number | null;
  /** the line as the server logged it */
  line: string;
}

/** the queries of one lookup: one client, close in time, the search-list expansions of one name */
export interface DnsLookup {
  id: number;
  clientIp: string;
  client: { namespace: string; name: string } | null;
  /** the name the client looked up: what every forward query of the group starts with; null while only PTRs came */
  name: string | null;
  /** the first forward query that was answered NOERROR, or null (every expansion failed) */
  answeredBy: { name: string; type: string } | null;
  queries: DnsQuery[];
}

export interface DnsPanelPod {
  namespace: string;
  name: string;
  ip: string | null;
  phase: string;
  ready: boolean;
  labels: Record<string, string>;
  /** images of its containers, for the picture's caption */
  images: string[];
  /** an endpoint of the Service (EndpointSlices, or Endpoints when there are none) */
  endpoint: boolean;
  /** a query line has come from this pod since the panel started following it */
  loggedQueries: boolean;
}

/** the kube-dns Service and the pods that serve it, or that could (labelled as DNS servers) */
export interface DnsTopology {
  service: { namespace: string; name: string; clusterIP: string | null; selector: Record<string, string>; ports: string[] } | null;
  pods: DnsPanelPod[];
}

/** event `state`: where the panel's data comes from, or why there is none */
export interface DnsPanelState {
  state: 'following' | 'waiting' | 'error';
  message: string;
}

/** the server-sent events of GET /api/dns/events, by event name */
export interface DnsPanelEvents {
  state: DnsPanelState;
  topology: DnsTopology;
  /** a new or grown lookup (the page replaces the one with the same id) */
  lookup: DnsLookup;
}

export const DNS_EVENTS_PATH = '/api/dns/events';
