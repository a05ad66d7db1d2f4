// The Debian-based images through the real kubectl: nginx's /etc/nginx as the image ships it, and
// GNU coreutils' wording in jessie-dnsutils and nginx, compared with this machine's own coreutils
// (run in the C locale) on paths that are missing or are directories on both.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { labCluster, type LabCluster, execInPod } from './support/lab-cluster.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';

const pod = (name: string, image: string, container: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name } },
  spec: { containers: [{ name, image, ...container }] },
});

/** this machine's GNU tool: its stderr and exit code */
function gnu(argv: string[]): { stderr: string; code: number } {
  const r = spawnSync(argv[0], argv.slice(1), { env: { ...process.env, LC_ALL: 'C' }, encoding: 'utf8' });
  return { stderr: r.stderr, code: r.status ?? -1 };
}

/** commands whose message is the same on any Linux machine: paths missing everywhere, directories everywhere */
const COREUTILS: string[][] = [
  ['cat', '/nope'], ['cat', '/etc'], ['head', '/nope'], ['head', '/etc'], ['head', '-y', '/etc/hostname'], ['head', '--nope'],
  ['head', '-n', 'x', '/etc/hostname'], ['head', '-c', 'x', '/etc/hostname'], ['head', '-n'], ['tail', '/nope'], ['tail', '-y'],
  ['wc', '/nope'], ['wc', '-y'], ['ls', '/nope'], ['ls', '-y'], ['touch', '/nope/x'], ['touch'], ['touch', '-y'],
  ['mkdir', '/nope/x'], ['mkdir', '/etc'], ['mkdir'], ['rm', '/nope'], ['rm', '/etc'], ['rm'], ['rm', '-f'], ['grep', 'x', '/nope'],
];

describe('Debian-based images', () => {
  let c: LabCluster;
  const exec = (name: string, ...cmd: string[]) => execInPod(c, name, ...cmd);

  before(async () => {
    c = await labCluster({ api: true });
    await c.startPod(pod('web', 'nginx:1.27'), '100.96.5.10');
    await c.startPod(pod('web128', 'nginx:1.28'), '100.96.5.11');
    await c.startPod(pod('web114', 'nginx:1.14.2'), '100.96.5.12');
    await c.startPod(pod('dnsutils', 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', { command: ['sleep', 'infinity'] }), '100.96.5.13');
    await c.startPod(pod('bb', 'busybox:1.28', { command: ['sleep', '3600'] }), '100.96.5.14');
  });

  after(async () => { await c.close(); });

  test("nginx's /etc/nginx: the packaged nginx.conf, and default.conf with the entrypoint's IPv6 listen", async () => {
    const ls = await exec('web', 'ls', '/etc/nginx', '/etc/nginx/conf.d');
    assert.equal(ls.code, 0, ls.stderr);
    const conf = await exec('web', 'cat', '/etc/nginx/nginx.conf');
    assert.equal(conf.code, 0, conf.stderr);
    assert.match(conf.stdout, /^\nuser  nginx;\nworker_processes  auto;\n\nerror_log  \/var\/log\/nginx\/error\.log notice;\npid        \/var\/run\/nginx\.pid;\n\n\nevents \{\n/);
    assert.match(conf.stdout, /\n    log_format  main  '\$remote_addr - \$remote_user \[\$time_local\] "\$request" '\n {22}'\$status \$body_bytes_sent "\$http_referer" '\n {22}'"\$http_user_agent" "\$http_x_forwarded_for"';\n/);
    assert.match(conf.stdout, /\n    include \/etc\/nginx\/conf\.d\/\*\.conf;\n\}\n$/);
    const def = await exec('web', 'cat', '/etc/nginx/conf.d/default.conf');
    assert.match(def.stdout, /^server \{\n    listen       80;\n    listen  \[::\]:80;\n    server_name  localhost;\n\n    #access_log  \/var\/log\/nginx\/host\.access\.log  main;\n\n    location \/ \{\n        root   \/usr\/share\/nginx\/html;\n        index  index\.html index\.htm;\n    \}\n/);
    assert.match(def.stdout, /\n    #location ~ \\\.php\$ \{\n    #    proxy_pass   http:\/\/127\.0\.0\.1;\n    #\}\n/);
    assert.match(def.stdout, /\n    #location ~ \/\\\.ht \{\n    #    deny  all;\n    #\}\n\}\n\n$/);
    assert.equal(def.stdout.split('\n').length, 46);
    // 1.27.5 moved the pid file to /run; packages before 1.20 ran one worker, logged at warn, and had the
    // charset line; images before 1.18 did not add the IPv6 listen
    assert.match((await exec('web128', 'cat', '/etc/nginx/nginx.conf')).stdout, /\npid        \/run\/nginx\.pid;\n/);
    const old = await exec('web114', 'sh', '-c', 'cat /etc/nginx/nginx.conf /etc/nginx/conf.d/default.conf');
    assert.match(old.stdout, /\nworker_processes  1;\n\nerror_log  \/var\/log\/nginx\/error\.log warn;\n/);
    assert.match(old.stdout, /\nserver \{\n    listen       80;\n    server_name  localhost;\n\n    #charset koi8-r;\n    #access_log /);
  });

  for (const argv of COREUTILS) {
    test(`GNU coreutils' words in jessie-dnsutils and nginx: ${argv.join(' ')}`, async () => {
      const want = gnu(argv);
      for (const name of ['dnsutils', 'web']) {
        const r = await exec(name, ...argv);
        assert.deepEqual({ stderr: r.stderr, code: r.code }, want, name);
      }
    });
  }

  test("grep's usage line: grep 2.20 in jessie, 3.8 in bookworm", async () => {
    const want = gnu(['grep', '-Y', 'x']);
    assert.deepEqual(await exec('web', 'grep', '-Y', 'x').then((r) => ({ stderr: r.stderr, code: r.code })), want);
    const jessie = await exec('dnsutils', 'grep');
    assert.equal(jessie.stderr, "Usage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.\n");
    assert.equal(jessie.code, 2);
  });

  test("busybox keeps busybox's words", async () => {
    const cat = await exec('bb', 'cat', '/nope');
    assert.equal(cat.stderr, "cat: can't open '/nope': No such file or directory\n");
    const head = await exec('bb', 'head', '-y');
    assert.match(head.stderr, /^head: invalid option -- 'y'\nBusyBox v1\.28\.4 /);
    const ls = await exec('bb', 'ls', '/nope');
    assert.deepEqual([ls.stderr, ls.code], ['ls: /nope: No such file or directory\n', 1]);
    const rm = await exec('bb', 'rm', '/nope');
    assert.equal(rm.stderr, "rm: can't remove '/nope': No such file or directory\n");
  });
});
