// kind's cluster reused, restored and deleted from the command line (provider-lifecycle.ts).
// Commands as kind documents them: https://kind.sigs.k8s.io/docs/user/quick-start/ (get clusters,
// export kubeconfig --name, load docker-image --name, delete cluster --name).
import { reuseRestoreDown } from './provider-lifecycle.ts';

reuseRestoreDown({
  provider: 'kind',
  reuseCommands: [
    'docker info --format {{.ServerVersion}}',
    'kind get clusters',
    'kind export kubeconfig --name coredns-lab --kubeconfig <state>/kubeconfig',
    'docker build -t coredns-lab/dns-server:1.11.3 <root>/dns-server/',
    'kind load docker-image coredns-lab/dns-server:1.11.3 --name coredns-lab',
  ],
  downCommands: ['docker info --format {{.ServerVersion}}', 'kind delete cluster --name coredns-lab --kubeconfig <state>/kubeconfig'],
});
