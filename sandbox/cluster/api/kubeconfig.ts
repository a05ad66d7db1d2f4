// A kubeconfig for the embedded API as kops writes one for its admin: the https server, the
// cluster CA inline (certificate-authority-data) and the admin's bearer token. Never
// insecure-skip-tls-verify: every client verifies the serving certificate against the CA.
export interface KubeconfigInput {
  /** https://127.0.0.1:<port> */
  server: string;
  /** PEM of the cluster CA */
  caPem: string;
  token: string;
  namespace?: string;
}

export function kubeconfigFor(k: KubeconfigInput): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: coredns-lab',
    '  cluster:',
    `    server: ${k.server}`,
    `    certificate-authority-data: ${Buffer.from(k.caPem).toString('base64')}`,
    'contexts:',
    '- name: coredns-lab',
    '  context:',
    '    cluster: coredns-lab',
    '    user: admin',
    `    namespace: ${k.namespace ?? 'default'}`,
    'current-context: coredns-lab',
    'users:',
    '- name: admin',
    '  user:',
    `    token: ${k.token}`,
    '',
  ].join('\n');
}
