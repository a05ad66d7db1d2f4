// The one handler contract every plugin follows (after CoreDNS's plugin/plugin.go).
// A plugin either writes a response and returns its rcode, or calls next() and returns
// what the rest of the chain returned. Written once here; every plugin folder imports it.
import type { Packet, Answer } from 'dns-packet';
import type { FileHooks } from './files.ts';

import { Rcode } from '../wire/constants.ts';

export { Rcode };

/** A decoded DNS message. dns-packet ignores `rcode` on encode: OR it into `flags`. */
export type DnsMessage = Packet;
export type DnsRecord = Answer;

export interface ClientInfo {
  /** the client's address as logs and `pods verified` must see it (after any sandbox mapping) */
  address: string;
  port: number;
  transport: 'udp' | 'tcp';
}

export interface DnsRequest {
  msg: DnsMessage;
  /** the question name, lower-cased, with a trailing dot: "kubernetes.default.svc.cluster.local." */
  qname: string;
  /** the question name as the client spelled it (for case-preserving answers) */
  qnameOriginal: string;
  /** "A", "AAAA", "SRV", ... as dns-packet spells types */
  qtype: string;
  qclass: string;
  client: ClientInfo;
  /** size in bytes of the query on the wire */
  size: number;
  /** EDNS0 UDP buffer size the client advertised, or 512 without EDNS0 */
  bufSize: number;
  /** EDNS0 DO bit */
  do: boolean;
  /** the server block's zone that matched this query, e.g. "." or "cluster.local." */
  zone: string;
  /** monotonic start time, for durations in log lines and metrics */
  startNs: bigint;
}

export interface ResponseWriter {
  /** send the response (once); later calls are ignored */
  write(msg: DnsMessage): void;
  /** the response written so far, if any (log, cache and metrics read it after next()) */
  readonly response: DnsMessage | undefined;
}

export type Next = (req: DnsRequest, w: ResponseWriter) => Promise<Rcode>;

export interface Handler {
  /** the plugin's Corefile name, e.g. "kubernetes" */
  readonly name: string;
  serveDNS(req: DnsRequest, w: ResponseWriter, next: Next): Promise<Rcode>;
  /** called once the server is listening; start informers, timers, listeners here */
  start?(): Promise<void>;
  /** caddy's InstanceStartupEvent: the instance serves (after the zone lines at startup, after the old instance stopped on reload) */
  instanceStarted?(): void;
  /** stop timers, sockets and watches; the server is shutting down or reloading */
  stop?(): Promise<void>;
  /** for the ready plugin: true once this plugin can answer (kubernetes: after first sync) */
  ready?(): boolean;
}

/**
 * What a plugin's setup receives besides its own Corefile lines. The server owns these;
 * plugins never reach into each other except through this context.
 */
export interface PluginContext {
  /** the server block's zones, e.g. ["cluster.local.", "in-addr.arpa.", "ip6.arpa."] */
  zones: string[];
  port: number;
  /** where log-style output goes (stdout of the process, or the pod's log in the sandbox) */
  log(line: string): void;
  /**
   * Plugins whose answers depend on outside data (kubernetes, hosts, reload) call this
   * whenever that data changes, so the server's answer cache never serves stale bytes.
   */
  dataChanged(): void;
  /** options the embedding program supplies (kubeconfig path, listen-address mapping ...) */
  env: Record<string, string | undefined>;
  hooks: ServerHooks;
}

/** Ways an embedding program (the sandbox) adapts the server without patching plugins. */
export interface ServerHooks {
  /** where to really listen for an address the Corefile asks for, e.g. ":53" -> 127.0.0.1:40123 */
  mapListen?(kind: 'dns' | 'health' | 'ready' | 'metrics', host: string, port: number): { host: string; port: number };
  /** who really sent a packet (the sandbox maps loopback source ports back to pod IPs) */
  mapClient?(address: string, port: number, transport: 'udp' | 'tcp'): { address: string; port: number };
  /** kubeconfig path for the kubernetes plugin when it has no `kubeconfig` or `endpoint` option */
  kubeconfig?: string;
  /** every file the server reads (default: the real filesystem, core/files.ts) */
  files?: FileHooks;
  /**
   * where a packet or connection the server sends to host:port really goes (forward's upstreams,
   * the kubernetes plugin's API server); 'unreachable' drops it as a blackholed address would:
   * nothing is sent and the sender times out. Default: host:port itself.
   */
  mapUpstream?(host: string, port: number, transport: 'udp' | 'tcp'): { host: string; port: number } | 'unreachable';
  /**
   * the reply as it leaves the server, whole (header to OPT), for an embedder that stands in for
   * another server with this one and patches its wire details; returns the bytes to send.
   * Absent (as for CoreDNS itself): replies go out untouched, on the fast path.
   */
  mapReply?(reply: Buffer): Buffer;
  /**
   * compress the names of every reply (before mapReply sees it), for an embedder standing in for
   * a server that always did (kube-dns behind dnsmasq). Absent (as for CoreDNS itself, which
   * compresses only a reply that would not fit, request.Scrub): replies go out as assembled.
   */
  compressAll?: boolean;
}

export class PluginError extends Error {
  readonly code = 'DNS_ERR_PLUGIN_SETUP';
  constructor(plugin: string, message: string, readonly file?: string, readonly line?: number) {
    super(`plugin/${plugin}: ${message}`);
    this.name = 'PluginError';
  }
}

/** One directive of a server block as the Corefile parser hands it to a plugin's setup. */
export interface Directive {
  /** plugin name, e.g. "kubernetes" */
  name: string;
  /** arguments after the name on its line, environment variables already expanded */
  args: string[];
  /** the lines of its { } block, each a name and its arguments */
  block: Array<{ name: string; args: string[]; line: number }>;
  file: string;
  line: number;
}

/**
 * What each plugin folder's index.ts exports as `plugin`. setup parses (throwing PluginError with
 * the Corefile line) and returns the handler; it must not open sockets (start() does that).
 */
export interface PluginDefinition {
  name: string;
  setup(directive: Directive, ctx: PluginContext): Handler;
}
