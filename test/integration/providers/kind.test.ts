// The chapter through the kind provider (fake kind and docker). The commands are those of kind's
// quick start: https://kind.sigs.k8s.io/docs/user/quick-start/ (create cluster --name --config
// --kubeconfig --wait, load docker-image --name, delete cluster --name).
import { chapterThroughProvider } from './provider-chapter.ts';

chapterThroughProvider({
  provider: 'kind',
  context: 'kind-coredns-lab',
  upCommands: [
    'docker info --format {{.ServerVersion}}',
    'kind get clusters',
    'kind create cluster --name coredns-lab --config <state>/kind-config.yaml --kubeconfig <state>/kubeconfig --wait 120s',
    'docker build -t coredns-lab/dns-server:1.11.3 <root>/dns-server/',
    'kind load docker-image coredns-lab/dns-server:1.11.3 --name coredns-lab',
  ],
  downCommands: ['docker info --format {{.ServerVersion}}', 'kind delete cluster --name coredns-lab --kubeconfig <state>/kubeconfig'],
});
