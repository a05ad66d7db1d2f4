// The shape of lessons/: what a lesson folder holds, as types. lessons/ is data only (it imports
// nothing); load-lessons.ts reads it and checks every field against these types at the edge, so
// a typo in a steps.yaml is an error naming the file, the step and the field, not a crash later.
//
//   lessons/index.yaml          title, lessons: [id, ...] in chapter order
//   lessons/<id>/lesson.md      front matter (title, summary), then the lesson's introduction
//   lessons/<id>/steps.yaml     the steps: what to type, what it shows, the check, the solve

export interface Chapter {
  title: string;
  lessons: Lesson[];
}

export interface Lesson {
  /** folder name, e.g. "status-quo" */
  id: string;
  title: string;
  /** one line for the outline */
  summary: string;
  /** Markdown before the first step */
  intro: string;
  steps: Step[];
}

export interface Step {
  /** unique within the lesson; "<lesson>/<step>" is the step's address everywhere */
  id: string;
  title: string;
  /** Markdown: what the step does and why, in our words */
  body: string;
  /** the commands to type, exactly as the terminal takes them (run from lessons/, so templates/ resolves) */
  commands: string[];
  /** every check must pass for the step to pass; read the cluster, never the transcript */
  checks: CheckSpec[];
  /** what `coredns-lab solve` does to reach the state after this step (after solving the steps before it) */
  solve: SolveAction[];
}

/** A Kubernetes object reference; namespace defaults to "default" for namespaced kinds. */
export interface ObjectRef {
  namespace?: string;
  name: string;
}

/** A label selector written as in kubectl -l: "k8s-app=coredns" (equality terms joined by commas). */
export type Selector = string;

export type CheckSpec =
  /** the Service exists; with `selector`, its spec.selector is exactly that; with `endpoints`, it has ready endpoints */
  | { kind: 'service'; namespace: string; name: string; selector?: Selector; endpoints?: boolean }
  /** the Service's ready endpoint IPs are exactly the IPs of the Running, Ready pods matching podSelector (and there is at least one) */
  | { kind: 'endpoints-match-pods'; namespace: string; service: string; podSelector: Selector }
  /** at least `min` (default 1) pods, by name or selector, are Running and Ready */
  | { kind: 'pods-ready'; namespace: string; name?: string; selector?: Selector; min?: number }
  /** the Deployment has at least one available replica and all replicas updated */
  | { kind: 'deployment-available'; namespace: string; name: string }
  /** each object exists (kind as kubectl names it: serviceaccount, clusterrole, configmap, ...) */
  | { kind: 'exists'; objects: Array<{ kind: string; namespace?: string; name: string }> }
  /** the object does not exist */
  | { kind: 'absent'; object: { kind: string; namespace?: string; name: string } }
  /** at least `min` nodes are Ready */
  | { kind: 'nodes-ready'; min?: number }
  /**
   * `nslookup <query>` run in the pod answers: the Server line is the ClusterIP of `server` (the
   * cluster DNS Service) and an Address line is the ClusterIP of `answer`
   */
  | { kind: 'nslookup'; pod: ObjectRef; query: string; server: ObjectRef; answer: ObjectRef }
  /** the pod's /etc/resolv.conf names the ClusterIP of `server` and searches `search` in order */
  | { kind: 'resolv-conf'; pod: ObjectRef; server: ObjectRef; search: string[] }
  /** the logs of a pod matching podSelector (any container) have a line matching `pattern` (a regular expression) */
  | { kind: 'logs-contain'; namespace: string; podSelector: Selector; pattern: string; describe: string };

export type CheckKind = CheckSpec['kind'];

export type SolveAction =
  /**
   * run the real kubectl with these arguments (a string split on spaces); `ignore` lists API
   * reasons that count as done, e.g. AlreadyExists
   */
  | { kubectl: string; ignore?: string[] }
  /** wait until this check passes (default 90 s) */
  | { waitFor: CheckSpec; timeoutSeconds?: number };

/** What a check says. Values come from the cluster, never from the chapter's literals. */
export interface CheckResult {
  status: 'pass' | 'fail' | 'error';
  /** what the step asks for, in words with the cluster's values */
  expected: string;
  /** what the cluster shows */
  actual: string;
  /** on fail or error: what to do about it */
  hint?: string;
}

export interface StepResult extends CheckResult {
  /** "<lesson>/<step>" */
  step: string;
  /** one per check of the step, in order */
  checks: CheckResult[];
}
