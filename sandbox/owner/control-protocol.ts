// The control channel between a state dir's owner and `sandbox status|reset|down`: one JSON
// object per line each way over the owner's Unix socket. A request is answered by exactly one
// response line carrying the same id.
import type { OwnerKind } from './lock.ts';

export const CONTROL_SOCKET = 'control.sock';
/** a request line longer than this is refused and the connection closed */
export const MAX_REQUEST_BYTES = 64 * 1024;

export type ControlOp = 'status' | 'reset' | 'down' | 'notice';
export const CONTROL_OPS: readonly ControlOp[] = ['status', 'reset', 'down', 'notice'];
/** the longest notice text the owner passes on to its pages */
export const MAX_NOTICE_CHARS = 500;

export interface ControlRequest {
  id?: number | string;
  op: ControlOp;
  /** down: stop a `serve` owner too */
  force?: boolean;
  /** notice: what every page of the owner shows, and how loudly */
  text?: string;
  level?: 'info' | 'warning';
}

/** stable error codes of the control channel (listed in sandbox/owner/README.md) */
export const ControlErrorCode = {
  /** not JSON, not an object, too long, or a field of the wrong type */
  BAD_REQUEST: 'LAB_ERR_CONTROL_BAD_REQUEST',
  /** op is not one of CONTROL_OPS */
  UNKNOWN_OP: 'LAB_ERR_CONTROL_UNKNOWN_OP',
  /** down without force while `serve` owns the state dir */
  OWNER_IS_SERVE: 'LAB_ERR_OWNER_IS_SERVE',
  /** reset or down while the owner is still starting its cluster, or already stopping */
  NOT_READY: 'LAB_ERR_OWNER_NOT_READY',
  /** reset while the owner has no cluster (serve whose provider did not start) */
  NO_CLUSTER: 'LAB_ERR_NO_CLUSTER',
  /** the reset itself failed; the message says why */
  RESET_FAILED: 'LAB_ERR_RESET_FAILED',
  /** the owner has nothing to do this op with (notice sent to an owner without pages) */
  NOT_SUPPORTED: 'LAB_ERR_CONTROL_NOT_SUPPORTED',
  /** anything else that went wrong inside the owner */
  INTERNAL: 'LAB_ERR_CONTROL_INTERNAL',
} as const;
export type ControlErrorCode = (typeof ControlErrorCode)[keyof typeof ControlErrorCode];

export type ControlResponse =
  | { id?: number | string; ok: true; result: unknown }
  | { id?: number | string; ok: false; error: { code: ControlErrorCode; message: string } };

/** what `status` answers */
export interface OwnerStatus {
  provider: string;
  state: 'running' | 'starting' | 'stopping' | 'error';
  owner: OwnerKind;
  pid: number;
  /** when the owner started (ISO 8601) */
  since: string;
  kubeconfig: string;
  apiServer?: string;
  dnsPort?: number;
  /** serve: the page's address, without its token */
  url?: string;
  /** how many in-place resets this owner has done */
  resetEpoch: number;
  message?: string;
  /** serve: how many terminals are open, and when a learner last typed (ISO 8601) */
  terminals?: number;
  lastInputAt?: string;
}

/** what `reset` answers once the cluster is back at the Status Quo */
export interface ResetResult {
  resetEpoch: number;
  at: string;
}

/** what `notice` answers: how many terminals had a page open to show it */
export interface NoticeResult {
  pages: number;
}

/** what `down` answers just before the owner stops */
export interface DownResult {
  pid: number;
  owner: OwnerKind;
}
