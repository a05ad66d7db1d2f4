// Starts every controller of the embedded cluster against one store and one runtime host.
import type { ClusterStore, ContainerRuntimeHost } from '../contracts.ts';
import { startCronJobController } from './cronjob.ts';
import { startDaemonSetController } from './daemonset.ts';
import { startDeletionControllers } from './deletion.ts';
import { startDeploymentController } from './deployment.ts';
import { startDisruptionController } from './disruption.ts';
import { startDnsAutoscaler } from './dns-autoscaler.ts';
import { startEndpointSliceController } from './endpointslices.ts';
import { startEndpointsController } from './endpoints.ts';
import { EventRecorder } from './events.ts';
import { startHorizontalPodAutoscalerController } from './horizontal-pod-autoscaler.ts';
import { startJobController } from './job.ts';
import { startKubelet, type KubeletOptions } from './kubelet.ts';
import { startNodeLeases } from './node-lease.ts';
import { startPersistentVolumeController } from './persistent-volumes.ts';
import { REPLICATION_CONTROLLERS, startReplicaSetController } from './replicaset.ts';
import { startResourceQuotaController } from './resource-quota.ts';
import { startRootCAPublisher } from './root-ca-publisher.ts';
import { startScheduler } from './scheduler.ts';
import { startServiceAccountsController } from './serviceaccounts.ts';
import type { Controller } from './types.ts';
import type { HashStyle } from './names.ts';

export type { Controller } from './types.ts';
export { startDeletionControllers } from './deletion.ts';

export interface ControllerManager {
  controllers: Controller[];
  stop(): Promise<void>;
}

export interface ControllerOptions {
  kubelet?: KubeletOptions;
  /** the cluster CA (PEM): with it the root-ca-cert-publisher puts kube-root-ca.crt in every namespace */
  caPem?: string;
  /** the CronJob controller's notion of now (default: the real clock); tests move it near a minute boundary */
  cronJobClock?: () => Date;
  /** how ReplicaSet names print the pod-template-hash: decimal on the chapter's 2017 cluster (default), encoded on today's */
  podTemplateHash?: HashStyle;
}

export function startControllers(store: ClusterStore, runtime: ContainerRuntimeHost, opts: ControllerOptions = {}): ControllerManager {
  const events = new EventRecorder(store);
  const controllers = [
    startDeploymentController(store, events, opts.podTemplateHash),
    startReplicaSetController(store, events),
    startReplicaSetController(store, events, REPLICATION_CONTROLLERS),
    startDaemonSetController(store, events),
    startJobController(store, events),
    startCronJobController(store, events, opts.cronJobClock),
    startScheduler(store, events),
    startKubelet(store, runtime, events, opts.kubelet),
    startEndpointsController(store),
    startEndpointSliceController(store),
    startNodeLeases(store),
    startServiceAccountsController(store),
    ...(opts.caPem ? [startRootCAPublisher(store, opts.caPem)] : []),
    startDeletionControllers(store),
    startDnsAutoscaler(store, runtime),
    startPersistentVolumeController(store, events),
    startHorizontalPodAutoscalerController(store, events),
    startDisruptionController(store),
    startResourceQuotaController(store),
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
