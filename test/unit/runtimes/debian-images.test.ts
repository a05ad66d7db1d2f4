// The Debian-based images through the real kubectl: nginx's /etc/nginx as the image ships it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { labCluster, kubectl, type LabCluster } from './support/lab-cluster.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';

const pod = (name: string, image: string, container: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name } },
  spec: { containers: [{ name, image, ...container }] },
});

describe('Debian-based images', () => {
  let c: LabCluster;
  // kubectl adds its own "command terminated with exit code N" to stderr: the pod's stderr is what precedes it
  const exec = async (name: string, ...cmd: string[]) => {
    const r = await kubectl(c, ['exec', name, '--', ...cmd]);
    return { ...r, stderr: r.stderr.replace(/command terminated with exit code \d+\n$/, '') };
  };

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
});
