// Taking a state dir as its owner: the lock first (a refused owner has opened nothing), then the
// control socket, its path written into the lock for `sandbox status|reset|down` to find.
import { startControlServer, type ControlHandlers, type ControlServer } from './control-server.ts';
import { OwnerLock, type AcquireOptions, type OwnerKind } from './lock.ts';

export interface StateDirOwner {
  lock: OwnerLock;
  control: ControlServer;
  /** close the control socket, then give the state dir up */
  release(): Promise<void>;
}

export async function ownStateDir(stateDir: string, owner: OwnerKind, handlers: ControlHandlers, refusal: Omit<AcquireOptions, 'owner'> = {}): Promise<StateDirOwner> {
  const lock = OwnerLock.acquire(stateDir, { owner, ...refusal });
  let control: ControlServer;
  try {
    control = await startControlServer(stateDir, handlers);
    lock.update({ control: control.path });
  } catch (err) {
    lock.release();
    throw err;
  }
  let releasing: Promise<void> | undefined;
  return {
    lock,
    control,
    release() {
      releasing ??= control.close().finally(() => lock.release());
      return releasing;
    },
  };
}
