// The admin CLI administers a running server through its admin API: every operation, its output, its
// refusals and usage errors, in-process through runAdminCli and once through the real command.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AdminCliEnv, runAdminCli } from '../../src/cli/admin-cli.ts';
import type { ChannelListing, OrganizationKind, Role } from '../../src/protocol/models.ts';
import { knownPerson } from '../helpers/access.ts';
import { captureCli } from '../helpers/cli-run.ts';
import { TEST_JWT_SECRET } from '../helpers/server.ts';
import { useTestServer } from '../helpers/test-server.ts';

const run = promisify(execFile);

/** Signs a token for the user and shows it to Parley once, so that Parley knows them. */
async function knownUser(
  baseUrl: string,
  id: string,
  orgId: string,
  orgKind: OrganizationKind,
  role: Role,
): Promise<string> {
  return (await knownPerson(baseUrl, id, { id, orgId, orgKind, role, email: null })).token;
}

/** Runs the CLI in-process and captures what it prints. */
const cli = (argv: string[], env: AdminCliEnv) => captureCli((io) => runAdminCli(argv, env, io));

describe('the admin CLI', () => {
  const parley = useTestServer('pglite');
  let asAdmin: AdminCliEnv;
  let memberToken: string;

  beforeAll(async () => {
    const adminToken = await knownUser(parley.url, 'ada', 'axiom', 'internal', 'admin');
    memberToken = await knownUser(parley.url, 'alice', 'axiom', 'internal', 'member');
    await knownUser(parley.url, 'carol', 'axiom', 'internal', 'member');
    await knownUser(parley.url, 'bob', 'globex', 'client', 'member');
    asAdmin = { url: parley.url, token: adminToken };
  });

  async function channelNamed(name: string): Promise<ChannelListing> {
    const listed = await cli(['channels', '--json'], asAdmin);
    expect(listed.code).toBe(0);
    const channel = (JSON.parse(listed.stdout).channels as ChannelListing[]).find((c) => c.name === name);
    if (!channel) throw new Error(`no channel #${name} in ${listed.stdout}`);
    return channel;
  }

  it('creates a channel with a policy and members, renames it, re-scopes it and archives it', async () => {
    const created = await cli(
      [
        'channel:create',
        'launch',
        '--orgs',
        'axiom,globex',
        '--min-role',
        'member',
        '--private',
        '--members',
        'alice,bob',
      ],
      asAdmin,
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^created #launch /);

    const launch = await channelNamed('launch');
    expect(launch.policy).toEqual({ orgIds: ['axiom', 'globex'], minRole: 'member', visibility: 'private' });
    expect(launch.memberCount).toBe(3);

    const renamed = await cli(['channel:rename', launch.id, 'launch-2'], asAdmin);
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toContain('#launch-2');

    const rescoped = await cli(
      ['channel:policy', launch.id, '--orgs', 'axiom', '--public', '--json'],
      asAdmin,
    );
    expect(rescoped.code).toBe(0);
    expect(JSON.parse(rescoped.stdout).channel).toMatchObject({
      policy: { orgIds: ['axiom'], minRole: 'member', visibility: 'public' },
      // bob's organisation is out of scope now: he lost the channel at once.
      memberCount: 2,
    });

    const archived = await cli(['channel:archive', launch.id, '--json'], asAdmin);
    expect(archived.code).toBe(0);
    expect(JSON.parse(archived.stdout).channel.archivedAt).toEqual(expect.any(String));
    expect((await channelNamed('launch-2')).archivedAt).not.toBeNull();

    expect((await cli(['channel:unarchive', launch.id], asAdmin)).code).toBe(0);
    expect((await channelNamed('launch-2')).archivedAt).toBeNull();
  });

  it('adds and removes members, and says so when the member is not there', async () => {
    expect((await cli(['channel:create', 'ops', '--orgs', 'axiom'], asAdmin)).code).toBe(0);
    const ops = await channelNamed('ops');

    const added = await cli(['member:add', ops.id, 'alice', 'carol'], asAdmin);
    expect(added).toMatchObject({ code: 0, stdout: 'added alice, carol\n' });
    expect((await channelNamed('ops')).memberCount).toBe(3);

    const removed = await cli(['member:remove', ops.id, 'carol'], asAdmin);
    expect(removed).toMatchObject({ code: 0, stdout: `removed carol from ${ops.id}\n` });
    expect((await channelNamed('ops')).memberCount).toBe(2);

    const again = await cli(['member:remove', ops.id, 'carol'], asAdmin);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error not_found: /);

    const outOfScope = await cli(['member:add', ops.id, 'bob'], asAdmin);
    expect(outOfScope.code).toBe(1);
    expect(outOfScope.stderr).toMatch(/^error forbidden: bob is outside/);
  });

  it('lists users and organisations as tables, and changes an organisation', async () => {
    const users = await cli(['users'], asAdmin);
    expect(users.code).toBe(0);
    expect(users.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+EMAIL\s+ORG\s+ORG KIND\s+ROLE$/);
    expect(users.stdout).toMatch(/^bob\s+bob\s+-\s+globex\s+client\s+member$/m);

    const orgs = await cli(['orgs', '--json'], asAdmin);
    expect(JSON.parse(orgs.stdout).organizations).toEqual(
      expect.arrayContaining([
        { id: 'axiom', name: 'axiom', kind: 'internal' },
        { id: 'globex', name: 'globex', kind: 'client' },
      ]),
    );

    const changed = await cli(
      ['org:set', 'globex', '--kind', 'vendor', '--name', 'Globex Inc', '--json'],
      asAdmin,
    );
    expect(changed.code).toBe(0);
    expect(JSON.parse(changed.stdout).organization).toEqual({
      id: 'globex',
      name: 'Globex Inc',
      kind: 'vendor',
    });
    expect((await cli(['orgs'], asAdmin)).stdout).toMatch(/^globex\s+Globex Inc\s+vendor$/m);
  });

  it('signs a short-lived admin token itself with --as and --org when it has the secret', async () => {
    const listed = await cli(['--as', 'root', '--org', 'axiom', 'orgs'], {
      url: parley.url,
      jwtSecret: TEST_JWT_SECRET,
    });
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).toMatch(/^axiom\s+axiom\s+internal$/m);
  });

  it("prints the server's error and exits 1 when the token is not an internal admin's", async () => {
    const refused = await cli(['channels'], { url: parley.url, token: memberToken });
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toMatch(/^error forbidden: .+\n$/);
  });

  it('exits 1 with "unreachable" when no server answers', async () => {
    const failed = await cli(['users'], { url: 'http://127.0.0.1:1', token: 'unused' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error unreachable: /);
  });

  it('prints the usage and exits 2 on a missing argument, an unknown command or option, or no credentials', async () => {
    for (const argv of [
      ['channel:rename', 'some-id'],
      ['channel:create', 'no-orgs'],
      ['channels:delete'],
      ['users', '--kind', 'client'],
      ['channel:policy', 'some-id'],
      ['channel:policy', 'some-id', '--min-role', 'owner'],
      [],
    ]) {
      const misuse = await cli(argv, asAdmin);
      expect([misuse.code, misuse.stdout], argv.join(' ')).toEqual([2, '']);
      expect(misuse.stderr, argv.join(' ')).toMatch(/^error: .+\n\nusage: npm run admin/);
    }
    const anonymous = await cli(['users'], { url: parley.url });
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain('PARLEY_ADMIN_TOKEN');
  });

  it('runs as the real command with PARLEY_URL and PARLEY_ADMIN_TOKEN', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/parley-admin.ts', 'orgs', '--json'],
      {
        env: {
          ...process.env,
          PARLEY_URL: parley.url,
          PARLEY_ADMIN_TOKEN: asAdmin.token,
          PARLEY_JWT_SECRET: '',
        },
        timeout: 30_000,
      },
    );
    expect(JSON.parse(stdout).organizations).toContainEqual({ id: 'axiom', name: 'axiom', kind: 'internal' });

    const refused = await run(process.execPath, ['--import', 'tsx', 'src/cli/parley-admin.ts', 'users'], {
      env: { ...process.env, PARLEY_URL: parley.url, PARLEY_ADMIN_TOKEN: memberToken },
      timeout: 30_000,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error forbidden: /) });
  });
});
