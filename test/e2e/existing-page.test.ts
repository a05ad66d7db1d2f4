// The page on `serve --provider existing --i-understand-this-changes-kube-system`, on the
// learner's current context "minikube" (an embedded cluster playing a fresh minikube cluster):
// no docker, kind or minikube is run (support/provider-smoke.ts).
import { providerSmoke } from './support/provider-smoke.ts';

providerSmoke({ provider: 'existing', commands: [], node: 'coredns-lab', template: 'coredns-minikube.yaml' });
