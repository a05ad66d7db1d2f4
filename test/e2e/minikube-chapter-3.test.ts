// The chapter through the page on minikube, lesson 4: after `solve deploy-coredns` (with the minikube
// templates), "Switch to CoreDNS" typed from the minikube Service template the page shows.
import { providerChapterPart } from './support/provider-chapter.ts';

providerChapterPart({
  provider: 'minikube',
  solveUpTo: 'deploy-coredns',
  solvedWith: [/templates\/coredns-minikube\.yaml/],
  lessons: ['switch-to-coredns'],
  title: 'solve runs the minikube template on the minikube cluster; Switch to CoreDNS, typed, turns green',
});
