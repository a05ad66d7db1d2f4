import { notYetAvailable } from '../command.ts';

export const doctor = notYetAvailable('doctor', 'say which providers and tools are usable, and how to get the rest', 'coredns-lab doctor', [], 'the kind/minikube/existing providers');
