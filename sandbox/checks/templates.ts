// Which of lessons/templates/ fit the cluster the lab runs on, and the chapter with those files
// named in its commands, solves and prose. The lessons are written for the chapter's kops cluster
// (service CIDR 100.64.0.0/13, DNS at 100.64.0.10); on kind and minikube the kube-dns Service sits
// at 10.96.0.10, and applying the kops Service there fails (a ClusterIP cannot change), so the
// page, `solve` and the server's solves name the kind or minikube files instead
// (lessons/README.md, "templates/").
import type { Chapter, Lesson, Step } from './schema.ts';

export type TemplateSet = 'kops' | 'kind' | 'minikube';

/** what the lab knows of its cluster: the provider that made it, its context, the profile the embedded one plays */
export interface ClusterKind {
  provider: string;
  context?: string;
  profile?: string;
}

/** kind and minikube clusters (made by the lab, played by the embedded one, or an existing one by its context name) take their own files */
export function templateSetFor(c: ClusterKind): TemplateSet {
  if (c.provider === 'kind' || c.provider === 'minikube') return c.provider;
  if (c.provider === 'embedded') return c.profile === 'kind' || c.profile === 'minikube' ? c.profile : 'kops';
  if (c.provider === 'existing' && c.context) {
    if (c.context.startsWith('kind-')) return 'kind';
    if (c.context === 'minikube') return 'minikube';
  }
  return 'kops';
}

/** the kops file each of the others replaces: templates/<name> -> templates/<name for the set> */
const FILES: Record<Exclude<TemplateSet, 'kops'>, Record<string, string>> = {
  kind: { 'coredns-kops.yaml': 'coredns-kind.yaml', 'coredns-service.yaml': 'coredns-service-kind.yaml' },
  minikube: { 'coredns-kops.yaml': 'coredns-minikube.yaml', 'coredns-service.yaml': 'coredns-service-minikube.yaml' },
};

/** the chapter naming the set's files wherever it names a kops one (`templates/<file>`) */
export function withTemplates(chapter: Chapter, set: TemplateSet): Chapter {
  if (set === 'kops') return chapter;
  const files = FILES[set];
  const swap = (s: string): string => s.replace(/\btemplates\/([\w.-]+\.yaml)\b/g, (m: string, f: string) => (files[f] ? `templates/${files[f]}` : m));
  const step = (s: Step): Step => ({
    ...s,
    body: swap(s.body),
    commands: s.commands.map(swap),
    solve: s.solve.map((a) => ('kubectl' in a ? { ...a, kubectl: swap(a.kubectl) } : a)),
  });
  const lesson = (l: Lesson): Lesson => ({ ...l, intro: swap(l.intro), steps: l.steps.map(step) });
  return { ...chapter, lessons: chapter.lessons.map(lesson) };
}
