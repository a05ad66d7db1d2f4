// The chapter's sections as the page lists them until the lessons land (issue: lessons).
// Titles follow the chapter; the one-line summaries are ours.

export interface OutlineSection {
  id: string;
  title: string;
  summary: string;
}

export const chapterTitle = 'Using CoreDNS for Service Discovery';

export const outline: OutlineSection[] = [
  {
    id: 'prerequisites',
    title: 'Pre-requisites',
    summary: 'A kops-style cluster with three masters and five nodes is already running for you. Every command in this lab runs against it.',
  },
  {
    id: 'status-quo',
    title: 'Status Quo',
    summary: 'Look at the kube-dns Service, start a busybox pod, and resolve a Service name from inside it to see how cluster DNS answers today.',
  },
  {
    id: 'deploy-coredns',
    title: 'Deploy CoreDNS',
    summary: 'Create the CoreDNS ServiceAccount, RBAC, ConfigMap and Deployment from templates/, then watch its pod start and read its logs.',
  },
  {
    id: 'switch-to-coredns',
    title: 'Switch to CoreDNS',
    summary: 'Point the kube-dns Service at the CoreDNS pods, and check that names still resolve, now answered by CoreDNS.',
  },
  {
    id: 'delete-kube-dns',
    title: 'Delete kube-dns deployment (optional)',
    summary: 'Remove the old kube-dns Deployment and its autoscaler, and confirm that DNS keeps working without them.',
  },
];
