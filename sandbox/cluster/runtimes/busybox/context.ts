// What every busybox applet gets: its argv, output writers, the container's files and
// environment, the pod's resolver, and an abort signal (Ctrl-C, container stop).
import { normalizePath, type PodFiles, type ResolvConf } from '../pod-files.ts';
import type { Protocol, ServiceProxy } from '../../proxy/index.ts';
import type { PodRoute } from '../pod-network.ts';
import type { DnsClient } from './dns-client.ts';

/**
 * An image other than busybox whose shell and commands this interpreter runs (jessie-dnsutils,
 * dnsutils, curl, alpine: ../tools/images.ts): what is on its PATH, and its shell's wording.
 */
export interface Toolbox {
  /** every command on the image's PATH, by name (busybox's applets the image has, and its own) */
  commands: Record<string, Applet>;
  /** directory entries the image brings (its /bin, /usr/bin) */
  dirs: Record<string, string[]>;
  /** the shell's line for a command that is not there ("sh: 1: dig: not found" in dash); `shell` as it was started */
  notFound(name: string, shell: string): string;
  /** the names that start its shell (run here by ash's interpreter): sh, and bash in Debian images */
  shells: string[];
  /** the interactive prompt (ash's is "/ # ") */
  prompt?(cwd: string, hostname: string, shell: string): string;
  /** whether `CMD --help` prints busybox's usage (the busybox-based images) */
  busyboxUsage: boolean;
  /**
   * the Debian images: cat, ls, head, tail, wc, touch, mkdir, rm and grep are GNU coreutils' and GNU
   * grep's, which word their errors otherwise ("cannot open", "Try 'head --help'"); grep's usage line
   * names PATTERN (grep 2.x) or PATTERNS (3.2 on)
   */
  gnu?: { grepUsage: string };
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** raw bytes to stdout (tar's archive), where stdout is the process's own stream */
  bytes?(data: Buffer): void;
}

export interface ShellState {
  env: Map<string, string>;
  cwd: string;
  /** files written inside the container (wget -O, echo > file), on top of the image */
  written: Map<string, string>;
  lastStatus: number;
  /** whether stdout is a terminal (ls prints columns only then) */
  tty: boolean;
  /** terminal width in columns, from the last resize */
  columns: number;
  /** the name the running shell was started as (sh, bash), for its messages; default sh */
  shell?: string;
}

export interface AppletContext extends Output {
  argv: string[];
  state: ShellState;
  files: PodFiles;
  podIP: string;
  hostname: string;
  dns: DnsClient;
  resolvConf(): ResolvConf;
  proxy: ServiceProxy;
  /** where a connection from this pod really goes (pod-network.ts); without it, the service proxy alone */
  route?: (ip: string, port: number, protocol: Protocol) => Promise<PodRoute>;
  signal: AbortSignal;
  /** the text piped into this applet, when there is a pipe */
  stdin?: string;
  /** the same input as bytes, when it came from the process's stdin (tar reads archives from it) */
  stdinBytes?: Buffer;
  /** the image's commands when it is not busybox itself */
  toolbox?: Toolbox;
  /**
   * the processes ps sees (the container's PID namespace, or the pod's shared one): PID 1 first,
   * with ps itself (`psArgs`) as the shell's child when no exec runs it directly
   */
  processes?: (psArgs: string) => ProcessEntry[];
  /**
   * the process's stdin a line at a time (a terminal's edited lines, or piped lines), for a
   * command that reads commands itself (bind's nslookup in interactive mode)
   */
  readLine?: () => Promise<LineResult>;
}

export interface ProcessEntry { pid: number; uid: number; args: string }

export type LineResult = { kind: 'line'; text: string } | { kind: 'interrupt' } | { kind: 'eof' };

export type Applet = (ctx: AppletContext) => Promise<number>;

/** reads a file as the container sees it: what it wrote, else what is mounted or generated */
export function readFile(ctx: { state: ShellState; files: PodFiles }, path: string): string | undefined {
  const { normalized } = resolvePath(ctx, path);
  return ctx.state.written.get(normalized) ?? ctx.files.read(normalized);
}

/** a directory's entries as the container sees them: the image's and mounts', plus what was written; undefined: no such directory */
export function listDir(ctx: { state: ShellState; files: PodFiles }, dir: string): string[] | undefined {
  const prefix = dir === '/' ? '/' : `${dir}/`;
  // an extracted empty directory is kept as "<dir>/." (tar.ts)
  const written = [...ctx.state.written.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).split('/')[0])
    .filter((n) => n !== '.');
  const listed = ctx.files.list(dir);
  if (listed === undefined && written.length === 0 && !ctx.state.written.has(`${prefix}.`)) return undefined;
  return [...new Set([...(listed ?? []), ...written])].sort();
}

export function resolvePath(ctx: { state: ShellState }, path: string): { normalized: string } {
  return { normalized: normalizePath(path, ctx.state.cwd) };
}

/** sleeps ms, or until aborted; true when it slept the whole time */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(true); }, ms);
    const onAbort = () => { clearTimeout(t); resolve(false); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
