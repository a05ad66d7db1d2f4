// The chapter through the page on kind, lesson 4: after `solve deploy-coredns` (with the kind
// templates), "Switch to CoreDNS" typed from the kind Service template the page shows.
import { providerChapterPart } from './support/provider-chapter.ts';

providerChapterPart({
  provider: 'kind',
  solveUpTo: 'deploy-coredns',
  solvedWith: [/templates\/coredns-kind\.yaml/],
  lessons: ['switch-to-coredns'],
  title: 'solve runs the kind template on the kind cluster; Switch to CoreDNS, typed, turns green',
});
