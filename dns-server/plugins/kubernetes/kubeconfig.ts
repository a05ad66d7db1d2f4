// Loads the KubeConfig for a KubeSource. Plain http:// servers get insecure-skip-tls-verify,
// because client-node 1.x refuses http without it and there is no TLS to verify anyway.
import { KubeConfig } from '@kubernetes/client-node';
import { KubeconfigError, type KubeSource } from './source.ts';
import { hostFiles, type FileHooks } from '../../core/files.ts';

export function loadKubeConfig(src: KubeSource, files: FileHooks = hostFiles): KubeConfig {
  const kc = new KubeConfig();
  if (src.kind === 'endpoint') {
    kc.loadFromOptions({
      clusters: [{ name: 'endpoint', server: src.url, skipTLSVerify: src.url.startsWith('http:') }],
      users: [{ name: 'endpoint' }],
      contexts: [{ name: 'endpoint', cluster: 'endpoint', user: 'endpoint' }],
      currentContext: 'endpoint',
    });
    return kc;
  }
  if (src.kind === 'in-cluster') {
    kc.loadFromCluster();
    return kc;
  }
  try {
    // inside a container's view the file is read through the embedder's hooks
    if (files === hostFiles) kc.loadFromFile(src.path);
    else kc.loadFromString(files.readFile(src.path));
  } catch (err) {
    throw new KubeconfigError(`cannot read kubeconfig ${src.path}: ${(err as Error).message}`);
  }
  if (src.context) {
    if (!kc.getContextObject(src.context)) {
      throw new KubeconfigError(`context "${src.context}" is not in ${src.path}; contexts there: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}`);
    }
    kc.setCurrentContext(src.context);
  }
  if (!kc.getCurrentCluster()) throw new KubeconfigError(`kubeconfig ${src.path} has no current cluster; set current-context`);
  const needsSkip = kc.clusters.some((c) => c.server.startsWith('http:') && !c.skipTLSVerify);
  if (needsSkip) {
    kc.loadFromOptions({
      clusters: kc.clusters.map((c) => ({ ...c, skipTLSVerify: c.skipTLSVerify || c.server.startsWith('http:') })),
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.getCurrentContext(),
    });
  }
  return kc;
}
