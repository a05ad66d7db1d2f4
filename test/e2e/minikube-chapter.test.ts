// The chapter through the page on `serve --provider minikube`, with the fake minikube and docker
// over an embedded cluster playing a fresh minikube profile (support/provider-lab.ts), typed from
// start to end.
import { providerChapter } from './support/provider-chapter.ts';

providerChapter({
  provider: 'minikube',
  commands: ['docker info --format', 'minikube profile list', 'minikube start -p', 'docker build -t', 'minikube image load'],
  node: 'coredns-lab',
  templates: ['coredns-minikube.yaml', 'coredns-service-minikube.yaml'],
});
