// Starts every controller of the embedded cluster against one store and one runtime host.
import type { ClusterStore, ContainerRuntimeHost } from '../contracts.ts';
import { startDeletionControllers } from './deletion.ts';
import { startDeploymentController } from './deployment.ts';
import { startEndpointSliceController } from './endpointslices.ts';
import { startEndpointsController } from './endpoints.ts';
import { EventRecorder } from './events.ts';
import { startKubelet, type KubeletOptions } from './kubelet.ts';
import { startNodeLeases } from './node-lease.ts';
import { startReplicaSetController } from './replicaset.ts';
import { startScheduler } from './scheduler.ts';
import { startServiceAccountsController } from './serviceaccounts.ts';
import type { Controller } from './types.ts';

export type { Controller } from './types.ts';
export { startDeletionControllers } from './deletion.ts';

export interface ControllerManager {
  controllers: Controller[];
  stop(): Promise<void>;
}

export function startControllers(
  store: ClusterStore,
  runtime: ContainerRuntimeHost,
  opts: { kubelet?: KubeletOptions } = {},
): ControllerManager {
  const events = new EventRecorder(store);
  const controllers = [
    startDeploymentController(store, events),
    startReplicaSetController(store, events),
    startScheduler(store, events),
    startKubelet(store, runtime, events, opts.kubelet),
    startEndpointsController(store),
    startEndpointSliceController(store),
    startNodeLeases(store),
    startServiceAccountsController(store),
    startDeletionControllers(store),
  ];
  return {
    controllers,
    async stop() {
      // the kubelet last: workload controllers must not react to pods stopping
      for (const c of controllers.filter((c) => c.name !== 'kubelet')) await c.stop();
      await controllers.find((c) => c.name === 'kubelet')!.stop();
    },
  };
}
