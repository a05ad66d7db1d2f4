// The images learners reach for besides busybox, run by the busybox shell's interpreter with the
// commands, files, C library and entrypoint of the real image:
// - jessie-dnsutils (registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3, the "Debugging DNS
//   Resolution" page's pod): Debian jessie (glibc, dash as sh, bash) with bind 9.9.5's dig, host
//   and nslookup (test/images/jessie-dnsutils/Dockerfile: apt-get install dnsutils);
// - dnsutils (e2e-test-images/dnsutils, kubernetes-e2e-test-images/dnsutils): Alpine 3.4 (musl,
//   busybox) with bind-tools 9.10 (test/images/dnsutils/Dockerfile: apk add bind-tools);
// - curlimages/curl: Alpine with curl, ENTRYPOINT /entrypoint.sh, CMD curl;
// - alpine: busybox's ash and applets, musl, busybox's own nslookup, and apk (offline here);
// - nginx (Debian bookworm): what `kubectl exec` finds beside the server (runtimes/nginx.ts), dash
//   and bash and coreutils, so the docs' `kubectl exec -it dns-example -- cat /etc/resolv.conf` works;
// - agnhost (e2e-test-images/agnhost:2.x, the probes page's http-liveness pod): Alpine 3.12 with
//   bash, curl and bind-tools, /agnhost as ENTRYPOINT and `pause` as CMD (agnhost.ts).
import type { Applet, AppletContext, Toolbox } from '../busybox/context.ts';
import { sleep } from '../busybox/context.ts';
import { APPLETS } from '../busybox/applets.ts';
import type { ImageProfile } from '../busybox/container.ts';
import type { ImageFiles } from '../pod-files.ts';
import { DOCROOT_IMAGE, nginxConfFiles, nginxVersion } from '../nginx.ts';
import type { ContainerSpec } from '../pod-spec.ts';
import { makeDig, makeHost, type BindVersion } from './bind-tools.ts';
import { makeNslookup } from './bind-nslookup.ts';
import { curl, curlImageVersion, makeCurl } from './curl.ts';
import { apk, muslNslookup } from './alpine.ts';
import { agnhost } from './agnhost.ts';

export type ToolImage = 'jessie-dnsutils' | 'dnsutils' | 'curl' | 'alpine' | 'nginx' | 'agnhost';

/** coreutils' and busybox's (1.30+) sleep take "infinity": the docs' dnsutils pod runs `sleep infinity` */
const sleepInfinity: Applet = async (ctx: AppletContext) => {
  if (ctx.argv.slice(1).some((a) => /^inf(inity)?$/i.test(a))) {
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    return 130;
  }
  // setTimeout holds 2^31-1 ms at most: longer sleeps wait in steps
  const total = ctx.argv.slice(1).reduce((ms, a) => {
    const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a);
    return m ? ms + Number(m[1]) * { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'] : ms;
  }, 0);
  if (total <= 0x7fffffff) return APPLETS.sleep(ctx);
  for (let left = total; left > 0; left -= 0x7fffffff) if (!(await sleep(Math.min(left, 0x7fffffff), ctx.signal))) return 130;
  return 0;
};

function pick(names: string[]): Record<string, Applet> {
  const out: Record<string, Applet> = {};
  for (const n of names) if (APPLETS[n]) out[n] = APPLETS[n];
  return out;
}

/** what Debian jessie's base image and dnsutils put on PATH that the lab runs */
const DEBIAN_COMMANDS = ['cat', 'date', 'echo', 'env', 'grep', 'head', 'hostname', 'id', 'ls', 'mkdir', 'printenv', 'pwd', 'rm', 'tail', 'tar',
  'test', '[', 'touch', 'true', 'false', 'uname', 'wc', 'whoami'];

const JESSIE_BIND: BindVersion = { version: '9.9.5-9+deb8u19-Debian' };
const ALPINE_BIND: BindVersion = { version: '9.10.4-P8' };

const bindTools = (v: BindVersion) => ({ dig: makeDig(v), host: makeHost(v), nslookup: makeNslookup(v) });

/** a Debian image's files: jessie (8.11) for jessie-dnsutils, bookworm (12.x) for nginx */
function debianFiles(version: string, codename: string, extraPasswd = '', rootDirs: string[] = []): ImageFiles {
  const major = version.split('.')[0];
  return {
    files: {
      '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n' +
        `sys:x:3:3:sys:/dev:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n${extraPasswd}`,
      '/etc/group': 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\nstaff:x:50:\nnogroup:x:65534:\n',
      '/etc/debian_version': `${version}\n`,
      '/etc/os-release': `PRETTY_NAME="Debian GNU/Linux ${major} (${codename})"\nNAME="Debian GNU/Linux"\nVERSION_ID="${major}"\nVERSION="${major} (${codename})"\n` +
        'ID=debian\nHOME_URL="http://www.debian.org/"\nSUPPORT_URL="http://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n',
      '/etc/nsswitch.conf': 'passwd:         compat\ngroup:          compat\nshadow:         compat\n\nhosts:          files dns\nnetworks:       files\n',
    },
    dirs: {
      '/': ['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib64', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr', 'var',
        ...rootDirs].sort(),
      '/boot': [], '/dev': [], '/home': [], '/lib': [], '/lib64': [], '/media': [], '/mnt': [], '/opt': [], '/proc': [], '/root': [], '/run': [],
      '/sbin': [], '/srv': [], '/sys': [], '/tmp': [], '/var': ['cache', 'lib', 'log', 'tmp'], '/var/cache': [], '/var/lib': [], '/var/log': [], '/var/tmp': [],
      '/usr': ['bin', 'lib', 'local', 'sbin', 'share'], '/usr/lib': [], '/usr/local': ['bin'], '/usr/local/bin': [], '/usr/sbin': [], '/usr/share': [],
    },
  };
}

/** two images' files as one: the second's files added, each directory's entries the union of both */
function overlay(a: ImageFiles, b: ImageFiles): ImageFiles {
  const dirs = { ...a.dirs };
  for (const [d, names] of Object.entries(b.dirs)) dirs[d] = [...new Set([...(dirs[d] ?? []), ...names])].sort();
  return { files: { ...a.files, ...b.files }, dirs };
}

function alpineFiles(release: string): ImageFiles {
  return {
    files: {
      '/etc/passwd': 'root:x:0:0:root:/root:/bin/ash\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\n' +
        'nobody:x:65534:65534:nobody:/:/sbin/nologin\n',
      '/etc/group': 'root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\nnogroup:x:65533:\nnobody:x:65534:\n',
      '/etc/alpine-release': `${release}\n`,
      '/etc/os-release': `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=${release}\nPRETTY_NAME="Alpine Linux v${release.split('.').slice(0, 2).join('.')}"\n` +
        'HOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n',
      '/etc/apk/repositories': `https://dl-cdn.alpinelinux.org/alpine/v${release.split('.').slice(0, 2).join('.')}/main\n` +
        `https://dl-cdn.alpinelinux.org/alpine/v${release.split('.').slice(0, 2).join('.')}/community\n`,
    },
    dirs: {
      '/': ['bin', 'dev', 'etc', 'home', 'lib', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr', 'var'],
      '/dev': [], '/home': [], '/lib': [], '/media': [], '/mnt': [], '/opt': [], '/proc': [], '/root': [], '/run': [], '/sbin': ['apk'],
      '/srv': [], '/sys': [], '/tmp': [], '/etc/apk': ['repositories'], '/var': ['cache', 'lib', 'log', 'tmp'], '/var/cache': [],
      '/var/lib': [], '/var/log': [], '/var/tmp': [], '/usr': ['bin', 'lib', 'local', 'sbin', 'share'], '/usr/lib': [], '/usr/local': ['bin'],
      '/usr/local/bin': [], '/usr/sbin': [], '/usr/share': [],
    },
  };
}

const ashNotFound = (name: string) => `sh: ${name}: not found\n`;
// dash is Debian's /bin/sh; bash's PS1 for root is \u@\h:\w\$
const debianNotFound: Toolbox['notFound'] = (name, shell) => (shell === 'bash' ? `bash: ${name}: command not found\n` : `${shell}: 1: ${name}: not found\n`);
const debianPrompt: NonNullable<Toolbox['prompt']> = (cwd, hostname, shell) => (shell === 'bash' ? `root@${hostname}:${cwd}# ` : '# ');

function alpineToolbox(extra: Record<string, Applet>, shells = ['sh', 'ash']): Toolbox {
  const commands = { ...APPLETS, sleep: sleepInfinity, apk, ...extra };
  return {
    commands,
    // commands named by their path (agnhost's /agnhost) live outside PATH's directories
    dirs: { '/bin': Object.keys(commands).filter((n) => n !== 'apk' && n !== '[' && !n.startsWith('/')).concat(shells).sort() },
    shells,
    notFound: ashNotFound,
    busyboxUsage: true,
  };
}

/** CMD of busybox-based images: a shell */
const cmdShell = (spec: ContainerSpec) => (spec.command?.length ? [...spec.command, ...(spec.args ?? [])] : spec.args?.length ? [...spec.args] : ['/bin/sh']);

/** `ref`: the image as the pod names it, for what its tag changes (nginx's config, curl's version) */
export function imageProfile(image: ToolImage, ref?: string): ImageProfile {
  switch (image) {
    case 'jessie-dnsutils': {
      const commands = { ...pick(DEBIAN_COMMANDS), sleep: sleepInfinity, ...bindTools(JESSIE_BIND) };
      return {
        toolbox: {
          commands,
          dirs: { '/bin': ['bash', 'cat', 'date', 'echo', 'grep', 'hostname', 'ls', 'mkdir', 'pwd', 'rm', 'sh', 'sleep', 'tar', 'touch', 'true', 'false', 'uname'],
            '/usr/bin': ['dig', 'env', 'head', 'host', 'id', 'nslookup', 'printenv', 'tail', 'test', 'wc', 'whoami', '['] },
          shells: ['sh', 'bash', 'dash'],
          notFound: debianNotFound,
          prompt: debianPrompt,
          busyboxUsage: false,
          // jessie's grep 2.20
          gnu: { grepUsage: 'Usage: grep [OPTION]... PATTERN [FILE]...' },
        },
        files: debianFiles('8.11', 'jessie', '', ['coredns']),
        libc: 'glibc',
        // debian:jessie's CMD is bash
        mainArgv: (spec) => (spec.command?.length ? [...spec.command, ...(spec.args ?? [])] : spec.args?.length ? [...spec.args] : ['bash']),
      };
    }
    case 'dnsutils':
      return { toolbox: alpineToolbox(bindTools(ALPINE_BIND)), files: alpineFiles('3.4.6'), libc: 'musl', mainArgv: cmdShell };
    case 'curl':
      return {
        toolbox: alpineToolbox({ curl: makeCurl(curlImageVersion(ref)) }),
        files: alpineFiles('3.21.3'),
        libc: 'musl',
        // ENTRYPOINT ["/entrypoint.sh"], CMD ["curl"]: arguments starting with "-" go to curl, anything else runs as given
        mainArgv: (spec) => {
          if (spec.command?.length) return [...spec.command, ...(spec.args ?? [])];
          const args = spec.args ?? [];
          return args.length === 0 || args[0].startsWith('-') ? ['curl', ...args] : [...args];
        },
      };
    case 'alpine':
      return { toolbox: alpineToolbox({ nslookup: muslNslookup }), files: alpineFiles('3.21.3'), libc: 'musl', mainArgv: cmdShell };
    case 'agnhost': {
      // /agnhost is reachable by its path only: PATH has no "/", so `agnhost` alone is not found
      const files = alpineFiles('3.12.12');
      files.dirs['/'] = [...files.dirs['/'], 'agnhost', 'agnhost-2', 'coredns', 'localhost.crt', 'localhost.key', 'uploads'].sort();
      files.dirs['/uploads'] = [];
      return {
        toolbox: {
          ...alpineToolbox({ curl, ...bindTools(ALPINE_BIND), '/agnhost': agnhost, '/agnhost-2': agnhost }, ['sh', 'ash', 'bash']),
          // Alpine 3.12's bash 5.0: a non-login shell keeps bash's default PS1, \s-\v\$
          notFound: (name, shell) => (shell === 'bash' ? `bash: ${name}: command not found\n` : ashNotFound(name)),
          prompt: (cwd, _host, shell) => (shell === 'bash' ? 'bash-5.0# ' : `${cwd} # `),
        },
        files,
        libc: 'musl',
        // ENTRYPOINT ["/agnhost"], CMD ["pause"]
        mainArgv: (spec) => (spec.command?.length ? [...spec.command, ...(spec.args ?? [])] : ['/agnhost', ...(spec.args?.length ? spec.args : ['pause'])]),
        // a Go program as PID 1 without a SIGTERM handler: the runtime's dieFromSignal finds the
        // signal ignored (PID 1) and exits 2; pause's own handler exits 2 too. A shell ignores it.
        termExit: (argv) => (/^\/agnhost(-2)?$/.test(argv[0] ?? '') ? 2 : undefined),
      };
    }
    case 'nginx':
      return {
        toolbox: {
          commands: { ...pick(DEBIAN_COMMANDS), sleep: sleepInfinity },
          dirs: { '/bin': ['bash', 'cat', 'date', 'echo', 'grep', 'hostname', 'ls', 'mkdir', 'pwd', 'rm', 'sh', 'sleep', 'tar', 'touch', 'true', 'false', 'uname'],
            '/usr/bin': ['env', 'head', 'id', 'printenv', 'tail', 'test', 'wc', 'whoami', '['] },
          shells: ['sh', 'bash', 'dash'],
          notFound: debianNotFound,
          prompt: debianPrompt,
          busyboxUsage: false,
          // bookworm's grep 3.8
          gnu: { grepUsage: 'Usage: grep [OPTION]... PATTERNS [FILE]...' },
        },
        // the docroot the server serves, so `kubectl exec web -- cat /usr/share/nginx/html/index.html` finds the welcome page
        files: overlay(debianFiles('12.8', 'bookworm', 'nginx:x:101:101:nginx user:/nonexistent:/bin/false\n',
          ['docker-entrypoint.d', 'docker-entrypoint.sh']), overlay(DOCROOT_IMAGE, nginxConfFiles(nginxVersion(ref)))),
        libc: 'glibc',
        // the server is runtimes/nginx.ts; this profile only serves kubectl exec
        mainArgv: () => ['nginx', '-g', 'daemon off;'],
      };
  }
}
