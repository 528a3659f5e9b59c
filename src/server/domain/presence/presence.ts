// Who is online, away or offline. A user is online while any of their connections is, away when all of
// them are idle, offline when none is left. Connections expire unless their node refreshes them, so a
// killed tab or a crashed node leaves no ghost. Changes go only to people who share a conversation, at
// most one per user per relay interval (a tab flapping between away and online costs them two events).
import type { UserPresence } from '../../../protocol/models.ts';
import type { FanOut } from '../../fanout/fanout.ts';
import type { PresenceStore } from '../../store/presence.ts';
import { createRelayCoalescer } from '../limits/relay-coalescer.ts';

export interface PresenceDeps {
  store: PresenceStore;
  fanOut: FanOut;
  /** This process: its connections are refreshed together and removed together at shutdown. */
  nodeId: string;
  /** How long a connection counts without being refreshed. */
  ttlMs: number;
  /** Who should hear about a user's presence: the conversations that user is in. */
  conversationIdsOf: (userId: string) => Promise<string[]>;
  /** At most one change per user is relayed in this interval; the latest follows at its end. 0: every change. */
  relayIntervalMs: number;
  /** A client of the user connected: they are back (the notification ladder may tell them again). */
  onArrived: (userId: string) => Promise<void>;
  onError: (error: unknown) => void;
}

interface PresenceChange {
  presence: UserPresence;
  /** Read when the change happened, so that relays leave in the order of their changes. */
  conversationIds: string[];
}

export function createPresence({
  store,
  fanOut,
  nodeId,
  ttlMs,
  conversationIdsOf,
  relayIntervalMs,
  onArrived,
  onError,
}: PresenceDeps) {
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  const lastAnnounced = new Map<string, UserPresence['status']>();
  const relays = createRelayCoalescer<PresenceChange>({
    intervalMs: relayIntervalMs,
    relay: ({ presence, conversationIds }) => fanOut.toConversations(conversationIds, 'presence', presence),
    same: (a, b) => a.presence.status === b.presence.status,
  });

  /** Recomputes each user's presence and tells the people who share a conversation, if it changed. */
  async function announce(userIds: readonly string[]): Promise<void> {
    for (const presence of await store.presenceOf(userIds)) {
      if (lastAnnounced.get(presence.userId) === presence.status) continue;
      if (presence.status === 'offline') lastAnnounced.delete(presence.userId);
      else lastAnnounced.set(presence.userId, presence.status);
      relays.offer(presence.userId, { presence, conversationIds: await conversationIdsOf(presence.userId) });
    }
  }

  async function beat(): Promise<void> {
    await store.refreshNode(nodeId, ttlMs);
    const expired = await store.sweepExpired();
    if (expired.length > 0) await announce(expired);
  }

  return {
    async connected(connectionId: string, userId: string): Promise<void> {
      await store.upsertConnection({ connectionId, userId, nodeId, status: 'online' }, ttlMs);
      await Promise.all([announce([userId]), onArrived(userId)]);
    },

    async disconnected(connectionId: string): Promise<void> {
      // At shutdown `stop` has already taken this node's users offline, and the database is closing.
      if (stopped) return;
      const userId = await store.removeConnection(connectionId);
      if (userId) await announce([userId]);
    },

    /** The client reports idleness (no input, hidden tab) or the user sets it by hand. */
    async setStatus(connectionId: string, userId: string, status: 'online' | 'away'): Promise<void> {
      await store.upsertConnection({ connectionId, userId, nodeId, status }, ttlMs);
      await announce([userId]);
    },

    snapshot(userIds: readonly string[]): Promise<UserPresence[]> {
      return store.presenceOf(userIds);
    },

    /** Refreshes this node's connections and sweeps expired ones, three times per TTL. */
    start(): void {
      heartbeat = setInterval(() => beat().catch(onError), Math.max(100, Math.floor(ttlMs / 3)));
      heartbeat.unref();
    },

    /** Graceful shutdown: this node's users go offline now rather than after the TTL. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(heartbeat);
      const users = await store.removeNode(nodeId);
      await announce(users);
      relays.flush();
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
