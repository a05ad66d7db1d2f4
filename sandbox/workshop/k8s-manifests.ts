// A workshop that outgrows one machine, on a real Kubernetes cluster: seats as pods of a
// StatefulSet (each pod one `coredns-lab serve` with its embedded sandbox inside; the pod is the
// seat's isolation boundary), and the workshop front end as a Deployment that hands out seats
// and forwards each seat's traffic to its pod (`workshop --remote-seats`). Printed by
// `coredns-lab workshop --print-manifests`; validated with `kubectl apply --dry-run=server`.
import { stringify } from 'yaml';
import type { WorkshopPlan } from './plan.ts';

export interface ManifestOptions {
  plan: WorkshopPlan;
  seats: number;
  image: string;
  namespace: string;
  /** the name or address learners type (the front end's Service address) */
  publicHost: string;
  /** the instructor's port; seat N is on port+N */
  port: number;
}

/** where a seat pod's lab listens */
export const SEAT_POD_PORT = 4321;
const PART = 'app.kubernetes.io/part-of';
const COMPONENT = 'app.kubernetes.io/component';

const hardened = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export function workshopManifests(o: ManifestOptions): object[] {
  const seats = o.plan.seats.slice(0, o.seats);
  const labels = (component: string) => ({ [PART]: 'coredns-lab-workshop', [COMPONENT]: component });
  const meta = (name: string, component: string) => ({ name, namespace: o.namespace, labels: labels(component) });
  const tokens: Record<string, string> = {};
  // a StatefulSet names its pods seat-0, seat-1, ...; the plan's seat-01 is pod seat-0
  seats.forEach((s, i) => (tokens[`seat-${i}`] = s.token));
  const frontPlan = { ...o.plan, seats };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace, labels: { [PART]: 'coredns-lab-workshop' } } },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('seat-tokens', 'seat'), type: 'Opaque', stringData: tokens },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('workshop-plan', 'front-end'), type: 'Opaque', stringData: { 'workshop.json': JSON.stringify(frontPlan, null, 2) } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('seats', 'seat'),
      spec: { clusterIP: 'None', selector: labels('seat'), ports: [{ name: 'lab', port: SEAT_POD_PORT, targetPort: SEAT_POD_PORT }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('seat', 'seat'),
      spec: {
        serviceName: 'seats',
        replicas: seats.length,
        // seats are independent: start them all at once
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: labels('seat') },
        template: {
          metadata: { labels: labels('seat') },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            containers: [
              {
                name: 'lab',
                image: o.image,
                imagePullPolicy: 'IfNotPresent',
                args: [
                  'serve', '--host', '0.0.0.0', '--allow-remote', '--port', String(SEAT_POD_PORT), '--state-dir', '/var/lib/coredns-lab',
                  '--token-file', '/var/run/coredns-lab/tokens/$(POD_NAME)',
                ],
                env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
                ports: [{ name: 'lab', containerPort: SEAT_POD_PORT }],
                readinessProbe: { tcpSocket: { port: SEAT_POD_PORT }, periodSeconds: 5 },
                // measured: about 110 MB for a seat's lab, cluster and a shell at rest (sandbox/WORKSHOP.md)
                resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '768Mi' } },
                securityContext: hardened,
                volumeMounts: [
                  { name: 'state', mountPath: '/var/lib/coredns-lab' },
                  { name: 'tokens', mountPath: '/var/run/coredns-lab/tokens', readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'state', emptyDir: { sizeLimit: '1Gi' } },
              { name: 'tokens', secret: { secretName: 'seat-tokens', defaultMode: 0o400 } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('workshop', 'front-end'),
      spec: {
        replicas: 1,
        selector: { matchLabels: labels('front-end') },
        template: {
          metadata: { labels: labels('front-end') },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            containers: [
              {
                name: 'workshop',
                image: o.image,
                imagePullPolicy: 'IfNotPresent',
                args: [
                  'workshop', '--seats', String(seats.length), '--host', '0.0.0.0', '--port', String(o.port), '--public-host', o.publicHost,
                  '--state-dir', '/var/lib/coredns-lab-workshop', '--plan-file', '/var/run/coredns-lab/workshop.json',
                  '--remote-seats', `seat-{index}.seats.${o.namespace}.svc.cluster.local:${SEAT_POD_PORT}`,
                ],
                ports: [{ name: 'instructor', containerPort: o.port }, ...seats.map((s, i) => ({ name: `s${i + 1}`, containerPort: o.port + i + 1 }))],
                readinessProbe: { tcpSocket: { port: o.port }, periodSeconds: 5 },
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                securityContext: hardened,
                volumeMounts: [
                  { name: 'state', mountPath: '/var/lib/coredns-lab-workshop' },
                  { name: 'plan', mountPath: '/var/run/coredns-lab', readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'state', emptyDir: {} },
              { name: 'plan', secret: { secretName: 'workshop-plan', defaultMode: 0o400 } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('workshop', 'front-end'),
      spec: {
        type: 'LoadBalancer',
        selector: labels('front-end'),
        ports: [
          { name: 'instructor', port: o.port, targetPort: o.port },
          ...seats.map((s, i) => ({ name: `s${i + 1}`, port: o.port + i + 1, targetPort: o.port + i + 1 })),
        ],
      },
    },
  ];
}

export function manifestsYaml(o: ManifestOptions): string {
  return workshopManifests(o).map((m) => stringify(m, { lineWidth: 0 })).join('---\n');
}
