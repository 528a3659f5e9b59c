// The admin CLI's commands as data: each names its arguments and options, the admin API call it makes and
// how its answer reads to a person. A new admin operation is one more entry in `adminCommands`.
import type { ChannelListing, ChannelPolicy } from '../protocol/models.ts';
import { organizationKinds, roles } from '../protocol/models.ts';
import type {
  ChannelListResponse,
  ConversationResponse,
  MembersResponse,
  OrganizationListResponse,
  OrganizationResponse,
  UserListResponse,
} from '../protocol/rest.ts';
import type { ApiCall } from './admin-api.ts';
import { formatChannels, formatOrganizations, formatUsers } from './admin-output.ts';
import { choiceOption, listOption, stringOption, UsageError } from './options.ts';

/** Options that only some commands take, in `node:util` parseArgs form. */
export const commandOptionSpecs = {
  name: { type: 'string' },
  kind: { type: 'string' },
  orgs: { type: 'string' },
  'min-role': { type: 'string' },
  private: { type: 'boolean' },
  public: { type: 'boolean' },
  members: { type: 'string' },
} as const;

export type CommandOptionName = keyof typeof commandOptionSpecs;
export type CommandOptions = { [K in CommandOptionName]?: string | boolean | undefined };

export interface CommandInput {
  /** Positional arguments after the command name, checked against `args`. */
  args: string[];
  options: CommandOptions;
}

export interface AdminCommand<Response = unknown> {
  name: string;
  /** Positional argument names; a final `name...` takes one or more values. */
  args: readonly string[];
  options: readonly CommandOptionName[];
  /** How the options read in the help, e.g. `[--name N]`. */
  optionsUsage?: string;
  summary: string;
  call(input: CommandInput): ApiCall;
  show(response: Response, input: CommandInput): string;
}

const id = encodeURIComponent;
const channelPath = (channelId: string) => `/api/admin/channels/${id(channelId)}`;

/** The policy fields the options name; the server keeps the others as they are. */
function policyChanges(options: CommandOptions): Partial<ChannelPolicy> {
  if (options.public && options.private) throw new UsageError('choose --public or --private, not both');
  const orgIds = listOption(options, 'orgs');
  const minRole = choiceOption(options, 'min-role', roles);
  const visibility = options.private ? 'private' : options.public ? 'public' : undefined;
  return {
    ...(orgIds ? { orgIds } : {}),
    ...(minRole ? { minRole } : {}),
    ...(visibility ? { visibility } : {}),
  };
}

function atLeastOne<T extends object>(changes: T, what: string): T {
  if (Object.keys(changes).length === 0) throw new UsageError(`nothing to change: give ${what}`);
  return changes;
}

/** What PATCH /api/admin/channels/:id answers: the channel as it is now. */
interface ChannelResponse {
  channel: ChannelListing;
}

const showChannel = ({ channel }: ChannelResponse) => formatChannels([channel]);

function defineCommand<Response>(command: AdminCommand<Response>): AdminCommand<Response> {
  return command;
}

export const adminCommands: readonly AdminCommand[] = [
  defineCommand<UserListResponse>({
    name: 'users',
    args: [],
    options: [],
    summary: 'list users',
    call: () => ({ method: 'GET', path: '/api/admin/users' }),
    show: ({ users }) => formatUsers(users),
  }),
  defineCommand<OrganizationListResponse>({
    name: 'orgs',
    args: [],
    options: [],
    summary: 'list organisations',
    call: () => ({ method: 'GET', path: '/api/admin/organizations' }),
    show: ({ organizations }) => formatOrganizations(organizations),
  }),
  defineCommand<OrganizationResponse>({
    name: 'org:set',
    args: ['orgId'],
    options: ['name', 'kind'],
    optionsUsage: `[--name N] [--kind ${organizationKinds.join('|')}]`,
    summary: 'rename an organisation or change its kind',
    call: ({ args: [orgId], options }) => {
      const name = stringOption(options, 'name');
      const kind = choiceOption(options, 'kind', organizationKinds);
      return {
        method: 'PATCH',
        path: `/api/admin/organizations/${id(orgId as string)}`,
        body: atLeastOne(
          { ...(name !== undefined ? { name } : {}), ...(kind ? { kind } : {}) },
          '--name or --kind',
        ),
      };
    },
    show: ({ organization }) => formatOrganizations([organization]),
  }),
  defineCommand<ChannelListResponse>({
    name: 'channels',
    args: [],
    options: [],
    summary: 'list all channels',
    call: () => ({ method: 'GET', path: '/api/admin/channels' }),
    show: ({ channels }) => formatChannels(channels),
  }),
  defineCommand<ConversationResponse>({
    name: 'channel:create',
    args: ['name'],
    options: ['orgs', 'min-role', 'private', 'members'],
    optionsUsage: `--orgs a,b [--min-role ${[...roles].reverse().join('|')}] [--private] [--members u1,u2]`,
    summary: 'create a channel for these organisations',
    call: ({ args: [name], options }) => {
      if (options.orgs === undefined) throw new UsageError('channel:create needs --orgs');
      return {
        method: 'POST',
        path: '/api/admin/channels',
        body: { name, memberIds: listOption(options, 'members') ?? [], policy: policyChanges(options) },
      };
    },
    show: ({ conversation }) => `created #${conversation.name} ${conversation.id}\n`,
  }),
  defineCommand<ChannelResponse>({
    name: 'channel:rename',
    args: ['channelId', 'newName'],
    options: [],
    summary: 'rename a channel',
    call: ({ args: [channelId, name] }) => ({
      method: 'PATCH',
      path: channelPath(channelId as string),
      body: { name },
    }),
    show: showChannel,
  }),
  defineCommand<ChannelResponse>({
    name: 'channel:archive',
    args: ['channelId'],
    options: [],
    summary: 'archive a channel: readable, no longer writable',
    call: ({ args: [channelId] }) => ({
      method: 'PATCH',
      path: channelPath(channelId as string),
      body: { archived: true },
    }),
    show: showChannel,
  }),
  defineCommand<ChannelResponse>({
    name: 'channel:unarchive',
    args: ['channelId'],
    options: [],
    summary: 'make an archived channel writable again',
    call: ({ args: [channelId] }) => ({
      method: 'PATCH',
      path: channelPath(channelId as string),
      body: { archived: false },
    }),
    show: showChannel,
  }),
  defineCommand<ChannelResponse>({
    name: 'channel:policy',
    args: ['channelId'],
    options: ['orgs', 'min-role', 'public', 'private'],
    optionsUsage: '[--orgs a,b] [--min-role R] [--public|--private]',
    summary: 'change who may be in a channel; members left out lose it at once',
    call: ({ args: [channelId], options }) => ({
      method: 'PATCH',
      path: channelPath(channelId as string),
      body: { policy: atLeastOne(policyChanges(options), '--orgs, --min-role, --public or --private') },
    }),
    show: showChannel,
  }),
  defineCommand<MembersResponse>({
    name: 'member:add',
    args: ['channelId', 'userId...'],
    options: [],
    summary: 'add users to a channel',
    call: ({ args: [channelId, ...userIds] }) => ({
      method: 'POST',
      path: `${channelPath(channelId as string)}/members`,
      body: { userIds },
    }),
    show: ({ added }) =>
      added.length > 0 ? `added ${added.join(', ')}\n` : 'no one added: all were members already\n',
  }),
  defineCommand<null>({
    name: 'member:remove',
    args: ['channelId', 'userId'],
    options: [],
    summary: 'remove a user from a channel',
    call: ({ args: [channelId, userId] }) => ({
      method: 'DELETE',
      path: `${channelPath(channelId as string)}/members/${id(userId as string)}`,
    }),
    show: (_, { args: [channelId, userId] }) => `removed ${userId} from ${channelId}\n`,
  }),
];
