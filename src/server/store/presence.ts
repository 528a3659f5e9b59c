// Presence kept where every node sees it: one row per live connection that expires unless its node keeps
// refreshing it. A Redis implementation of the same interface can replace it when Parley scales out.
import type { PresenceStatus, UserPresence } from '../../protocol/models.ts';
import type { Sql } from './db.ts';

export interface PresenceStore {
  upsertConnection(
    connection: { connectionId: string; userId: string; nodeId: string; status: 'online' | 'away' },
    ttlMs: number,
  ): Promise<void>;
  /** Returns the connection's user, or null when it was already gone. Records the user's last-seen time. */
  removeConnection(connectionId: string): Promise<string | null>;
  /** Extends every connection of the node; returns nothing. */
  refreshNode(nodeId: string, ttlMs: number): Promise<void>;
  /** Removes the node's connections (graceful shutdown); returns their users. */
  removeNode(nodeId: string): Promise<string[]>;
  /** Removes expired connections (a crashed node's, a frozen tab's); returns their users. */
  sweepExpired(): Promise<string[]>;
  presenceOf(userIds: readonly string[]): Promise<UserPresence[]>;
}

export function sqlPresenceStore(sql: Sql): PresenceStore {
  return {
    async upsertConnection({ connectionId, userId, nodeId, status }, ttlMs) {
      await sql.query(
        `insert into presence_connections (connection_id, user_id, node_id, status, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(secs => $5::float8 / 1000))
         on conflict (connection_id) do update set status = excluded.status, expires_at = excluded.expires_at`,
        [connectionId, userId, nodeId, status, ttlMs],
      );
    },

    async removeConnection(connectionId) {
      const [row] = await sql.query<{ user_id: string }>(
        `with gone as (delete from presence_connections where connection_id = $1 returning user_id)
         update users u set last_seen_at = now() from gone where u.id = gone.user_id returning u.id as user_id`,
        [connectionId],
      );
      return row?.user_id ?? null;
    },

    async refreshNode(nodeId, ttlMs) {
      await sql.query(
        'update presence_connections set expires_at = now() + make_interval(secs => $2::float8 / 1000) where node_id = $1',
        [nodeId, ttlMs],
      );
    },

    async removeNode(nodeId) {
      return usersOf(
        await sql.query<{ user_id: string }>(
          `with gone as (delete from presence_connections where node_id = $1 returning user_id)
           update users u set last_seen_at = now() from gone where u.id = gone.user_id returning u.id as user_id`,
          [nodeId],
        ),
      );
    },

    async sweepExpired() {
      return usersOf(
        await sql.query<{ user_id: string }>(
          `with gone as (delete from presence_connections where expires_at < now() returning user_id, expires_at)
           update users u set last_seen_at = greatest(u.last_seen_at, gone.expires_at)
           from gone where u.id = gone.user_id returning u.id as user_id`,
        ),
      );
    },

    async presenceOf(userIds) {
      if (userIds.length === 0) return [];
      const rows = await sql.query<{ id: string; status: PresenceStatus; last_seen_at: Date | null }>(
        `select u.id, coalesce((select case when bool_or(p.status = 'online') then 'online' else 'away' end
                                from presence_connections p where p.user_id = u.id and p.expires_at >= now()
                                having count(*) > 0), 'offline') as status,
                u.last_seen_at
         from users u where u.id = any($1::text[])`,
        [userIds],
      );
      // In the order asked for, so callers can zip answers with their list.
      const position = new Map(userIds.map((id, index) => [id, index]));
      rows.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
      return rows.map((row) => ({
        userId: row.id,
        status: row.status,
        // "Last seen" means something only while the user is not here.
        lastSeenAt: row.status === 'offline' ? (row.last_seen_at?.toISOString() ?? null) : null,
      }));
    },
  };
}

function usersOf(rows: { user_id: string }[]): string[] {
  return [...new Set(rows.map((row) => row.user_id))];
}
