// Channel policies may only name organisations Parley knows.
import { ParleyError } from '../../../protocol/errors.ts';
import type { Database } from '../../store/db.ts';
import { listOrganizations } from '../../store/users.ts';

export function createOrganizationCheck(db: Database) {
  return {
    async requireAll(orgIds: readonly string[]): Promise<void> {
      const known = new Set((await listOrganizations(db)).map((org) => org.id));
      const unknown = orgIds.filter((id) => !known.has(id));
      if (unknown.length > 0)
        throw new ParleyError('not_found', `unknown organisation: ${unknown.join(', ')}`);
    },
  };
}
