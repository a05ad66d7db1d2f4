// What one resource declares: its name in the API (GVR, kind, scope, short names) and its
// strategy (defaulting, validation, field selectors). The store and the HTTP layer are generic
// over these declarations; adding a resource means adding one file and one line in index.ts.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import type { ReviewContext } from '../auth/review.ts';
import type { FieldError } from '../errors.ts';

export interface SubresourceDef {
  name: 'status' | 'scale' | 'log' | 'exec' | 'attach' | 'portforward' | 'proxy' | 'binding' | 'eviction' | 'ephemeralcontainers' | 'approval';
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** What strategies may look at besides the object: other objects (for allocation) and settings. */
export interface StrategyContext {
  now: Date;
  /** the service CIDR ClusterIPs come from, e.g. "100.64.0.0/13" */
  serviceCIDR: string;
  list(resource: string, namespace?: string): KubeObject[];
  /** true for dry-run requests: allocate nothing lasting */
  dryRun: boolean;
  /** on update, list() leaves out the object being updated */
  operation: 'create' | 'update';
  /** the subresource an update goes through ("finalize" for a namespace's spec.finalizers) */
  subresource?: string;
}

export type FieldGetter = (o: KubeObject) => string | undefined;

/** between a served version and the version the store keeps (autoscaling/v1 HPAs are stored as v2) */
export interface Conversion {
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

export interface ResourceDef {
  group: string;
  version: string;
  /** plural, lower case: "pods" */
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: SubresourceDef[];
  /**
   * a version served on top of another's storage: the store keeps the storage version's objects
   * (the def of the same resource without `conversion` is the store's), the API converts
   */
  conversion?: Conversion;
  /** a deprecated kind: every request to it gets this `Warning: 299` header (ComponentStatus) */
  deprecationWarning?: string;
  /** defaults to all eight (create, delete, deletecollection, get, list, patch, update, watch) */
  verbs?: string[];
  /** bump metadata.generation when anything outside metadata and status changes */
  hasGeneration?: boolean;
  /** writes to the main resource keep the stored .status (the status subresource owns it) */
  statusSubresource?: boolean;
  /** field selectors beyond metadata.name and metadata.namespace */
  fieldLabels?: Record<string, FieldGetter>;
  /** pods: delete sets deletionTimestamp, and whoever runs the pod finishes with finalizeDelete */
  gracefulDelete?: boolean;
  /** on delete, before the store decides whether the object goes (a namespace turns Terminating) */
  prepareForDelete?(obj: KubeObject): void;
  /** keeps an object being deleted besides its metadata.finalizers (a namespace's spec.finalizers) */
  holdsDeletion?(obj: KubeObject): boolean;
  /** create-only review resources (SelfSubjectAccessReview): answered for the requesting user, never stored */
  virtual?: (obj: KubeObject, review?: ReviewContext, store?: ClusterStore) => KubeObject;
  /** for /scale: where replicas and the selector live */
  scale?: { selector: (o: KubeObject) => string };
  /** RBAC objects: refuse a write that grants more than its writer holds (the escalation check) */
  admitWrite?(obj: KubeObject, review: ReviewContext | undefined): void;
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  validate?(obj: KubeObject, ctx: StrategyContext): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): FieldError[];
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const statusSub = (kind: string): SubresourceDef => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });

/** "pods", "deployments.apps": the name the store is keyed by */
export function resourceName(def: Pick<ResourceDef, 'resource' | 'group'>): string {
  return def.group ? `${def.resource}.${def.group}` : def.resource;
}

export function groupVersion(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}
