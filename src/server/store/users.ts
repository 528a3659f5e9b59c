// Organisations and users as the host's login describes them.
import type { Organization, OrganizationKind, Role, User } from '../../protocol/models.ts';
import type { Sql } from './db.ts';
import { toUser, type UserRow, userColumns, usersWithOrganizations } from './rows.ts';

/** Creates the organisation if it is new; an existing organisation keeps its name and kind. Returns its kind. */
export async function ensureOrganization(sql: Sql, org: Organization): Promise<OrganizationKind> {
  const [row] = await sql.query<{ kind: OrganizationKind }>(
    `with inserted as (
       insert into organizations (id, name, kind) values ($1, $2, $3) on conflict (id) do nothing returning kind)
     select kind from inserted union all select kind from organizations where id = $1`,
    [org.id, org.name, org.kind],
  );
  if (row) return row.kind;
  // A concurrent request inserted it after this statement's snapshot was taken: it is visible now.
  const [inserted] = await sql.query<{ kind: OrganizationKind }>(
    'select kind from organizations where id = $1',
    [org.id],
  );
  if (!inserted) throw new Error(`organization ${org.id} neither inserted nor found`);
  return inserted.kind;
}

export async function updateOrganization(
  sql: Sql,
  id: string,
  changes: { name?: string | undefined; kind?: OrganizationKind | undefined },
): Promise<Organization | null> {
  const [row] = await sql.query<Organization>(
    `update organizations set name = coalesce($2, name), kind = coalesce($3, kind) where id = $1
     returning id, name, kind`,
    [id, changes.name ?? null, changes.kind ?? null],
  );
  return row ?? null;
}

export async function listOrganizations(sql: Sql): Promise<Organization[]> {
  return sql.query<Organization>('select id, name, kind from organizations order by name, id');
}

/** Where a user came from: a host token, the demo's seed, or an API key's bot. */
export type UserSource = 'host' | 'demo' | 'system';

/** What a profile write changed about the user's access: null when nothing was written. */
export interface ProfileChange {
  created: boolean;
  previousOrgId: string | null;
  previousRole: Role | null;
}

export interface ProfileWrite {
  source: UserSource;
  /**
   * `iat` of the token the profile comes from: it is written only if newer than the token last applied, so
   * that replaying an older token cannot restore a role or organisation taken away. Omitted for Parley's
   * own writes (demo seed, bots), which always apply.
   */
  issuedAt?: number;
}

/**
 * Inserts the user or brings their profile up to date; writes nothing when nothing changed or the token is
 * not newer than the one last applied. Returns the user as stored afterwards.
 */
export async function writeProfile(
  sql: Sql,
  user: User,
  { source, issuedAt }: ProfileWrite,
): Promise<{ user: User; change: ProfileChange | null }> {
  const [row] = await sql.query<{ previous_org_id: string | null; previous_role: Role | null }>(
    `with previous as (select org_id, role from users where id = $1)
     insert into users (id, display_name, email, org_id, role, source, profile_issued_at)
     values ($1, $2, $3, $4, $5, $6, coalesce($7::bigint, 0))
     on conflict (id) do update set display_name = excluded.display_name, email = excluded.email,
       org_id = excluded.org_id, role = excluded.role, source = excluded.source,
       profile_issued_at = coalesce($7::bigint, users.profile_issued_at), updated_at = now()
     where ($7::bigint is null or $7::bigint > users.profile_issued_at)
       and (users.display_name, users.email, users.org_id, users.role, users.source)
         is distinct from (excluded.display_name, excluded.email, excluded.org_id, excluded.role, excluded.source)
     returning (select org_id from previous) as previous_org_id, (select role from previous) as previous_role`,
    [user.id, user.displayName, user.email, user.orgId, user.role, source, issuedAt ?? null],
  );
  if (!row) return { user: (await findUser(sql, user.id)) ?? user, change: null };
  return {
    user,
    change: {
      created: row.previous_org_id === null,
      previousOrgId: row.previous_org_id,
      previousRole: row.previous_role,
    },
  };
}

/** The users with these ids; only those of the given sources when `sources` is set. */
export async function findUsers(
  sql: Sql,
  ids: readonly string[],
  sources?: readonly UserSource[],
): Promise<User[]> {
  const rows = await sql.query<UserRow>(
    `select ${userColumns} from ${usersWithOrganizations}
     where u.id = any($1::text[]) and ($2::text[] is null or u.source = any($2::text[]))`,
    [ids, sources ?? null],
  );
  return rows.map(toUser);
}

export async function findUser(sql: Sql, id: string): Promise<User | null> {
  const [user] = await findUsers(sql, [id]);
  return user ?? null;
}

/** Users, by name; only those of the given sources when `sources` is set. */
export async function listUsers(sql: Sql, sources?: readonly UserSource[]): Promise<User[]> {
  const rows = await sql.query<UserRow>(
    `select ${userColumns} from ${usersWithOrganizations}
     where $1::text[] is null or u.source = any($1::text[]) order by u.display_name, u.id`,
    [sources ?? null],
  );
  return rows.map(toUser);
}

/** Users who signed in with a host token: a database that holds any is not a demo's. */
export async function countHostUsers(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ n: number }>(`select count(*)::int as n from users where source = 'host'`);
  return row?.n ?? 0;
}

export async function countUsers(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ n: number }>('select count(*)::int as n from users');
  return row?.n ?? 0;
}
