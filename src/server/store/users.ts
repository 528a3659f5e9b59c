// Organisations and users as the host's login describes them.
import type { OrganizationKind, User } from '../../protocol/models.ts';
import type { Sql } from './db.ts';
import { toUser, type UserRow, userColumns } from './rows.ts';

export interface OrganizationRecord {
  id: string;
  name: string;
  kind: OrganizationKind;
}

/** Creates the organisation if it is new; an existing organisation keeps its name and kind. */
export async function ensureOrganization(sql: Sql, org: OrganizationRecord): Promise<void> {
  await sql.query(
    'insert into organizations (id, name, kind) values ($1, $2, $3) on conflict (id) do nothing',
    [org.id, org.name, org.kind],
  );
}

/** Inserts the user or brings their profile up to date; writes nothing when nothing changed. */
export async function upsertUser(sql: Sql, user: User): Promise<void> {
  await sql.query(
    `insert into users (id, display_name, email, org_id, role) values ($1, $2, $3, $4, $5)
     on conflict (id) do update set display_name = excluded.display_name, email = excluded.email,
       org_id = excluded.org_id, role = excluded.role, updated_at = now()
     where (users.display_name, users.email, users.org_id, users.role)
       is distinct from (excluded.display_name, excluded.email, excluded.org_id, excluded.role)`,
    [user.id, user.displayName, user.email, user.orgId, user.role],
  );
}

export async function findUsers(sql: Sql, ids: readonly string[]): Promise<User[]> {
  const rows = await sql.query<UserRow>(`select ${userColumns} from users where id = any($1::text[])`, [ids]);
  return rows.map(toUser);
}

export async function listUsers(sql: Sql): Promise<User[]> {
  const rows = await sql.query<UserRow>(`select ${userColumns} from users order by display_name, id`);
  return rows.map(toUser);
}

export async function countUsers(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ n: number }>('select count(*) as n from users');
  return row?.n ?? 0;
}
