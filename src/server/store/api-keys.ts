// API keys for host back-ends: only a hash of the secret is kept.
import type { Sql } from './db.ts';

export interface ApiKeyRow {
  id: string;
  name: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface Row {
  id: string;
  name: string;
  scopes: string[];
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  secret_hash: string;
}

const toKey = (row: Row): ApiKeyRow => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

export async function insertApiKey(
  sql: Sql,
  key: { id: string; name: string; scopes: string[]; secretHash: string; createdBy: string },
): Promise<ApiKeyRow> {
  const [row] = await sql.query<Row>(
    `insert into api_keys (id, name, secret_hash, scopes, created_by) values ($1, $2, $3, $4, $5) returning *`,
    [key.id, key.name, key.secretHash, key.scopes, key.createdBy],
  );
  return toKey(row as Row);
}

/** The key with its secret hash, for verification; revoked keys included (the caller refuses them). */
export async function findApiKey(sql: Sql, id: string): Promise<(ApiKeyRow & { secretHash: string }) | null> {
  const [row] = await sql.query<Row>('select * from api_keys where id = $1', [id]);
  return row ? { ...toKey(row), secretHash: row.secret_hash } : null;
}

export async function listApiKeys(sql: Sql): Promise<ApiKeyRow[]> {
  return (await sql.query<Row>('select * from api_keys order by created_at desc')).map(toKey);
}

export async function revokeApiKey(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql.query(
    'update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 returning id',
    [id],
  );
  return rows.length === 1;
}

export async function touchApiKey(sql: Sql, id: string): Promise<void> {
  await sql.query(
    "update api_keys set last_used_at = now() where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')",
    [id],
  );
}
