// API keys for host back-ends (server-to-server): created by an internal admin, shown once, stored as a
// hash, limited to scopes, revocable at once.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ParleyError } from '../../../protocol/errors.ts';
import type { User } from '../../../protocol/models.ts';
import type { apiKeyScopes } from '../../../protocol/rest.ts';
import {
  type ApiKeyRow,
  findApiKey,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
} from '../../store/api-keys.ts';
import type { Database } from '../../store/db.ts';
import { ensureOrganization, writeProfile } from '../../store/users.ts';
import type { Directory } from '../access/directory.ts';
import { forbidden } from '../access/errors.ts';
import { SYSTEM_ORG } from './records.ts';

export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** Who is calling with an API key. */
export interface ApiKeyPrincipal {
  id: string;
  name: string;
  scopes: string[];
}

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest();

/** `pk_<id>.<secret>`: the id finds the key, the secret proves it. */
export function parseApiKey(value: string): { id: string; secret: string } | null {
  const match = /^pk_([A-Za-z0-9]{8,40})\.([A-Za-z0-9_-]{20,100})$/.exec(value);
  return match ? { id: match[1] as string, secret: match[2] as string } : null;
}

/**
 * Who keys created on the operator's command line are recorded as created by (a key needs a creator, and a
 * deployment may have no user yet): an account of Parley's own, never a person and no admin
 * (docs/decisions/018-operator-cli.md).
 */
export const OPERATOR: User = {
  id: 'parley-operator',
  displayName: 'Parley operator',
  email: null,
  orgId: SYSTEM_ORG.id,
  orgKind: SYSTEM_ORG.kind,
  role: 'member',
};

export function createApiKeys(db: Database, directory: Directory) {
  const requireAdmin = (user: User) => directory.requireParleyAdmin(user);

  /** Returns the key once, with its secret; only its hash is stored. */
  async function issue(createdBy: string, name: string, scopes: ApiKeyScope[]) {
    const id = randomBytes(9).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const apiKey = await insertApiKey(db, {
      id,
      name,
      scopes,
      secretHash: hashSecret(secret).toString('hex'),
      createdBy,
    });
    return { apiKey, key: `pk_${id}.${secret}` };
  }

  return {
    async create(
      user: User,
      name: string,
      scopes: ApiKeyScope[],
    ): Promise<{ apiKey: ApiKeyRow; key: string }> {
      return issue((await requireAdmin(user)).id, name, scopes);
    },

    /** For the operator, who has the database but need not have a host token (`parley create-api-key`). */
    async createAsOperator(name: string, scopes: ApiKeyScope[]): Promise<{ apiKey: ApiKeyRow; key: string }> {
      await ensureOrganization(db, SYSTEM_ORG);
      await writeProfile(db, OPERATOR, { source: 'system' });
      return issue(OPERATOR.id, name, scopes);
    },

    async list(user: User): Promise<ApiKeyRow[]> {
      await requireAdmin(user);
      return listApiKeys(db);
    },

    async revoke(user: User, id: string): Promise<void> {
      await requireAdmin(user);
      if (!(await revokeApiKey(db, id))) throw new ParleyError('not_found', `unknown API key: ${id}`);
    },

    /** The caller behind `Authorization: Bearer pk_…`, or unauthorized. */
    async authenticate(value: string | undefined): Promise<ApiKeyPrincipal> {
      const parsed = value ? parseApiKey(value) : null;
      if (!parsed) throw new ParleyError('unauthorized', 'an API key is required');
      const stored = await findApiKey(db, parsed.id);
      const valid =
        stored !== null &&
        stored.revokedAt === null &&
        timingSafeEqual(hashSecret(parsed.secret), Buffer.from(stored.secretHash, 'hex'));
      if (!valid) throw new ParleyError('unauthorized', 'the API key is unknown or revoked');
      await touchApiKey(db, stored.id);
      return { id: stored.id, name: stored.name, scopes: stored.scopes };
    },

    requireScope(principal: ApiKeyPrincipal, scope: ApiKeyScope): void {
      if (!principal.scopes.includes(scope)) throw forbidden(`this API key lacks the ${scope} scope`);
    },
  };
}

export type ApiKeys = ReturnType<typeof createApiKeys>;
