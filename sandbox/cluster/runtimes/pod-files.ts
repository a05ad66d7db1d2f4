// What a container sees in its filesystem: the files the kubelet writes into every pod
// (/etc/resolv.conf, /etc/hosts, /etc/hostname), the ConfigMap volumes it mounts, and a few
// files of the image. Read at the moment of the call, as a kubelet-synced volume would be.
import type { ClusterStore } from '../contracts.ts';
import type { ContainerSpec, PodView } from './pod-spec.ts';

export interface DnsSettings {
  clusterDomain: string;
  /** the ClusterIP of kube-system/kube-dns, read when the file is read (it can change) */
  dnsVIP(): string | undefined;
  /** what the node's own resolv.conf says (dnsPolicy Default and the tail of the search list) */
  nodeResolvConf(pod: PodView): { nameservers: string[]; searches: string[] };
}

/** the node's domain from its name: ip-172-20-84-184.us-west-1.compute.internal -> us-west-1.compute.internal */
export function nodeDomain(nodeName: string | undefined): string | undefined {
  if (!nodeName) return undefined;
  const i = nodeName.indexOf('.');
  return i > 0 ? nodeName.slice(i + 1) : undefined;
}

/** the kubelet's resolv.conf for a pod, in the docker runtime's order (nameserver, search, options) */
export function resolvConf(pod: PodView, dns: DnsSettings): string {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  const node = dns.nodeResolvConf(pod);
  let nameservers: string[];
  let searches: string[];
  let options: string[] = [];
  // hostNetwork pods with ClusterFirst fall back to the node's settings, as the kubelet does
  const clusterFirst = (policy === 'ClusterFirst' && !pod.spec.hostNetwork) || policy === 'ClusterFirstWithHostNet';
  const vip = dns.dnsVIP();
  if (clusterFirst && vip) {
    const d = dns.clusterDomain;
    nameservers = [vip];
    searches = [`${pod.namespace}.svc.${d}`, `svc.${d}`, d, ...node.searches];
    options = ['ndots:5'];
  } else if (policy === 'None') {
    nameservers = [];
    searches = [];
  } else {
    nameservers = node.nameservers;
    searches = node.searches;
  }
  const cfg = pod.spec.dnsConfig;
  if (cfg) {
    nameservers = [...nameservers, ...(cfg.nameservers ?? [])];
    searches = [...searches, ...(cfg.searches ?? [])];
    for (const o of cfg.options ?? []) {
      options = options.filter((x) => x.split(':')[0] !== o.name);
      options.push(o.value !== undefined ? `${o.name}:${o.value}` : o.name);
    }
  }
  const lines = nameservers.slice(0, 3).map((n) => `nameserver ${n}`);
  if (searches.length) lines.push(`search ${searches.slice(0, 6).join(' ')}`);
  if (options.length) lines.push(`options ${options.join(' ')}`);
  return lines.join('\n') + '\n';
}

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  ndots: number;
  /** `options timeout:N`, in ms, when given */
  timeoutMs?: number;
  /** `options attempts:N`, when given */
  attempts?: number;
}

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], searches: [], ndots: 1 };
  for (const raw of text.split('\n')) {
    const [kw, ...rest] = raw.trim().split(/\s+/);
    if (kw === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (kw === 'search' || kw === 'domain') out.searches = rest;
    else if (kw === 'options') {
      for (const o of rest) {
        const m = /^(ndots|timeout|attempts):(\d+)$/.exec(o);
        if (!m) continue;
        const n = Number(m[2]);
        // the limits glibc and uClibc apply
        if (m[1] === 'ndots') out.ndots = Math.min(n, 15);
        else if (m[1] === 'timeout') out.timeoutMs = Math.min(Math.max(n, 1), 30) * 1000;
        else out.attempts = Math.min(Math.max(n, 1), 5);
      }
    }
  }
  return out;
}

export function hostsFile(pod: PodView, clusterDomain: string): string {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const hostname = pod.spec.hostname ?? pod.name;
  if (pod.podIP && !pod.spec.hostNetwork) {
    lines.push(pod.spec.subdomain
      ? `${pod.podIP}\t${hostname}.${pod.spec.subdomain}.${pod.namespace}.svc.${clusterDomain}\t${hostname}`
      : `${pod.podIP}\t${hostname}`);
  }
  if (pod.spec.hostAliases?.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of pod.spec.hostAliases) lines.push(`${a.ip}\t${a.hostnames.join('\t')}`);
  }
  return lines.join('\n') + '\n';
}

const IMAGE_FILES: Record<string, string> = {
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
  '/etc/group': 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwheel:x:10:root\nmail:x:8:\nwww-data:x:33:\nnogroup:x:65534:\n',
};

const IMAGE_DIRS: Record<string, string[]> = {
  '/': ['bin', 'dev', 'etc', 'home', 'proc', 'root', 'sys', 'tmp', 'usr', 'var'],
  '/bin': [],
  '/dev': [],
  '/home': [],
  '/proc': [],
  '/root': [],
  '/sys': [],
  '/tmp': [],
  '/usr': ['sbin'],
  '/usr/sbin': [],
  '/var': ['spool', 'www'],
  '/var/spool': ['mail'],
  '/var/spool/mail': [],
  '/var/www': [],
};

export function normalizePath(path: string, cwd = '/'): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

export class PodFiles {
  constructor(
    private readonly pod: PodView,
    private readonly container: ContainerSpec,
    private readonly store: ClusterStore,
    private readonly dns: DnsSettings,
    /** extra directory entries an image contributes (busybox lists its applets in /bin) */
    private readonly extraDirs: Record<string, string[]> = {},
  ) {}

  #generated(): Record<string, string> {
    return {
      '/etc/resolv.conf': resolvConf(this.pod, this.dns),
      '/etc/hosts': hostsFile(this.pod, this.dns.clusterDomain),
      '/etc/hostname': `${this.pod.spec.hostname ?? this.pod.name}\n`,
    };
  }

  /** mounted ConfigMap files: absolute path -> content */
  mountedFiles(): Map<string, string> {
    return this.#mounted();
  }

  #mounted(): Map<string, string> {
    const files = new Map<string, string>();
    for (const m of this.container.volumeMounts ?? []) {
      const vol = this.pod.spec.volumes?.find((v) => v.name === m.name);
      if (!vol?.configMap) continue;
      const cm = this.store.get('configmaps', this.pod.namespace, vol.configMap.name);
      const data = (cm?.data ?? {}) as Record<string, string>;
      const entries = vol.configMap.items ?? Object.keys(data).map((key) => ({ key, path: key }));
      for (const { key, path } of entries) {
        if (data[key] === undefined) continue;
        if (m.subPath !== undefined) {
          if (normalizePath(path) === normalizePath(m.subPath)) files.set(normalizePath(m.mountPath), data[key]);
        } else {
          files.set(normalizePath(`${m.mountPath}/${path}`), data[key]);
        }
      }
    }
    return files;
  }

  read(path: string): string | undefined {
    const p = normalizePath(path);
    return this.#mounted().get(p) ?? this.#generated()[p] ?? IMAGE_FILES[p];
  }

  /** entries of a directory, sorted, or undefined when it is not one */
  list(dir: string): string[] | undefined {
    const d = normalizePath(dir);
    const names = new Set<string>();
    let isDir = d in IMAGE_DIRS || d in this.extraDirs;
    for (const n of IMAGE_DIRS[d] ?? []) names.add(n);
    for (const n of this.extraDirs[d] ?? []) names.add(n);
    const all = [...Object.keys(this.#generated()), ...Object.keys(IMAGE_FILES), ...this.#mounted().keys()];
    for (const f of all) {
      if (f.startsWith(d === '/' ? '/' : `${d}/`)) {
        isDir = true;
        names.add(f.slice(d === '/' ? 1 : d.length + 1).split('/')[0]);
      }
    }
    return isDir ? [...names].sort() : undefined;
  }
}
