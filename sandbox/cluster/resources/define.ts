// A resource declaration whose strategy sees its own kind's type from kubernetes-types
// (`defineResource<Pod>({...})`), so field labels, defaulting and validation read `obj.spec`
// as a PodSpec instead of an untyped bag. The registry and the store stay generic over
// KubeObject: the store only ever hands a strategy objects of the resource it declares.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import type { ReviewContext } from '../auth/review.ts';
import type { FieldError } from '../errors.ts';
import type { ResourceDef, StrategyContext } from './types.ts';

/**
 * an object as the store holds it (apiVersion, kind and metadata set), typed as its kind; the
 * strategies write .status, which kubernetes-types marks readonly for clients
 */
export type Obj<T> = { -readonly [K in keyof T]: T[K] } & KubeObject;

type Typed =
  | 'fieldLabels' | 'scale' | 'virtual' | 'admitWrite' | 'prepareForCreate' | 'prepareForUpdate' | 'validate' | 'validateUpdate'
  | 'prepareForDelete' | 'holdsDeletion';

export interface TypedResourceDef<T> extends Omit<ResourceDef, Typed> {
  fieldLabels?: Record<string, (o: Obj<T>) => string | undefined>;
  scale?: { selector: (o: Obj<T>) => string };
  virtual?: (obj: Obj<T>, review?: ReviewContext, store?: ClusterStore) => KubeObject;
  admitWrite?(obj: Obj<T>, review: ReviewContext | undefined): void;
  prepareForCreate?(obj: Obj<T>, ctx: StrategyContext): void;
  prepareForUpdate?(obj: Obj<T>, old: Obj<T>, ctx: StrategyContext): void;
  validate?(obj: Obj<T>, ctx: StrategyContext): FieldError[];
  validateUpdate?(obj: Obj<T>, old: Obj<T>, ctx: StrategyContext): FieldError[];
  prepareForDelete?(obj: Obj<T>): void;
  holdsDeletion?(obj: Obj<T>): boolean;
}

export function defineResource<T>(def: TypedResourceDef<T>): ResourceDef {
  return def as unknown as ResourceDef;
}
