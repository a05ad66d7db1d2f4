// A kubeconfig for the embedded API: plain http on 127.0.0.1, no credentials (kubectl sends
// none over http anyway). insecure-skip-tls-verify lets @kubernetes/client-node 1.x accept http.
export function kubeconfigFor(url: string, namespace = 'default'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: coredns-lab',
    '  cluster:',
    `    server: ${url}`,
    '    insecure-skip-tls-verify: true',
    'contexts:',
    '- name: coredns-lab',
    '  context:',
    '    cluster: coredns-lab',
    '    user: learner',
    `    namespace: ${namespace}`,
    'current-context: coredns-lab',
    'users:',
    '- name: learner',
    '  user: {}',
    '',
  ].join('\n');
}
