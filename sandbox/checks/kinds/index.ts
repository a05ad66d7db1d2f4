// Every check kind, by the name steps.yaml uses. The mapped type makes a kind added to
// schema.ts without a module here a type error.
import type { CheckKind } from '../schema.ts';
import type { CheckFn } from './env.ts';
import { absent } from './absent.ts';
import { deploymentAvailable } from './deployment-available.ts';
import { endpointsMatchPods } from './endpoints-match-pods.ts';
import { exists } from './exists.ts';
import { logsContain } from './logs-contain.ts';
import { nodesReady } from './nodes-ready.ts';
import { nslookup } from './nslookup.ts';
import { podsReady } from './pods-ready.ts';
import { resolvConf } from './resolv-conf.ts';
import { service } from './service.ts';

export const KINDS: { [K in CheckKind]: CheckFn<K> } = {
  service,
  'endpoints-match-pods': endpointsMatchPods,
  'pods-ready': podsReady,
  'deployment-available': deploymentAvailable,
  exists,
  absent,
  'nodes-ready': nodesReady,
  nslookup,
  'resolv-conf': resolvConf,
  'logs-contain': logsContain,
};

export type { CheckEnv } from './env.ts';
