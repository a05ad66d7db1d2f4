// The text the checks read out of kubectl: busybox's nslookup, a pod's resolv.conf, and the
// API reasons in kubectl's stderr. One named table per parser.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNslookup, type NslookupAnswer } from '../../../sandbox/checks/kinds/nslookup.ts';
import { parseResolvConf, type ResolvConf } from '../../../sandbox/checks/kinds/resolv-conf.ts';
import { errorLines, errorReasons } from '../../../sandbox/checks/kubectl.ts';

describe('parseNslookup', () => {
  const rows: { name: string; text: string; want: NslookupAnswer }[] = [
    {
      name: 'busybox 1.28, answered (the chapter Status Quo)',
      text: [
        'Server:    100.64.0.10',
        'Address 1: 100.64.0.10 kube-dns.kube-system.svc.cluster.local',
        '',
        'Name:      kubernetes.default',
        'Address 1: 100.64.0.1 kubernetes.default.svc.cluster.local',
        '',
      ].join('\n'),
      want: { server: '100.64.0.10', serverName: 'kube-dns.kube-system.svc.cluster.local', name: 'kubernetes.default', addresses: [{ ip: '100.64.0.1', name: 'kubernetes.default.svc.cluster.local' }] },
    },
    {
      name: 'busybox 1.28, answered without reverse names (CoreDNS 0.9.9 with a /13)',
      text: 'Server:    100.64.0.10\nAddress 1: 100.64.0.10\n\nName:      kubernetes.default\nAddress 1: 100.64.0.1\n',
      want: { server: '100.64.0.10', name: 'kubernetes.default', addresses: [{ ip: '100.64.0.1' }] },
    },
    {
      name: 'busybox 1.28, several answer addresses',
      text: 'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: 10.244.1.5 web-0.web.default.svc.cluster.local\nAddress 2: 10.244.2.6 web-1.web.default.svc.cluster.local\n',
      want: { server: '10.96.0.10', serverName: 'kube-dns.kube-system.svc.cluster.local', name: 'web', addresses: [{ ip: '10.244.1.5', name: 'web-0.web.default.svc.cluster.local' }, { ip: '10.244.2.6', name: 'web-1.web.default.svc.cluster.local' }] },
    },
    {
      name: 'busybox 1.28, cannot resolve',
      text: "Server:    100.64.0.10\nAddress 1: 100.64.0.10\n\nnslookup: can't resolve 'kubernetes.default'\n",
      want: { server: '100.64.0.10', addresses: [], error: "nslookup: can't resolve 'kubernetes.default'" },
    },
    {
      name: 'newer busybox layout with a port on the server address',
      text: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n',
      want: { server: '10.96.0.10', name: 'kubernetes.default.svc.cluster.local', addresses: [{ ip: '10.96.0.1' }] },
    },
    {
      name: 'newer busybox, NXDOMAIN',
      text: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find nope.default: NXDOMAIN\n",
      want: { server: '10.96.0.10', addresses: [], error: "** server can't find nope.default: NXDOMAIN" },
    },
    {
      name: 'no nslookup output at all (exec failed)',
      text: 'error: unable to upgrade connection: container not found ("busybox")\n',
      want: { addresses: [] },
    },
  ];
  for (const r of rows) test(r.name, () => assert.deepEqual(parseNslookup(r.text), r.want));
});

describe('parseResolvConf', () => {
  const rows: { name: string; text: string; want: ResolvConf }[] = [
    {
      name: 'a pod with dnsPolicy ClusterFirst on the kops cluster',
      text: 'nameserver 100.64.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local eu-central-1.compute.internal\noptions ndots:5\n',
      want: { nameservers: ['100.64.0.10'], search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'eu-central-1.compute.internal'], options: ['ndots:5'] },
    },
    {
      name: 'comments, blank lines, two nameservers, tabs',
      text: '# written by the kubelet\n\nnameserver\t10.96.0.10\nnameserver 8.8.8.8 ; fallback\nsearch  kube-system.svc.cluster.local svc.cluster.local\noptions ndots:5 timeout:1\n',
      want: { nameservers: ['10.96.0.10', '8.8.8.8'], search: ['kube-system.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5', 'timeout:1'] },
    },
    {
      name: 'a later search line replaces an earlier domain line',
      text: 'domain example.com\nsearch a.example b.example\nnameserver 1.1.1.1\n',
      want: { nameservers: ['1.1.1.1'], search: ['a.example', 'b.example'], options: [] },
    },
    { name: 'empty file', text: '', want: { nameservers: [], search: [], options: [] } },
  ];
  for (const r of rows) test(r.name, () => assert.deepEqual(parseResolvConf(r.text), r.want));
});

describe('kubectl error reasons', () => {
  const rows: { name: string; stderr: string; reasons: string[]; lines: number }[] = [
    { name: 'AlreadyExists from create -f', stderr: 'Error from server (AlreadyExists): error when creating "templates/busybox.yaml": pods "busybox" already exists\n', reasons: ['AlreadyExists'], lines: 1 },
    { name: 'NotFound from delete', stderr: 'Error from server (NotFound): deployments.apps "kube-dns" not found\n', reasons: ['NotFound'], lines: 1 },
    {
      name: 'several objects, mixed reasons',
      stderr: 'Error from server (AlreadyExists): error when creating "x.yaml": serviceaccounts "coredns" already exists\nError from server (Forbidden): error when creating "x.yaml": clusterroles.rbac.authorization.k8s.io is forbidden\n',
      reasons: ['AlreadyExists', 'Forbidden'],
      lines: 2,
    },
    { name: 'an error line without a reason counts as Unknown', stderr: 'Error from server: etcdserver: request timed out\n', reasons: ['Unknown'], lines: 1 },
    { name: 'a client-side error has no API reason', stderr: 'error: the path "templates/nope.yaml" does not exist\n', reasons: [], lines: 1 },
    { name: 'connection refused', stderr: 'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n', reasons: [], lines: 1 },
    { name: 'unable to connect', stderr: 'Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout\n', reasons: [], lines: 1 },
    { name: 'empty stderr', stderr: '', reasons: [], lines: 0 },
  ];
  for (const r of rows) {
    test(r.name, () => {
      assert.deepEqual(errorReasons(r.stderr), r.reasons);
      assert.equal(errorLines(r.stderr).length, r.lines);
    });
  }
});
