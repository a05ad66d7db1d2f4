// minikube's profile reused, restored and deleted from the command line
// (provider-lifecycle.ts). Commands as minikube documents them:
// https://minikube.sigs.k8s.io/docs/commands/ (profile list -o json, start -p on an existing
// profile, image load -p, delete -p).
import { reuseRestoreDown } from './provider-lifecycle.ts';

reuseRestoreDown({
  provider: 'minikube',
  reuseCommands: [
    'docker info --format {{.ServerVersion}}',
    'minikube profile list -o json',
    'minikube start -p coredns-lab',
    'docker build -t coredns-lab/dns-server:1.11.3 <root>/dns-server/',
    'minikube image load coredns-lab/dns-server:1.11.3 -p coredns-lab',
  ],
  downCommands: ['docker info --format {{.ServerVersion}}', 'minikube delete -p coredns-lab'],
});
