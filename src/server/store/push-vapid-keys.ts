// The VAPID key pair Parley keeps when the operator sets none (migration 017): one row for every node.
import type { Sql } from './db.ts';

export interface StoredVapidKeys {
  publicKey: string;
  privateKey: string;
}

/** The stored pair; `candidate` is stored first if there is none (the first node to start wins). */
export async function keepVapidKeys(sql: Sql, candidate: StoredVapidKeys): Promise<StoredVapidKeys> {
  await sql.query(
    'insert into push_vapid_keys (public_key, private_key) values ($1, $2) on conflict (singleton) do nothing',
    [candidate.publicKey, candidate.privateKey],
  );
  const [row] = await sql.query<{ public_key: string; private_key: string }>(
    'select public_key, private_key from push_vapid_keys',
  );
  if (!row) throw new Error('the VAPID key pair was not stored');
  return { publicKey: row.public_key, privateKey: row.private_key };
}
