// The Kubernetes 1.32 docs' DNS task pages, walked as a learner walks them with the real kubectl,
// on the embedded cluster playing a fresh kind cluster (kubeadm's CoreDNS 1.11.3, as the pages
// assume), its nodes' resolver forwarding to a dnsmasq of the test's own (the host's upstream):
// - "Debugging DNS Resolution" (kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/):
//   the dnsutils pod, nslookup, resolv.conf, the kube-dns pods, Service and EndpointSlices, the `log`
//   plugin added to the ConfigMap, and `describe clusterrole system:coredns`, whose table is the page's;
// - "DNS for Services and Pods": pod A records (a-b-c-d.<ns>.pod), SRV records of named ports, the
//   page's dnsConfig example's resolv.conf, dnsPolicy: Default reaching the node's resolver;
// - "Customizing DNS Service": the page's stub domain (consul.local forwarded to 10.150.0.1, which
//   nothing answers here) and `forward . /etc/resolv.conf` reaching the host's nameserver;
// - "Autoscale the DNS Service in a Cluster": the page's autoscaler with --target=Deployment/coredns
//   creating its ConfigMap from --default-params, then the ConfigMap switched to the README's ladder
//   (kubernetes-sigs/cluster-proportional-autoscaler, "Ladder Mode").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterLab, tableRows, type Lab } from '../kubectl/harness.ts';
import { startDnsmasq, type Dnsmasq } from '../../support/dnsmasq.ts';
import { waitFor } from '../../support/wait.ts';
import { DNSUTILS_YAML } from '../../support/docs-manifests.ts';

/** "DNS for Services and Pods", "Pod's DNS Config": the page's example, and a dnsPolicy: Default pod beside it */
const DNS_POLICY_PODS = `apiVersion: v1
kind: Pod
metadata:
  namespace: default
  name: dns-example
spec:
  containers:
    - name: test
      image: nginx
  dnsPolicy: "None"
  dnsConfig:
    nameservers:
      - 192.0.2.1 # this is an example
    searches:
      - ns1.svc.cluster-domain.example
      - my.dns.search.suffix
    options:
      - name: ndots
        value: "2"
      - name: edns0
---
apiVersion: v1
kind: Pod
metadata:
  name: node-dns
spec:
  dnsPolicy: Default
  containers:
    - name: test
      image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3
      command: [sleep, infinity]
`;

/** the page's dns-horizontal-autoscaler.yaml (cpa 1.8.4), its {{.Target}} filled in as the page says */
const AUTOSCALER_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kube-dns-autoscaler
  namespace: kube-system
  labels:
    k8s-app: kube-dns-autoscaler
    kubernetes.io/cluster-service: "true"
spec:
  selector:
    matchLabels:
      k8s-app: kube-dns-autoscaler
  template:
    metadata:
      labels:
        k8s-app: kube-dns-autoscaler
    spec:
      priorityClassName: system-cluster-critical
      nodeSelector:
        kubernetes.io/os: linux
      containers:
      - name: autoscaler
        image: registry.k8s.io/cpa/cluster-proportional-autoscaler:1.8.4
        resources:
            requests:
                cpu: "20m"
                memory: "10Mi"
        command:
          - /cluster-proportional-autoscaler
          - --namespace=kube-system
          - --configmap=kube-dns-autoscaler
          - --target=Deployment/coredns
          - --default-params={"linear":{"coresPerReplica":256,"nodesPerReplica":16,"preventSinglePointFailure":true,"includeUnschedulableNodes":true}}
          - --logtostderr=true
          - --v=2
      tolerations:
      - key: "CriticalAddonsOnly"
        operator: "Exists"
`;

let lab: Lab;
let upstream: Dnsmasq;
const exec = (pod: string, ...cmd: string[]) => lab.kubectl(['exec', pod, '--', ...cmd]);
let lastLogs = '';
const kubeDnsLogs = async () => (lastLogs = await lab.ok(['logs', '--namespace=kube-system', '-l', 'k8s-app=kube-dns', '--tail=-1']));
/** a kubectl edit of the coredns ConfigMap through KUBE_EDITOR: a sed script over the file kubectl hands it */
const editCorefile = (sed: string) => lab.ok(['-n', 'kube-system', 'edit', 'configmap', 'coredns'], { env: { KUBE_EDITOR: `sed -i -e '${sed}'` } });
/** both CoreDNS pods reloaded the Corefile `times` times */
const reloaded = (times: number) => waitFor(async () => (await kubeDnsLogs()).split('[INFO] Reloading complete').length - 1 >= 2 * times,
  { what: `both CoreDNS pods reloading ${times}x`, timeout: 90_000 });

before(async () => {
  upstream = await startDnsmasq({ addresses: { 'example.org': '192.0.2.10' } });
  lab = await startClusterLab({ profile: 'kind', nodeUpstreams: [{ host: upstream.host, port: upstream.port }] });
  await lab.ok(['apply', '-f', lab.file('dnsutils.yaml', DNSUTILS_YAML)]);
  await lab.ok(['apply', '-f', lab.file('dns-policy.yaml', DNS_POLICY_PODS)]);
  await lab.ok(['wait', '--for=condition=Ready', 'pod/dnsutils', 'pod/dns-example', 'pod/node-dns', '--timeout=60s'], { timeoutMs: 70_000 });
  // kubeadm's Corefile checks for changes every 30 s plus up to 15 s of jitter (`reload`), so each of
  // the two edits below would wait 30-45 s for it. An operator in a hurry does what this does: a
  // shorter interval, then the pods restarted to read it. The default interval itself is
  // dns-server's (plugins/reload/parse.ts, its unit test).
  await editCorefile('s/^        reload$/        reload 2s 1s/');
  await lab.ok(['-n', 'kube-system', 'rollout', 'restart', 'deployment', 'coredns']);
  await lab.ok(['-n', 'kube-system', 'rollout', 'status', 'deployment', 'coredns', '--timeout=60s'], { timeoutMs: 70_000 });
  // and the old pods gone, lame duck included: the page's steps see the two new ones only
  await waitFor(async () => (await lab.ok(['-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=kube-dns', '-o', 'name'])).trim().split('\n').length === 2,
    { what: 'the old CoreDNS pods gone after the restart', timeout: 60_000 });
  await lab.ok(['-n', 'kube-system', 'wait', '--for=condition=Ready', 'pod', '-l', 'k8s-app=kube-dns', '--timeout=60s'], { timeoutMs: 70_000 });
});
after(async () => {
  await lab?.close();
  await upstream?.stop();
});

describe('Debugging DNS Resolution', () => {
  test('nslookup kubernetes.default and the pod\'s resolv.conf, as the page prints them', async () => {
    const r = await lab.kubectl(['exec', '-i', '-t', 'dnsutils', '--', 'nslookup', 'kubernetes.default']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n');
    assert.equal((await exec('dnsutils', 'cat', '/etc/resolv.conf')).stdout,
      'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n');
  });

  test('the kube-dns pods, Service and EndpointSlices', async () => {
    const pods = tableRows(await lab.ok(['get', 'pods', '--namespace=kube-system', '-l', 'k8s-app=kube-dns']));
    assert.deepEqual(pods[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(pods.slice(1).map((p) => [/^coredns-[a-z0-9]+-[a-z0-9]{5}$/.test(p[0]!), p[1], p[2]]), [[true, '1/1', 'Running'], [true, '1/1', 'Running']]);
    const svc = tableRows(await lab.ok(['get', 'svc', '--namespace=kube-system']));
    assert.deepEqual(svc[1]!.slice(0, 5), ['kube-dns', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP']);
    // the page's selector names the label k8s.io/service-name, which no EndpointSlice carries on a real
    // cluster either (the EndpointSlice controller sets kubernetes.io/service-name)
    const pageLabel = await lab.kubectl(['get', 'endpointslices', '-l', 'k8s.io/service-name=kube-dns', '--namespace=kube-system']);
    assert.equal(pageLabel.stdout, '');
    assert.equal(pageLabel.stderr, 'No resources found in kube-system namespace.\n');
    const slices = tableRows(await lab.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=kube-dns', '--namespace=kube-system']));
    assert.deepEqual(slices[0], ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    assert.equal(slices.length, 2);
    assert.deepEqual(slices[1]!.slice(1, 3), ['IPv4', '53,53,9153']);
    assert.equal(slices[1]![3]!.split(',').length, 2);
  });

  test('describe clusterrole system:coredns prints the page\'s table', async () => {
    assert.equal(await lab.ok(['describe', 'clusterrole', 'system:coredns', '-n', 'kube-system']), [
      'Name:         system:coredns',
      'Labels:       <none>',
      'Annotations:  <none>',
      'PolicyRule:',
      '  Resources                        Non-Resource URLs  Resource Names  Verbs',
      '  ---------                        -----------------  --------------  -----',
      '  endpoints                        []                 []              [list watch]',
      '  namespaces                       []                 []              [list watch]',
      '  pods                             []                 []              [list watch]',
      '  services                         []                 []              [list watch]',
      '  endpointslices.discovery.k8s.io  []                 []              [list watch]',
      '',
    ].join('\n'));
  });

  test('`log` added with kubectl edit: after the reload, each query is a line in the page\'s format', async () => {
    assert.equal(await editCorefile('s/^        errors$/        log\\n        errors/'), 'configmap/coredns edited\n');
    await reloaded(1);
    const pod = await lab.ok(['get', 'pod', 'dnsutils', '-o', 'jsonpath={.status.podIP}']);
    assert.equal((await exec('dnsutils', 'nslookup', 'kubernetes.default')).code, 0);
    // the page: 172.17.0.18:41675 - ... "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd,ra 106 0.000066649s
    // (CoreDNS 1.11 logs "[INFO] ip:port - id ..." and, authoritative for cluster.local, no ra)
    const line = new RegExp(`^\\[INFO\\] ${pod.replace(/\./g, '\\.')}:\\d+ - \\d+ "A IN kubernetes\\.default\\.svc\\.cluster\\.local\\. udp 54 false 512" ` +
      'NOERROR qr,aa,rd 106 \\d+\\.\\d+s$', 'm');
    await waitFor(async () => line.test(await kubeDnsLogs()), { what: 'the query in the CoreDNS log', show: () => lastLogs });
  });

  test('the search path: a name with fewer than ndots dots is tried with each search domain first', async () => {
    assert.equal((await exec('dnsutils', 'dig', '+search', '+short', 'kubernetes.default')).stdout, '10.96.0.1\n');
    const plain = await exec('dnsutils', 'dig', 'kubernetes.default');
    assert.match(plain.stdout, /status: NXDOMAIN/);
  });
});

describe('DNS for Services and Pods', () => {
  test('a pod\'s A record is its dashed address under <namespace>.pod', async () => {
    const ip = await lab.ok(['get', 'pod', 'dnsutils', '-o', 'jsonpath={.status.podIP}']);
    const r = await exec('dnsutils', 'dig', '+short', `${ip.replace(/\./g, '-')}.default.pod.cluster.local`);
    assert.equal(r.stdout, `${ip}\n`);
  });

  test('SRV records of a Service\'s named ports: _port._proto.service.namespace.svc', async () => {
    const r = await exec('dnsutils', 'dig', '+noall', '+answer', 'SRV', '_dns._udp.kube-dns.kube-system.svc.cluster.local');
    assert.match(r.stdout, /^_dns\._udp\.kube-dns\.kube-system\.svc\.cluster\.local\. 30 IN\tSRV 0 100 53 kube-dns\.kube-system\.svc\.cluster\.local\.\n$/);
  });

  test('the dnsConfig example gets the page\'s resolv.conf (kubectl exec -it dns-example -- cat /etc/resolv.conf)', async () => {
    const r = await lab.kubectl(['exec', '-it', 'dns-example', '--', 'cat', '/etc/resolv.conf']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'nameserver 192.0.2.1\nsearch ns1.svc.cluster-domain.example my.dns.search.suffix\noptions ndots:2 edns0\n');
    // nginx's image is Debian bookworm: dash as sh, and no dig
    const dig = await exec('dns-example', 'sh', '-c', 'dig example.org');
    assert.equal(dig.code, 127);
    assert.match(dig.stderr, /^sh: 1: dig: not found\n/);
  });

  test('dnsPolicy: Default asks the node\'s resolver: the node\'s name from it, other names from the host\'s nameserver', async () => {
    // a kind node's file: Docker's embedded DNS swapped for the kind network's gateway by kind's entrypoint, ndots:0 kept
    const conf = (await exec('node-dns', 'cat', '/etc/resolv.conf')).stdout;
    assert.equal(conf, 'nameserver 172.18.0.1\noptions ndots:0\n');
    const nameserver = '172.18.0.1';
    assert.equal((await exec('node-dns', 'dig', '+short', 'coredns-lab-control-plane')).stdout, '172.18.0.2\n');
    assert.equal((await exec('node-dns', 'dig', '+short', 'example.org')).stdout, '192.0.2.10\n');
    assert.match(upstream.output(), /query\[A\] example\.org from 127\.0\.0\.1/);
    const nx = await exec('node-dns', 'dig', 'a.nowhere.example');
    assert.match(nx.stdout, /status: NXDOMAIN/);
    assert.match(nx.stdout, new RegExp(`;; SERVER: ${nameserver.replace(/\./g, '\\.')}#53`));
  });
});

describe('Customizing DNS Service', () => {
  test('forward . /etc/resolv.conf: a ClusterFirst pod\'s outside name reaches the host\'s nameserver', async () => {
    assert.equal((await exec('dnsutils', 'dig', '+short', 'www.example.org')).stdout, '192.0.2.10\n');
    assert.match(upstream.output(), /query\[A\] www\.example\.org from 127\.0\.0\.1/);
  });

  test('the page\'s stub domain: consul.local goes to 10.150.0.1, which does not answer here: CoreDNS tries for 5 s, then SERVFAIL and its i/o timeout', async () => {
    // the page's server block, typed below the Corefile's last line (before the YAML's `kind:`)
    await editCorefile('s/^kind: ConfigMap$/    consul.local:53 {\\n        errors\\n        cache 30\\n        forward . 10.150.0.1\\n    }\\nkind: ConfigMap/');
    assert.match(await lab.ok(['-n', 'kube-system', 'get', 'configmap', 'coredns', '-o', 'jsonpath={.data.Corefile}']),
      /\n}\nconsul\.local:53 \{\n {4}errors\n {4}cache 30\n {4}forward \. 10\.150\.0\.1\n\}/);
    await reloaded(2);
    // CoreDNS's forward tries again until its 5 s deadline (forward.go ServeDNS), so dig's own 5 s wait
    // ends first: bind's "no servers could be reached", exit 9; waiting longer gets the SERVFAIL
    const early = await exec('dnsutils', 'dig', '+tries=1', 'web.consul.local');
    assert.equal(early.code, 9, early.stderr);
    assert.match(early.stdout, /;; connection timed out; no servers could be reached\n/);
    const r = await exec('dnsutils', 'dig', '+tries=1', '+time=9', 'web.consul.local');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /status: SERVFAIL/);
    await waitFor(async () => /\[ERROR\] plugin\/errors: 2 web\.consul\.local\. A: read udp [\d.]+:\d+->10\.150\.0\.1:53: i\/o timeout/.test(await kubeDnsLogs()),
      { what: 'the forward error in the CoreDNS log', show: () => lastLogs });
    // the rest of the cluster's names are still answered by the main server block
    assert.equal((await exec('dnsutils', 'dig', '+short', 'kubernetes.default.svc.cluster.local')).stdout, '10.96.0.1\n');
  });
});

describe('Autoscale the DNS Service in a Cluster', () => {
  const replicas = () => lab.ok(['get', 'deployment', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.spec.replicas}']);

  test('the autoscaler creates its ConfigMap from --default-params, and the linear parameters keep coredns at 1 on one node', async () => {
    await lab.ok(['apply', '-f', lab.file('dns-horizontal-autoscaler.yaml', AUTOSCALER_YAML)]);
    const data = await waitFor(async () => (await lab.kubectl(['get', 'configmap', 'kube-dns-autoscaler', '-n', 'kube-system', '-o', 'jsonpath={.data.linear}'])).stdout,
      { what: 'the ConfigMap the autoscaler creates', timeout: 40_000 });
    assert.equal(data, '{"coresPerReplica":256,"includeUnschedulableNodes":true,"nodesPerReplica":16,"preventSinglePointFailure":true}');
    await waitFor(async () => (await replicas()) === '1', { what: 'coredns scaled to 1 (one node)', timeout: 40_000 });
  });

  test('ladder mode: the README\'s example patched in sets the nodes\' step', async () => {
    const ladder = '{"coresToReplicas":[[1,1],[64,3],[512,5],[1024,7],[2048,10],[4096,15]],"nodesToReplicas":[[1,3],[2,4]]}';
    await lab.ok(['-n', 'kube-system', 'patch', 'configmap', 'kube-dns-autoscaler', '--type=json', '-p',
      JSON.stringify([{ op: 'remove', path: '/data/linear' }, { op: 'add', path: '/data/ladder', value: ladder }])]);
    await waitFor(async () => (await replicas()) === '3', { what: 'coredns scaled to the ladder\'s 3', timeout: 40_000 });
    // the autoscaler's log says what it read and why it scaled, in cluster-proportional-autoscaler's words
    const logs = await lab.ok(['logs', '-n', 'kube-system', 'deployment/kube-dns-autoscaler']);
    assert.match(logs, /ladder_controller\.go:55\] ConfigMap version change \(old: \d+ new: \d+\) - rebuilding params\n/);
    assert.match(logs, /k8sclient\.go:272\] Cluster status: SchedulableNodes\[1\], SchedulableCores\[\d+\]\n/);
    assert.match(logs, /k8sclient\.go:273\] Replicas are not as expected : updating replicas from 1 to 3\n/);
  });

  test('a ConfigMap the autoscaler cannot use: an error line in its log at each poll, and the replicas stay', async () => {
    await lab.ok(['-n', 'kube-system', 'patch', 'configmap', 'kube-dns-autoscaler', '--type=merge', '-p', JSON.stringify({ data: { ladder: '{not json' } })]);
    const logs = () => lab.ok(['logs', '-n', 'kube-system', 'deployment/kube-dns-autoscaler']);
    await waitFor(async () => /\nE\d{4} [\d:.]+ +1 autoscaler_server\.go:\d+\] Error syncing configMap with controller: error parsing ladder params: /.test(await logs()),
      { what: 'the autoscaler\'s error line', timeout: 40_000 });
    assert.equal(await replicas(), '3');
  });

});
