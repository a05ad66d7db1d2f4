// What a container sees in its filesystem: the files the kubelet writes into every pod
// (/etc/resolv.conf, /etc/hosts, /etc/hostname), the volumes it mounts (ConfigMap, Secret, the
// projected ServiceAccount volume; emptyDir and hostPath as empty directories, since the
// emulated node's disk holds nothing) and a few files of the image. Read at the moment of the
// call, as a kubelet-synced volume would be. Nothing here reads the host's filesystem.
import type { ClusterStore } from '../contracts.ts';
import type { PodCredentials } from '../auth/types.ts';
import type { ContainerSpec, KeyToPath, PodView, VolumeSpec } from './pod-spec.ts';

export interface DnsSettings {
  clusterDomain: string;
  /** the ClusterIP of kube-system/kube-dns, read when the file is read (it can change) */
  dnsVIP(): string | undefined;
  /** what the node's own resolv.conf says (dnsPolicy Default and the tail of the search list) */
  nodeResolvConf(pod: PodView): NodeResolvConf;
}

/** a node's /etc/resolv.conf, as the kubelet reads it (nameservers, search domains, options) */
export interface NodeResolvConf {
  nameservers: string[];
  searches: string[];
  options?: string[];
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
    // Default (and ClusterFirst without a cluster DNS): the node's file as it is, options included
    nameservers = node.nameservers;
    searches = node.searches;
    options = [...(node.options ?? [])];
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

/** the pod's FQDN, which exists only with a subdomain (kubelet's GeneratePodHostNameAndDomain) */
export function podFqdn(pod: PodView, clusterDomain: string): string | undefined {
  const hostname = pod.spec.hostname ?? pod.name;
  return pod.spec.subdomain ? `${hostname}.${pod.spec.subdomain}.${pod.namespace}.svc.${clusterDomain}` : undefined;
}

/** the kernel hostname: the FQDN with setHostnameAsFQDN (kubelet's GetNodenameForKernel), else the short name */
export function kernelHostname(pod: PodView, clusterDomain: string): string {
  const fqdn = podFqdn(pod, clusterDomain);
  return pod.spec.setHostnameAsFQDN && fqdn ? fqdn : (pod.spec.hostname ?? pod.name);
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
  const fqdn = podFqdn(pod, clusterDomain);
  if (pod.podIP && !pod.spec.hostNetwork) lines.push(fqdn ? `${pod.podIP}\t${fqdn}\t${hostname}` : `${pod.podIP}\t${hostname}`);
  if (pod.spec.hostAliases?.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of pod.spec.hostAliases) lines.push(`${a.ip}\t${a.hostnames.join('\t')}`);
  }
  return lines.join('\n') + '\n';
}

/** the files and directories an image brings */
export interface ImageFiles {
  files: Record<string, string>;
  dirs: Record<string, string[]>;
}

const BUSYBOX_FILES: Record<string, string> = {
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
  '/etc/group': 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwheel:x:10:root\nmail:x:8:\nwww-data:x:33:\nnogroup:x:65534:\n',
};

const BUSYBOX_DIRS: Record<string, string[]> = {
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

/** busybox:1.28 (also what idle images show) */
export const BUSYBOX_IMAGE: ImageFiles = { files: BUSYBOX_FILES, dirs: BUSYBOX_DIRS };

/**
 * coredns/coredns: distroless static (nonroot), the CA bundle and the /coredns binary, nothing
 * else; the kube-dns images are as bare
 */
export const COREDNS_IMAGE: ImageFiles = {
  files: {
    '/etc/passwd': 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n',
    '/etc/group': 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n',
    '/etc/nsswitch.conf': 'hosts: files dns\nnetworks: files\n',
    '/etc/os-release': 'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="12"\nVERSION="Debian GNU/Linux 12 (bookworm)"\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\n',
  },
  dirs: {
    '/': ['coredns', 'dev', 'etc', 'home', 'proc', 'root', 'sys', 'tmp', 'var'],
    '/etc/ssl': ['certs'],
    '/etc/ssl/certs': [],
    '/home': ['nonroot'],
    '/home/nonroot': [],
    '/dev': [],
    '/proc': [],
    '/root': [],
    '/sys': [],
    '/tmp': [],
    '/var': [],
  },
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

export interface PodFilesOptions {
  /** the image's own files (default: busybox's) */
  image?: ImageFiles;
  /** extra directory entries an image contributes (busybox lists its applets in /bin) */
  extraDirs?: Record<string, string[]>;
  /** for the ServiceAccount volume's token and ca.crt; without them the volume holds only namespace */
  credentials?: PodCredentials;
}

export class PodFiles {
  private readonly image: ImageFiles;
  private readonly extraDirs: Record<string, string[]>;
  private readonly credentials: PodCredentials | undefined;
  /** when each path's content last changed, as the view has seen it (stat's mtime) */
  readonly #mtimes = new Map<string, { text: string; mtimeMs: number }>();

  constructor(
    private readonly pod: PodView,
    private readonly container: ContainerSpec,
    private readonly store: ClusterStore,
    private readonly dns: DnsSettings,
    opts: PodFilesOptions = {},
  ) {
    this.image = opts.image ?? BUSYBOX_IMAGE;
    this.extraDirs = opts.extraDirs ?? {};
    this.credentials = opts.credentials;
  }

  #generated(): Record<string, string> {
    return {
      '/etc/resolv.conf': resolvConf(this.pod, this.dns),
      '/etc/hosts': hostsFile(this.pod, this.dns.clusterDomain),
      '/etc/hostname': `${kernelHostname(this.pod, this.dns.clusterDomain)}\n`,
    };
  }

  /** a key -> text map's files as a volume lays them out (items pick and rename keys) */
  static #keyed(data: Record<string, string>, items: KeyToPath[] | undefined, out: Map<string, string>): void {
    for (const { key, path } of items ?? Object.keys(data).map((key) => ({ key, path: key }))) {
      if (data[key] !== undefined) out.set(normalizePath(path), data[key]);
    }
  }

  #configMapData(name: string): Record<string, string> | undefined {
    const cm = this.store.get('configmaps', this.pod.namespace, name);
    if (cm) return (cm.data ?? {}) as Record<string, string>;
    // the root CA publisher's ConfigMap: its content is the cluster CA, which the runtime holds
    if (name === 'kube-root-ca.crt' && this.credentials) return { 'ca.crt': this.credentials.caPem };
    return undefined;
  }

  #secretData(name: string | undefined): Record<string, string> {
    const secret = name ? this.store.get('secrets', this.pod.namespace, name) : undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries((secret?.data ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, 'base64').toString('utf8');
    return out;
  }

  /** a volume's files, relative to its root */
  #volumeFiles(vol: VolumeSpec): Map<string, string> {
    const out = new Map<string, string>();
    if (vol.configMap) PodFiles.#keyed(this.#configMapData(vol.configMap.name) ?? {}, vol.configMap.items, out);
    if (vol.secret) PodFiles.#keyed(this.#secretData(vol.secret.secretName), vol.secret.items, out);
    for (const src of vol.projected?.sources ?? []) {
      if (src.serviceAccountToken && this.credentials) {
        const p = this.pod;
        out.set(normalizePath(src.serviceAccountToken.path), this.credentials.serviceAccountToken({
          namespace: p.namespace, name: p.name, uid: p.uid, serviceAccountName: p.spec.serviceAccountName ?? 'default',
        }));
      }
      if (src.configMap) PodFiles.#keyed(this.#configMapData(src.configMap.name) ?? {}, src.configMap.items, out);
      if (src.secret) PodFiles.#keyed(this.#secretData(src.secret.name), src.secret.items, out);
      for (const item of src.downwardAPI?.items ?? []) {
        const field = item.fieldRef?.fieldPath;
        const value = field === 'metadata.namespace' ? this.pod.namespace : field === 'metadata.name' ? this.pod.name : field === 'metadata.uid' ? this.pod.uid : undefined;
        if (value !== undefined) out.set(normalizePath(item.path), value);
      }
    }
    return out;
  }

  #mounted(): { files: Map<string, string>; dirs: Set<string> } {
    const files = new Map<string, string>();
    const dirs = new Set<string>();
    for (const m of this.container.volumeMounts ?? []) {
      const vol = this.pod.spec.volumes?.find((v) => v.name === m.name);
      if (!vol) continue;
      const inVolume = this.#volumeFiles(vol);
      if (m.subPath !== undefined) {
        const text = inVolume.get(normalizePath(m.subPath));
        if (text !== undefined) files.set(normalizePath(m.mountPath), text);
        continue;
      }
      dirs.add(normalizePath(m.mountPath));
      for (const [path, text] of inVolume) files.set(normalizePath(`${m.mountPath}/${path}`), text);
    }
    return { files, dirs };
  }

  read(path: string): string | undefined {
    const p = normalizePath(path);
    return this.#mounted().files.get(p) ?? this.#generated()[p] ?? this.image.files[p];
  }

  /** what stat(2) would say about a path: undefined when nothing is there */
  stat(path: string): { isDirectory: boolean; size: number; mtimeMs: number } | undefined {
    const p = normalizePath(path);
    const text = this.read(p);
    if (text === undefined) return this.list(p) ? { isDirectory: true, size: 4096, mtimeMs: 0 } : undefined;
    let seen = this.#mtimes.get(p);
    if (!seen || seen.text !== text) {
      seen = { text, mtimeMs: Date.now() };
      this.#mtimes.set(p, seen);
    }
    return { isDirectory: false, size: Buffer.byteLength(text), mtimeMs: seen.mtimeMs };
  }

  /** entries of a directory, sorted, or undefined when it is not one */
  list(dir: string): string[] | undefined {
    const d = normalizePath(dir);
    const names = new Set<string>();
    const mounted = this.#mounted();
    let isDir = d in this.image.dirs || d in this.extraDirs || mounted.dirs.has(d);
    for (const n of this.image.dirs[d] ?? []) names.add(n);
    for (const n of this.extraDirs[d] ?? []) names.add(n);
    const all = [...Object.keys(this.#generated()), ...Object.keys(this.image.files), ...mounted.files.keys(), ...mounted.dirs];
    for (const f of all) {
      if (f.startsWith(d === '/' ? '/' : `${d}/`)) {
        isDir = true;
        names.add(f.slice(d === '/' ? 1 : d.length + 1).split('/')[0]);
      }
    }
    return isDir ? [...names].sort() : undefined;
  }
}
