// What a due notification step tells, read when it runs (never when it was armed): the messages as they are
// now (an edit sends the edited text, a deleted one is left out), to someone who may still read them.
import type { ConversationKind, OrganizationKind } from '../../protocol/models.ts';
import type { NotificationLevel, QuietHours } from '../../protocol/notifications.ts';
import type { Sql } from './db.ts';
import { type QuietHoursColumns, quietHoursOf } from './notification-settings.ts';

/** The user a step is for, with their choices resolved against the deployment's defaults. */
export interface NotifiedUser {
  id: string;
  displayName: string;
  email: string | null;
  orgKind: OrganizationKind;
  level: NotificationLevel;
  emailEnabled: boolean;
  pushEnabled: boolean;
  quietHours: QuietHours | null;
  /** A client of theirs is connected and in use (not idle, not hidden): docs/notifications.md. */
  active: boolean;
}

export interface NotifiedConversation {
  id: string;
  kind: ConversationKind;
  name: string | null;
  lastReadSeq: number;
  /** Everything through it is told of (the messages that do not notify need no telling). */
  lastSeq: number;
  muted: boolean;
  record: { type: string; id: string; title: string } | null;
  /** The other members' names (direct and group conversations), to title it as the user's client does. */
  otherMemberNames: string[];
}

export interface NotifiedMessage {
  seq: number;
  /** The message itself: for a mention added by an edit, the message edited. */
  messageSeq: number;
  body: string;
  createdAt: Date;
  senderName: string;
  senderOrg: string;
  hasAttachments: boolean;
}

export interface StepContent {
  user: NotifiedUser;
  /** Null when the user is no longer a member (left, removed, out of scope). */
  conversation: NotifiedConversation | null;
  /** What notifies them after `afterSeq`, oldest first, at most `limit`. */
  messages: NotifiedMessage[];
  /** All of them, for "and N more". */
  total: number;
}

interface UserRow extends QuietHoursColumns {
  id: string;
  display_name: string;
  email: string | null;
  org_kind: OrganizationKind;
  level: NotificationLevel;
  email_enabled: boolean;
  push_enabled: boolean;
  active: boolean;
}

export async function findNotifiedUser(sql: Sql, userId: string): Promise<NotifiedUser | null> {
  const [row] = await sql.query<UserRow>(
    `select u.id, u.display_name, u.email, o.kind as org_kind,
       coalesce(ns.level, d.level) as level, coalesce(ns.email_enabled, d.email_enabled) as email_enabled,
       coalesce(ns.push_enabled, d.push_enabled) as push_enabled,
       ns.quiet_start_minute, ns.quiet_end_minute, ns.time_zone,
       exists (select 1 from presence_connections p
         where p.user_id = u.id and p.status = 'online' and p.expires_at > now()) as active
     from users u join organizations o on o.id = u.org_id cross join notification_defaults d
     left join notification_settings ns on ns.user_id = u.id
     where u.id = $1`,
    [userId],
  );
  if (!row) return null;
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    orgKind: row.org_kind,
    level: row.level,
    emailEnabled: row.email_enabled,
    pushEnabled: row.push_enabled,
    quietHours: quietHoursOf(row),
    active: row.active,
  };
}

export async function findStepContent(
  sql: Sql,
  userId: string,
  conversationId: string,
  afterSeq: number,
  limit: number,
): Promise<StepContent | null> {
  const user = await findNotifiedUser(sql, userId);
  if (!user) return null;
  const [conversation] = await sql.query<{
    id: string;
    kind: ConversationKind;
    name: string | null;
    last_read_seq: number;
    last_seq: number;
    muted: boolean;
    record_type: string | null;
    record_id: string | null;
    record_title: string | null;
    others: string[] | null;
  }>(
    `select c.id, c.kind, c.name, m.last_read_seq, c.last_seq, m.muted, r.type as record_type, r.id as record_id,
       r.title as record_title,
       case when c.kind in ('direct', 'group') then array(select u.display_name from conversation_members o
         join users u on u.id = o.user_id where o.conversation_id = c.id and o.user_id <> $2
         order by u.display_name) end as others
     from conversation_members m join conversations c on c.id = m.conversation_id
     left join records r on r.conversation_id = coalesce(c.parent_id, c.id)
     where m.conversation_id = $1 and m.user_id = $2 and c.archived_at is null
       and (not m.awaits_first_message or c.last_seq > 0)`,
    [conversationId, userId],
  );
  if (!conversation) return { user, conversation: null, messages: [], total: 0 };
  const after = Math.max(afterSeq, conversation.last_read_seq);
  const everyMessage = user.level === 'all' && ['direct', 'group'].includes(conversation.kind);
  const rows = await sql.query<{
    seq: number;
    message_seq: number;
    body: string;
    created_at: Date;
    sender_name: string;
    sender_org: string;
    has_attachments: boolean;
    total: number;
  }>(
    `with told as (
       select x.seq, coalesce(t.seq, x.seq) as message_seq, coalesce(t.body, x.body) as body,
         coalesce(t.created_at, x.created_at) as created_at, x.sender_id,
         coalesce(t.attachment_names, x.attachment_names) <> '' as has_attachments
       from messages x left join messages t on t.id = x.target_id
       where x.conversation_id = $1 and x.seq > $3 and x.seq <= $6 and x.sender_id <> $2
         and coalesce(t.deleted_at, x.deleted_at) is null
         and ((x.kind = 'message' and $4::boolean)
           or exists (select 1 from message_mentions mm
             where mm.user_id = $2 and mm.conversation_id = $1 and mm.seq = x.seq))
     ), once as (
       -- A message and the edit that mentioned someone in it are one thing to tell.
       select distinct on (message_seq) * from told order by message_seq, seq
     )
     select once.seq, once.message_seq, once.body, once.created_at, u.display_name as sender_name,
       o.name as sender_org, once.has_attachments, count(*) over ()::int as total
     from once join users u on u.id = once.sender_id join organizations o on o.id = u.org_id
     order by once.seq limit $5`,
    [conversationId, userId, after, everyMessage, limit, conversation.last_seq],
  );
  return {
    user,
    conversation: {
      id: conversation.id,
      kind: conversation.kind,
      name: conversation.name,
      lastReadSeq: conversation.last_read_seq,
      lastSeq: conversation.last_seq,
      muted: conversation.muted,
      record:
        conversation.record_type === null
          ? null
          : {
              type: conversation.record_type,
              id: conversation.record_id as string,
              title: conversation.record_title as string,
            },
      otherMemberNames: conversation.others ?? [],
    },
    messages: rows.map((row) => ({
      seq: row.seq,
      messageSeq: row.message_seq,
      body: row.body,
      createdAt: row.created_at,
      senderName: row.sender_name,
      senderOrg: row.sender_org,
      hasAttachments: row.has_attachments,
    })),
    total: rows[0]?.total ?? 0,
  };
}
