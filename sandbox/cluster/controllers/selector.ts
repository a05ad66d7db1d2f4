// Selectors as the controllers use them. Workload selectors (matchLabels/matchExpressions) are
// the API's one implementation (../resources/label-selector.ts); a Service selector is a plain
// map whose emptiness means "no managed endpoints", which is the rule kept here.
export { selectorMatches, type LabelSelectorObject as LabelSelector } from '../resources/label-selector.ts';

/** A Service selector is a plain map; an empty or missing one selects nothing (no managed endpoints). */
export function serviceSelects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  const l = labels ?? {};
  return Object.entries(selector).every(([k, v]) => l[k] === v);
}
