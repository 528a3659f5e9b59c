// `parley create-api-key`: a host back-end's API key, created in the configured database without a running
// server or an admin's token: how the first key of a deployment comes to be.
import { apiKeyScopes, createApiKeyRequestSchema } from '../../protocol/rest.ts';
import { loadConfig } from '../../server/config.ts';
import { createDirectory } from '../../server/domain/access/directory.ts';
import { createApiKeys, OPERATOR } from '../../server/domain/records/api-keys.ts';
import { withMigratedDatabase } from '../configured-database.ts';
import { type OperatorCommand, requiredOption } from '../operator-command.ts';
import { listOption, UsageError } from '../options.ts';

export const createApiKeyCommand: OperatorCommand = {
  name: 'create-api-key',
  usage: `--name N --scope S [--scope S...]`,
  summary: 'create a host API key in the configured database and print it once',
  help: [
    '  --name N         what the key is for, as admins see it in the key list',
    `  --scope S        what it may do: ${apiKeyScopes.join(', ')} (repeat, or a,b)`,
    '',
    `The key is recorded as created by "${OPERATOR.id}"; any Parley admin can revoke it. It is printed`,
    'on stdout once and never again: Parley keeps only its hash.',
    'Example: parley create-api-key --name "Order system" --scope records:write --scope records:post',
  ],
  options: { name: { type: 'string' }, scope: { type: 'string', multiple: true } },
  async run({ options, env, io }) {
    const request = createApiKeyRequestSchema.safeParse({
      name: requiredOption(options, 'name'),
      scopes: listOption(options, 'scope') ?? [],
    });
    if (!request.success) {
      throw new UsageError(
        `--name and at least one --scope of ${apiKeyScopes.join(', ')} are required (${request.error.issues[0]?.message})`,
      );
    }
    const config = loadConfig(env);
    const { apiKey, key } = await withMigratedDatabase(config, io, (db) =>
      createApiKeys(db, createDirectory(db, config.access)).createAsOperator(
        request.data.name,
        request.data.scopes,
      ),
    );
    io.stderr.write(`created API key ${apiKey.id} "${apiKey.name}" (${apiKey.scopes.join(', ')}):\n`);
    io.stdout.write(`${key}\n`);
    return 0;
  },
};
