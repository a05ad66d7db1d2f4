// The embedded cluster's API side: the store (in-process API) and the HTTP API server.
// Controllers and runtimes import from here and from contracts.ts only.
export { startApiServer, type ApiServer, type ApiServerOptions, KUBE_VERSION } from './api/index.ts';
export { createStore, PersistentStore, SYSTEM_NAMESPACES, wipeClusterState, type CreateStoreOptions } from './persistence/open-store.ts';
export { MemoryStore, type StoreOptions, type StoreWriteOptions } from './store.ts';
export * from './errors.ts';
export { RESOURCES, lookupResource, findByKind } from './resources/index.ts';
export { kubeconfigFor } from './api/kubeconfig.ts';
