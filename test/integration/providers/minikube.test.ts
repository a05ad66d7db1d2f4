// The chapter through the minikube provider (fake minikube and docker). The commands are those of
// minikube's docs: https://minikube.sigs.k8s.io/docs/commands/ (start -p --driver, image load -p,
// delete -p, profile list -o json).
import { chapterThroughProvider } from './provider-chapter.ts';

chapterThroughProvider({
  provider: 'minikube',
  context: 'coredns-lab',
  upCommands: [
    'docker info --format {{.ServerVersion}}',
    'minikube profile list -o json',
    'minikube start -p coredns-lab --driver=docker',
    'docker build -t coredns-lab/dns-server:1.11.3 <root>/dns-server/',
    'minikube image load coredns-lab/dns-server:1.11.3 -p coredns-lab',
  ],
  downCommands: ['docker info --format {{.ServerVersion}}', 'minikube delete -p coredns-lab'],
});
