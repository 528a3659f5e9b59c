// How many sockets one user, and one client address, may hold open at once. Each open socket costs this
// node memory and a place in every room it joins; a runaway tab loop or a script cannot grow that without
// bound. Counted per node: with several nodes behind a balancer each node allows as many again (decision
// 017), which still bounds what one node holds.
import { ParleyError } from '../../../protocol/errors.ts';

export interface ConnectionCapSettings {
  perUser: number;
  /** Larger than `perUser`: an office behind one NAT address is many users. */
  perAddress: number;
}

export interface ConnectionCaps {
  /**
   * Counts one more socket for the user and the address, or throws `too_many_connections` and counts
   * nothing. Returns the release to call when that socket closes; calling it again does nothing.
   */
  admit(userId: string, address: string): () => void;
}

export function createConnectionCaps({ perUser, perAddress }: ConnectionCapSettings): ConnectionCaps {
  const byUser = new Map<string, number>();
  const byAddress = new Map<string, number>();

  /** Adds `delta` to the key's count, forgetting keys that reach zero so the maps hold open sockets only. */
  const adjust = (counts: Map<string, number>, key: string, delta: number) => {
    const count = (counts.get(key) ?? 0) + delta;
    if (count > 0) counts.set(key, count);
    else counts.delete(key);
  };

  return {
    admit(userId, address) {
      if ((byUser.get(userId) ?? 0) >= perUser) {
        throw new ParleyError(
          'too_many_connections',
          `this user already has ${perUser} open connections; close one (another tab or device) first`,
        );
      }
      if ((byAddress.get(address) ?? 0) >= perAddress) {
        throw new ParleyError(
          'too_many_connections',
          `${perAddress} connections are already open from this address`,
        );
      }
      adjust(byUser, userId, 1);
      adjust(byAddress, address, 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        adjust(byUser, userId, -1);
        adjust(byAddress, address, -1);
      };
    },
  };
}
