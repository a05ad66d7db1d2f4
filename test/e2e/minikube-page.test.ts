// The page on `serve --provider minikube`, with the fake minikube and docker over an embedded
// cluster playing a fresh minikube profile (support/provider-smoke.ts).
import { providerSmoke } from './support/provider-smoke.ts';

providerSmoke({
  provider: 'minikube',
  commands: ['docker info --format', 'minikube profile list', 'minikube start -p', 'docker build -t', 'minikube image load'],
  node: 'coredns-lab',
  template: 'coredns-minikube.yaml',
});
