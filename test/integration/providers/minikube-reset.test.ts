// `sandbox reset` on minikube's cluster from mid-chapter, from the command line (provider-lifecycle.ts).
import { resetFromMidChapter } from './provider-lifecycle.ts';

resetFromMidChapter({ provider: 'minikube' });
