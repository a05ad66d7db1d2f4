import { notYetAvailable } from '../command.ts';

export const sandbox = notYetAvailable(
  'sandbox',
  'start, inspect, reset or stop the sandbox cluster',
  'coredns-lab sandbox up|status|reset|down [options]',
  [
    { name: 'provider', type: 'string', description: 'embedded, kind, minikube or existing', default: 'embedded' },
    { name: 'state-dir', type: 'string', description: 'where the sandbox keeps its state', default: '.coredns-lab' },
    { name: 'dns-port', type: 'string', description: 'publish the kube-dns Service on 127.0.0.1:<port> for host tools such as dig' },
    { name: 'json', type: 'boolean', description: 'status as JSON' },
  ],
  'the embedded cluster (issue "Embedded cluster, part 2")',
);
