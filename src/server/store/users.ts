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

/** What a profile write changed about the user's access: null when nothing was written. */
export interface ProfileChange {
  created: boolean;
  previousOrgId: string | null;
  previousRole: Role | null;
}

/** Inserts the user or brings their profile up to date; writes nothing when nothing changed. */
export async function upsertUser(sql: Sql, user: User): Promise<ProfileChange | null> {
  const [row] = await sql.query<{ previous_org_id: string | null; previous_role: Role | null }>(
    `with previous as (select org_id, role from users where id = $1)
     insert into users (id, display_name, email, org_id, role) values ($1, $2, $3, $4, $5)
     on conflict (id) do update set display_name = excluded.display_name, email = excluded.email,
       org_id = excluded.org_id, role = excluded.role, updated_at = now()
     where (users.display_name, users.email, users.org_id, users.role)
       is distinct from (excluded.display_name, excluded.email, excluded.org_id, excluded.role)
     returning (select org_id from previous) as previous_org_id, (select role from previous) as previous_role`,
    [user.id, user.displayName, user.email, user.orgId, user.role],
  );
  if (!row) return null;
  return {
    created: row.previous_org_id === null,
    previousOrgId: row.previous_org_id,
    previousRole: row.previous_role,
  };
}

export async function findUsers(sql: Sql, ids: readonly string[]): Promise<User[]> {
  const rows = await sql.query<UserRow>(
    `select ${userColumns} from ${usersWithOrganizations} where u.id = any($1::text[])`,
    [ids],
  );
  return rows.map(toUser);
}

export async function findUser(sql: Sql, id: string): Promise<User | null> {
  const [user] = await findUsers(sql, [id]);
  return user ?? null;
}

export async function listUsers(sql: Sql): Promise<User[]> {
  const rows = await sql.query<UserRow>(
    `select ${userColumns} from ${usersWithOrganizations} order by u.display_name, u.id`,
  );
  return rows.map(toUser);
}

export async function countUsers(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ n: number }>('select count(*) as n from users');
  return row?.n ?? 0;
}
