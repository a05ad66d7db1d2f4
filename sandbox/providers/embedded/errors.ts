// The failures a learner can meet when starting, stopping or resetting the embedded sandbox.
// They are the state dir owner's errors (sandbox/owner/errors.ts): each names the running owner
// and the command that fixes the problem.
export { SandboxNotRunningError, SandboxRunningError, StateDirError } from '../../owner/errors.ts';
