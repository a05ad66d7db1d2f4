// The chapter through the page on minikube, lesson 3 (minikube-chapter-1 plays lessons 1-2, -3 and -4 the
// rest): after `solve status-quo`, "Deploy CoreDNS" typed from the minikube template the page shows.
import { providerChapterPart } from './support/provider-chapter.ts';

providerChapterPart({
  provider: 'minikube',
  solveUpTo: 'status-quo',
  solvedWith: [/templates\/busybox\.yaml/],
  lessons: ['deploy-coredns'],
  title: 'after solving the Status Quo, Deploy CoreDNS typed from the minikube template turns green',
});
