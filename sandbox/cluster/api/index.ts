// The API server's public face.
export { startApiServer, type ApiServer, type ApiServerOptions } from './server.ts';
export { KUBE_VERSION } from './discovery.ts';
