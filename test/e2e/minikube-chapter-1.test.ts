// The chapter through the page on minikube, lessons 1-2 from the chapter's start (minikube-page
// checks the badge, the context and the fake tools' commands; -2 to -4 play the rest).
import { providerChapterPart } from './support/provider-chapter.ts';

providerChapterPart({
  provider: 'minikube',
  lessons: ['prerequisites', 'status-quo'],
  title: 'Prerequisites and the Status Quo, typed on the minikube profile, turn green',
});
