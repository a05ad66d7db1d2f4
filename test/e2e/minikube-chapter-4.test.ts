// The chapter through the page on minikube, the last lesson: after `solve switch-to-coredns` (with
// the minikube templates), "Delete kube-dns" typed until the chapter is complete.
import { providerChapterPart } from './support/provider-chapter.ts';

providerChapterPart({
  provider: 'minikube',
  solveUpTo: 'switch-to-coredns',
  solvedWith: [/templates\/coredns-minikube\.yaml/, /templates\/coredns-service-minikube\.yaml/],
  lessons: ['delete-kube-dns'],
  title: 'solve runs the minikube templates on the minikube cluster; Delete kube-dns, typed, completes the chapter',
  completes: true,
});
