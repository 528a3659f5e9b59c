// The conversations an export walks through, a page at a time in id order, each with its members: an
// export of every conversation never holds more than one page in memory.

import { type ConversationFacts, type FactRow, factColumns, toFacts } from './conversations.ts';
import type { Sql } from './db.ts';

export interface ExportedConversation extends ConversationFacts {
  createdAt: string;
  members: { userId: string; joinedAt: string }[];
}

interface Row extends FactRow {
  created_at: Date;
  members: { userId: string; joinedAt: string }[];
}

export interface ConversationPage {
  /** Only conversations with an id after this one. */
  afterId: string;
  /** Only this conversation; null: all of them. */
  onlyId: string | null;
  limit: number;
}

export async function listConversationsForExport(
  sql: Sql,
  { afterId, onlyId, limit }: ConversationPage,
): Promise<ExportedConversation[]> {
  const rows = await sql.query<Row>(
    `select ${factColumns}, c.created_at,
       (select coalesce(json_agg(json_build_object('userId', m.user_id, 'joinedAt', m.joined_at)
          order by m.joined_at, m.user_id), '[]'::json)
        from conversation_members m where m.conversation_id = c.id) as members
     from conversations c
     where c.id > $1 and ($2::text is null or c.id = $2)
     order by c.id limit $3`,
    [afterId, onlyId, limit],
  );
  return rows.map((row) => ({
    ...toFacts(row),
    createdAt: row.created_at.toISOString(),
    // json_build_object writes timestamps in PostgreSQL's form; the export's are ISO 8601 throughout.
    members: row.members.map(({ userId, joinedAt }) => ({
      userId,
      joinedAt: new Date(joinedAt).toISOString(),
    })),
  }));
}
