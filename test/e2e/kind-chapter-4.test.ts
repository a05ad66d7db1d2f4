// The chapter through the page on kind, the last lesson: after `solve switch-to-coredns` (with
// the kind templates), "Delete kube-dns" typed until the chapter is complete.
import { providerChapterPart } from './support/provider-chapter.ts';

providerChapterPart({
  provider: 'kind',
  solveUpTo: 'switch-to-coredns',
  solvedWith: [/templates\/coredns-kind\.yaml/, /templates\/coredns-service-kind\.yaml/],
  lessons: ['delete-kube-dns'],
  title: 'solve runs the kind templates on the kind cluster; Delete kube-dns, typed, completes the chapter',
  completes: true,
});
