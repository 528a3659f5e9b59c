// `parley token`: a host token signed with the host's secret, as the host's back-end would sign it, for
// trying the API or acting as an admin with the admin commands.
import { organizationKinds, roles } from '../../protocol/models.ts';
import { loadConfig } from '../../server/config.ts';
import { signHostToken } from '../../server/demo/tokens.ts';
import {
  CommandFailure,
  type OperatorCommand,
  positiveIntegerOption,
  requiredOption,
} from '../operator-command.ts';
import { choiceOption, stringOption, UsageError } from '../options.ts';

const defaultTtlSeconds = 600;

export const tokenCommand: OperatorCommand = {
  name: 'token',
  usage: `--user ID --org ORG [--role ${roles.join('|')}] [--org-kind ${organizationKinds.join('|')}] [--name N] [--ttl S]`,
  summary: 'print a host token signed with PARLEY_JWT_SECRET',
  help: [
    '  --user ID        the user the token signs in (its subject)',
    '  --org ORG        their organisation',
    '  --role R         their role in it (default member)',
    '  --org-kind K     the organisation kind, for an organisation Parley has not seen (default client;',
    '                   an admin of Parley is an admin of an internal organisation)',
    '  --name N         the name people see (default the user id)',
    `  --ttl S          seconds until it expires (default ${defaultTtlSeconds}, at most PARLEY_JWT_MAX_LIFETIME_S)`,
    '',
    'The token is printed on stdout, alone: anyone holding it acts as that user until it expires.',
    'Example: PARLEY_URL=http://localhost:3000 PARLEY_ADMIN_TOKEN=$(parley token --user ada --org axiom',
    '         --org-kind internal --role admin) parley admin users',
  ],
  options: {
    user: { type: 'string' },
    org: { type: 'string' },
    role: { type: 'string' },
    'org-kind': { type: 'string' },
    name: { type: 'string' },
    ttl: { type: 'string' },
  },
  async run({ options, env, io }) {
    const userId = requiredOption(options, 'user');
    const orgId = requiredOption(options, 'org');
    const role = choiceOption(options, 'role', roles) ?? 'member';
    const orgKind = choiceOption(options, 'org-kind', organizationKinds);
    const ttl = positiveIntegerOption(options, 'ttl', defaultTtlSeconds);
    const { jwt } = loadConfig(env);
    if (!jwt.secret) {
      throw new CommandFailure(
        'PARLEY_JWT_SECRET: required to sign a token (the HS256 secret the server verifies host tokens with)',
      );
    }
    if (ttl > jwt.maxLifetimeSeconds) {
      throw new UsageError(
        `--ttl: the server refuses tokens valid for more than ${jwt.maxLifetimeSeconds} s (PARLEY_JWT_MAX_LIFETIME_S)`,
      );
    }
    const subject = {
      id: userId,
      displayName: stringOption(options, 'name') ?? userId,
      email: null,
      orgId,
      role,
      ...(orgKind ? { orgKind } : {}),
    };
    const token = await signHostToken(jwt.secret, subject, ttl, {
      issuer: jwt.issuer,
      audience: jwt.audience,
    });
    io.stdout.write(`${token}\n`);
    return 0;
  },
};
