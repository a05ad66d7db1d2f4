// The chapter through the page on `serve --provider kind`, with the fake kind and docker over an
// embedded cluster playing a fresh kind cluster (support/provider-lab.ts), typed from start to end.
import { providerChapter } from './support/provider-chapter.ts';

providerChapter({
  provider: 'kind',
  commands: ['docker info --format', 'kind get clusters', 'kind create cluster', 'docker build -t', 'kind load docker-image'],
  node: 'coredns-lab-control-plane',
  templates: ['coredns-kind.yaml', 'coredns-service-kind.yaml'],
});
