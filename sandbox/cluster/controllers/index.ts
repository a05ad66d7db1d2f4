// Starts every controller of the embedded cluster against one store and one runtime host.
import type { ClusterStore, ContainerRuntimeHost } from '../contracts.ts';
import { startDeploymentController } from './deployment.ts';
import { startEndpointSliceController } from './endpointslices.ts';
import { startEndpointsController } from './endpoints.ts';
import { EventRecorder } from './events.ts';
import { startKubelet, type KubeletOptions } from './kubelet.ts';
import { startNodeLeases } from './node-lease.ts';
import { startReplicaSetController } from './replicaset.ts';
import { startScheduler } from './scheduler.ts';
import type { Controller } from './types.ts';

export type { Controller } from './types.ts';

export interface ControllerManager {
  controllers: Controller[];
  /** resolves when every controller's queue is empty at the same moment */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export function startControllers(store: ClusterStore, runtime: ContainerRuntimeHost, opts: { kubelet?: KubeletOptions } = {}): ControllerManager {
  const events = new EventRecorder(store);
  const controllers = [
    startDeploymentController(store, events),
    startReplicaSetController(store, events),
    startScheduler(store, events),
    startKubelet(store, runtime, events, opts.kubelet),
    startEndpointsController(store),
    startEndpointSliceController(store),
    startNodeLeases(store),
  ];
  return {
    controllers,
    async settled() {
      // one controller's work wakes another's; loop until a full pass finds them all idle
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => setImmediate(r));
        await Promise.all(controllers.map((c) => c.idle()));
        await new Promise((r) => setImmediate(r));
        const again = await Promise.race([
          Promise.all(controllers.map((c) => c.idle())).then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), 5)),
        ]);
        if (!again) return;
      }
    },
    async stop() {
      // the kubelet last: workload controllers must not react to pods stopping
      for (const c of controllers.filter((c) => c.name !== 'kubelet')) await c.stop();
      await controllers.find((c) => c.name === 'kubelet')!.stop();
    },
  };
}
