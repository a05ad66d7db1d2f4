// How the container runtime (containerd/runc) fails an exec or a start of a binary the image
// does not have, word for word, so kubectl prints what it prints on a real cluster.
import { randomBytes } from 'node:crypto';
import { internalError, type StatusError } from '../errors.ts';

export function notFoundInPath(cmd: string): string {
  return `exec: "${cmd}": executable file not found in $PATH`;
}

/** the Status the API server sends for `kubectl exec POD -- <missing binary>` */
export function execNotFound(cmd: string): StatusError {
  const id = randomBytes(32).toString('hex');
  return internalError(`error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: ${notFoundInPath(cmd)}: unknown`);
}

/** the container status message when the main process's binary is missing (StartError, exit 128) */
export function startNotFound(cmd: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${notFoundInPath(cmd)}: unknown`;
}
